// JUnit XML for CI systems' test reports (GitLab, Jenkins, Azure, GitHub via a reporter action): a
// testsuite per audited page, a testcase per rule checked on it (axe-core's and the mobile checks), a
// failure per violated rule with its elements. Pure: results in, text out.
import type { PageResult, SiteResult } from '../schema/result.js';

const MOBILE_CHECKS = ['viewport', 'fitsScreen', 'legibleText', 'tapTargets', 'noPlugins'] as const;

/** XML 1.0 text: escaped, and characters XML cannot carry at all (most C0 controls, lone surrogates) dropped. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface Case { name: string; classname: string; failure?: { message: string; type: string; body: string }; error?: { message: string }; skipped?: string; time: number }

function pageCases(prefix: string, p: PageResult): Case[] {
  const classname = `${prefix}${p.url}`;
  if (p.status === 'error') return [{ name: 'page loads and is audited', classname, error: { message: `${p.errorCode ?? 'error'}: ${p.error ?? ''}` }, time: p.durationMs / 1000 }];
  const cases: Case[] = [];
  // One testcase per rule: axe-core lists a rule under violations and passes (or needs review) when some
  // elements fail and others do not; a report listed it twice, as a failure and as skipped.
  const review = new Map((p.axe?.needsReview ?? []).map((r) => [r.id, r.nodes.length]));
  const done = new Set<string>();
  for (const v of p.axe?.violations ?? []) {
    done.add(v.id);
    const toReview = review.get(v.id);
    cases.push({
      name: `${v.id}: ${v.help}`, classname, time: 0,
      failure: {
        message: `${v.help} (${v.impact ?? 'unknown'} impact${v.wcag.length ? `; WCAG ${v.wcag.join(', ')}` : ''}; ${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`,
        type: v.impact ?? 'violation',
        body: `${v.helpUrl}\n${v.nodes.map((n) => `${n.target.join(' ')}\n  ${n.html}${n.failureSummary ? `\n  ${n.failureSummary.replace(/\n/g, '\n  ')}` : ''}`).join('\n')}${toReview ? `\n(and ${toReview} element${toReview === 1 ? '' : 's'} for a person to review)` : ''}`,
      },
    });
  }
  const once = (id: string) => !done.has(id) && (done.add(id), true);
  for (const r of p.axe?.needsReview ?? []) if (once(r.id)) cases.push({ name: `${r.id}: ${r.help}`, classname, time: 0, skipped: `needs review by a person (${r.nodes.length} element${r.nodes.length === 1 ? '' : 's'})` });
  for (const r of p.axe?.passes ?? []) if (once(r.id)) cases.push({ name: r.id, classname, time: 0 });
  for (const id of p.axe?.inapplicable ?? []) if (once(id)) cases.push({ name: id, classname, time: 0, skipped: 'not applicable on this page' });
  if (p.mobile) {
    for (const check of MOBILE_CHECKS) {
      const c = p.mobile[check];
      cases.push({ name: `mobile ${check}`, classname, time: 0, ...(c.pass ? {} : { failure: { message: `${c.detail} (${c.source})`, type: c.blocking ? 'mobile-blocking' : 'mobile', body: c.detail } }) });
    }
  }
  return cases;
}

/** `sites`: one (eindex audit) or a run's (name prefixes each suite). */
export function renderJunit(sites: { name?: string; result: SiteResult }[]): string {
  const suites = sites.flatMap(({ name, result }) => result.pages.map((p) => {
    const prefix = name ? `${name} ` : '';
    const cases = pageCases(prefix, p);
    const failures = cases.filter((c) => c.failure).length;
    const errors = cases.filter((c) => c.error).length;
    const skipped = cases.filter((c) => c.skipped).length;
    const body = cases.map((c) => `    <testcase name="${xmlText(c.name)}" classname="${xmlText(c.classname)}" time="${c.time.toFixed(3)}">${
      c.failure ? `\n      <failure message="${xmlText(c.failure.message)}" type="${xmlText(c.failure.type)}">${xmlText(c.failure.body)}</failure>\n    `
        : c.error ? `\n      <error message="${xmlText(c.error.message)}"/>\n    `
          : c.skipped ? `\n      <skipped message="${xmlText(c.skipped)}"/>\n    ` : ''
    }</testcase>`).join('\n');
    return { xml: `  <testsuite name="${xmlText(`${prefix}${p.url}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(p.durationMs / 1000).toFixed(3)}" timestamp="${xmlText(result.startedAt.replace(/Z$/, ''))}">\n${body}\n  </testsuite>`, tests: cases.length, failures, errors, skipped };
  }));
  const sum = (k: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + s[k], 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="eindex" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" skipped="${sum('skipped')}">\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}
