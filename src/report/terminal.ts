// The terminal summary: the grade, the scores and what to fix first, with where it is.
import type { SiteResult } from '../schema/result.js';
import { confidenceLine, makeupLine } from './i18n.js';

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);
/** Page content is untrusted: strip control characters so a title cannot drive the terminal. */
const clean = (s: string, max = 120) => {
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const GRADE_COLOR: Record<string, string> = { highest: '32;1', high: '32', medium: '33', low: '31;1' };

export function renderTerminal(r: SiteResult, opts: { maxProblems?: number } = {}): string {
  const out: string[] = [];
  const grade = r.grade ? paint(GRADE_COLOR[r.grade] ?? '0', `${r.grade.toUpperCase()}${r.gradeProvisional ? ' (PROVISIONAL)' : ''} — ${r.gradeLabel?.en} (${r.gradeLabel?.lv})`) : paint('31', 'NOT GRADED');
  out.push(`${paint('1', 'eindex')} ${clean(r.url)}`);
  const ignored = r.exclusions?.ignoredRules.length ? paint('33', `   (rules ignored: ${r.exclusions.ignoredRules.join(', ')}; not comparable with an evaluator's grade)`) : '';
  out.push(`  Accessibility: ${grade}   score ${r.accessibilityScore ?? '–'}/100${ignored}`);
  if (r.exclusions && (r.exclusions.selectors.length || r.exclusions.urlPatterns.length)) {
    out.push(`  Left out:      ${[r.exclusions.selectors.length ? `content ${r.exclusions.selectors.join(', ')}` : '', r.exclusions.urlPatterns.length ? `URLs ${r.exclusions.urlPatterns.join(', ')}` : ''].filter(Boolean).map((x) => clean(x, 200)).join('; ')}`);
  }
  // Every grade the site missed, each on a line of its own and in full: what keeps it from the next grade
  // up is what the webmaster reads first (the last line).
  out.push(`  Why:           ${r.gradeReason.split('; ').map((why) => clean(why, 400)).join(`\n${' '.repeat(17)}`)}`);
  // Results stored before schema version 2 have no sample statement.
  if (r.sample) out.push(`  Sample:        ${r.sample.complete ? clean(r.sample.statement, 300) : paint('33', clean(r.sample.statement, 300))}`);
  const makeup = r.sample ? makeupLine('en', r.sample) : null;
  if (makeup) out.push(`  Chosen as:     ${clean(makeup, 400)}`);
  const confidence = r.sample ? confidenceLine('en', r.sample) : null;
  if (confidence) out.push(`  Stands on:     ${clean(confidence, 500)}`);
  const mobile = r.mobileFriendly === null ? '–' : r.mobileFriendly ? paint('32', 'mobile-friendly') : paint('31', 'NOT mobile-friendly');
  out.push(`  Mobile:        ${mobile}   score ${r.mobileScore ?? '–'}/100`);
  out.push(`  Statement:     ${r.accessibilityStatement.found ? `linked (${clean(r.accessibilityStatement.url ?? '')})` : paint('33', 'no accessibility statement link found')}`);
  const s = r.summary;
  out.push(`  Pages:         ${s.pagesOk} audited${s.pagesError ? paint('33', `, ${s.pagesError} failed`) : ''}; ${s.violations} violation nodes (critical ${s.violationsByImpact.critical}, serious ${s.violationsByImpact.serious}, moderate ${s.violationsByImpact.moderate}, minor ${s.violationsByImpact.minor})`);
  if (s.topProblems.length) {
    out.push('', paint('1', '  Fix first:'));
    for (const p of s.topProblems.slice(0, opts.maxProblems ?? 8)) {
      out.push(`  • [${p.impact ?? '?'}] ${clean(p.help)} — ${p.id}${p.wcag.length ? `, WCAG ${p.wcag.join(', ')}` : ''}`);
      out.push(`      ${p.pages} page(s), ${p.nodes} element(s); e.g. ${clean(p.example.target, 80)} on ${clean(p.example.url, 100)}`);
      out.push(`      ${clean(p.example.html, 110)}`);
      out.push(`      ${p.helpUrl}`);
    }
  }
  const mobileFails = r.pages.filter((p) => p.mobile && !p.mobile.mobileFriendly);
  if (mobileFails.length) {
    out.push('', paint('1', '  Mobile problems:'));
    for (const p of mobileFails.slice(0, 5)) {
      const m = p.mobile!;
      const why = [m.viewport, m.fitsScreen, m.legibleText, m.tapTargets, m.noPlugins].filter((c) => c.blocking ?? !c.pass).map((c) => c.detail);
      out.push(`  • ${clean(p.url, 100)}: ${why.map((d) => clean(d, 200)).join('; ')}`);
    }
  }
  const errors = r.pages.filter((p) => p.status === 'error');
  if (errors.length) {
    out.push('', paint('1', '  Pages that failed:'));
    for (const p of errors.slice(0, 10)) out.push(`  • ${clean(p.url, 100)}: ${clean(p.error ?? '', 140)}`);
  }
  return out.join('\n');
}
