// `eindex audit <url...>`
import { auditOptionsFrom } from '../audit/option-defs.js';
import { hasScheme, parseStartUrl, sameSite } from '../crawl/url.js';
import { fetchText } from '../gather/http.js';
import { ROBOTS_TOKEN } from '../audit/options.js';
import { sandboxWarning } from '../gather/browser.js';
import { langOption } from '../report/i18n.js';
import { renderJunit } from '../report/junit.js';
import { renderSiteHtml } from '../report/report-html.js';
import { renderSarif } from '../report/sarif.js';
import { renderTerminal } from '../report/terminal.js';
import { Auditor } from '../run/auditor.js';
import { siteResultSchema, type Grade, type SiteResult } from '../schema/result.js';
import { UserError } from '../util/errors.js';
import type { ValuesOf } from '../util/option-def.js';
import { belowGrade, grade } from './args.js';
import type { AUDIT_COMMAND_OPTIONS } from './command-options.js';
import { outputs } from './output.js';
import { siteProgress } from './progress.js';
import { exitCodeOf, watchForStop, type StopSignal } from './stop.js';
import { withDeadline } from '../util/time.js';

export async function auditCommand(values: ValuesOf<typeof AUDIT_COMMAND_OPTIONS>, positionals: string[]): Promise<number> {
  const urls = await Promise.all(positionals.map((p) => startUrl(p, !!values.quiet)));
  if (urls.some((u) => !sameSite(u, urls[0]!))) {
    const hosts = [...new Set(urls.map((u) => u.host))];
    throw new UserError(`one audit grades one site, and these URLs are on ${hosts.length} hosts (${hosts.join(', ')}): audit each site on its own, or list them in a registry for eindex run`);
  }
  const failUnder = grade('--fail-under', values['fail-under']);
  const lang = langOption(values.lang);
  const out = outputs({ json: values.json, html: values.html, junit: values.junit, sarif: values.sarif });
  const options = auditOptionsFrom(values);
  const sandbox = sandboxWarning();
  if (sandbox && !values.quiet) console.error(sandbox);
  // A site on a public address is audited through the egress guard (no redirect or frame of it reaches a
  // private address); one typed on an internal address (a local or intranet site) is the user's own word.
  const auditor = new Auditor({ privateTargets: true });
  const direct = (await Promise.all(urls.map((u) => auditor.refusal(u)))).some((r) => r !== null);
  const progress = siteProgress(process.stderr, values.quiet);
  const stop = watchForStop();
  let result: SiteResult;
  try {
    result = await auditor.scan(urls, options, direct, { ...progress, signal: stop.signal });
  } catch (err) {
    progress.end();
    await withDeadline('closing the browsers', 3000, auditor.close()).catch(() => {});
    if (stop.by) return stopped(stop.by, null, false);
    throw err;
  }
  progress.end();
  try {
    siteResultSchema.parse(result); // what we write is what we document
    out.write('json', () => `${JSON.stringify(result, null, 2)}\n`);
    out.write('html', () => renderSiteHtml(result, lang));
    out.write('junit', () => renderJunit([{ result }]));
    out.write('sarif', () => renderSarif([{ result }], { version: result.tool.version, axeCore: result.tool.axeCore }));
  } finally {
    await withDeadline('closing the browsers', stop.by ? 3000 : 30_000, auditor.close()).catch(() => {});
    stop.dispose();
  }
  if (stop.by) return stopped(stop.by, result, out.any);
  // The summary goes to standard output unless a machine-readable result does.
  (out.usesStdout ? console.error : console.log)(renderTerminal(result));
  if (result.grade === null) {
    // Nothing audited is no pass: a CI job must not go green on a page that answered 404.
    const failed = result.pages.find((p) => p.status === 'error');
    console.error(`eindex: not graded: no page could be audited${failed ? ` (${failed.url}: ${failed.error})` : ''}`);
    return 2;
  }
  if (belowGrade(result.grade, failUnder)) {
    console.error(`eindex: ${failUnderLine(result, failUnder!)}`);
    return 1;
  }
  return 0;
}

/**
 * A URL as typed. Without a scheme it is tried as https and, when https gets no answer at all (no TLS on
 * that port, nothing listening), as http; the line says which was taken.
 */
async function startUrl(input: string, quiet: boolean): Promise<URL> {
  const url = parseStartUrl(input);
  if (hasScheme(input)) return url;
  const probe = (u: URL) => fetchText(u.href, { userAgent: ROBOTS_TOKEN, timeoutMs: 10_000, maxBytes: 1024, accept: 'text/html' });
  const secure = await probe(url);
  if (secure.status > 0) return url;
  const plain = new URL(url.href.replace(/^https:/, 'http:'));
  if ((await probe(plain)).status === 0) return url; // neither answers: the audit says why, in its words
  if (!quiet) console.error(`eindex: ${input} has no scheme and does not answer https (${secure.error ?? 'no answer'}): auditing ${plain.href}`);
  return plain;
}

/** The one line a stopped audit leaves, and its exit code (143 SIGTERM, 130 SIGINT). */
function stopped(by: StopSignal, result: SiteResult | null, wrote: boolean): number {
  const done = result ? `${result.sample.audited} of ${result.sample.planned} pages audited` : 'no page audited';
  console.error(`eindex: stopped by ${by}: ${done}${wrote && result ? '; what was audited is written, marked "interrupted"' : ''}`);
  return exitCodeOf(by);
}

/** Why --fail-under failed, in one line: the grade reached, the grade required, and why it is not higher. */
export function failUnderLine(result: Pick<SiteResult, 'grade' | 'gradeReason'>, required: Grade): string {
  return result.grade === null
    ? `--fail-under ${required}: no grade (${result.gradeReason})`
    : `--fail-under ${required}: the site is graded ${result.grade} (${result.gradeReason})`;
}
