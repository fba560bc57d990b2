// `eindex audit <url...>`
import { parseArgs } from 'node:util';
import { checkAxeTags, DEFAULT_CONTACT, defaultAuditOptions, loadConfigFile, userAgentFor, type AuditOptions } from '../audit/options.js';
import { parseStartUrl, sameSite } from '../crawl/url.js';
import { Auditor } from '../run/auditor.js';
import { renderHtml } from '../report/html.js';
import { renderTerminal } from '../report/terminal.js';
import { sandboxWarning } from '../gather/browser.js';
import { siteResultSchema, type Grade, type SiteResult } from '../schema/result.js';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';
import { grade, headers, positiveInt, seconds } from './args.js';

export const AUDIT_HELP = `Usage: eindex audit <url...> [options]

Audits one website for accessibility (axe-core, WCAG 2.2 A/AA) and mobile-friendliness, and grades it.

  --max-pages N          pages to sample (default 10)
  --no-crawl             audit exactly the URLs given, no discovery
  --no-lighthouse        skip the Lighthouse mobile audit
  --performance          add Lighthouse's performance category (a second load of each page)
  --no-screenshots       keep no screenshots of failing elements (default: up to 5 per page)
  --json FILE            write the result as JSON (schema: eindex schema)
  --html FILE            write a self-contained HTML report
  --fail-under GRADE     exit 1 when the grade is below GRADE (highest|high|medium|low)
  --config FILE          YAML/JSON: userAgent, contact, headers, cookies, login steps, axeTags
  --header "K: V"        extra request header (repeatable)
  --tags a,b,c           axe-core tags (default wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22aa)
  --contact URL          contact URL put in the user agent
  --user-agent UA        the whole user agent string
  --concurrency N        pages at once (default 2)
  --delay MS             pause between page loads on the host (default 0; robots Crawl-delay wins)
  --page-timeout S       time budget of one page (default 60)
  --site-timeout S       time budget of the whole site (default 1200)
  --ignore-https-errors  audit sites with invalid certificates
  --quiet                no progress lines`;

/** Options shared by `audit`, `run` and `worker`: how one site is audited. */
export const AUDIT_OPTIONS = {
  'max-pages': { type: 'string' }, 'no-lighthouse': { type: 'boolean' }, performance: { type: 'boolean' },
  config: { type: 'string' }, header: { type: 'string', multiple: true }, tags: { type: 'string' }, contact: { type: 'string' },
  'user-agent': { type: 'string' }, delay: { type: 'string' }, 'page-timeout': { type: 'string' }, 'site-timeout': { type: 'string' },
  'ignore-https-errors': { type: 'boolean' }, 'no-screenshots': { type: 'boolean' },
} as const;

type AuditValues = { [K in keyof typeof AUDIT_OPTIONS]?: (typeof AUDIT_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof AUDIT_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export function auditOptionsFrom(values: AuditValues & { 'no-crawl'?: boolean; concurrency?: string }): AuditOptions {
  const file = values.config ? loadConfigFile(values.config) : {};
  const base = defaultAuditOptions();
  return {
    ...base,
    crawl: !values['no-crawl'],
    maxPages: positiveInt('--max-pages', values['max-pages'], base.maxPages),
    lighthouse: !values['no-lighthouse'],
    performance: !!values.performance && !values['no-lighthouse'],
    screenshots: values['no-screenshots'] ? 0 : base.screenshots,
    axeTags: values.tags ? checkAxeTags(values.tags.split(',').map((t) => t.trim()).filter(Boolean)) : file.axeTags ? checkAxeTags(file.axeTags, `config file ${values.config}: axeTags`) : base.axeTags,
    userAgent: values['user-agent'] ?? file.userAgent ?? userAgentFor(values.contact ?? file.contact ?? DEFAULT_CONTACT),
    headers: { ...file.headers, ...headers(values.header) },
    cookies: file.cookies ?? [],
    login: file.login ?? [],
    concurrency: positiveInt('--concurrency', values.concurrency, base.concurrency),
    delayMs: values.delay === undefined ? base.delayMs : positiveInt('--delay', values.delay, 0),
    pageTimeoutMs: seconds('--page-timeout', values['page-timeout'], base.pageTimeoutMs),
    siteTimeoutMs: seconds('--site-timeout', values['site-timeout'], base.siteTimeoutMs),
    ignoreHttpsErrors: values['ignore-https-errors'] ?? file.ignoreHttpsErrors ?? false,
  };
}

export async function auditCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...AUDIT_OPTIONS, 'no-crawl': { type: 'boolean' }, concurrency: { type: 'string' },
      json: { type: 'string' }, html: { type: 'string' }, 'fail-under': { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(AUDIT_HELP);
    return 0;
  }
  if (!positionals.length) throw new UserError('eindex audit needs at least one URL (eindex audit --help)');
  const urls = positionals.map(parseStartUrl);
  if (!values['no-crawl'] && urls.some((u) => !sameSite(u, urls[0]!))) {
    throw new UserError('with crawling on, all URLs must belong to one site; use --no-crawl, or eindex run for many sites');
  }
  const failUnder = grade('--fail-under', values['fail-under']);
  const options = auditOptionsFrom(values);
  const sandbox = sandboxWarning();
  if (sandbox && !values.quiet) console.error(sandbox);
  // A site on a public address is audited through the egress guard (no redirect or frame of it reaches a
  // private address); one typed on an internal address (a local or intranet site) is the user's own word.
  const auditor = new Auditor({ privateTargets: true });
  const direct = (await Promise.all(urls.map((u) => auditor.refusal(u)))).some((r) => r !== null);
  let result: SiteResult;
  try {
    result = await auditor.scan(urls, options, direct, {
      onPage: values.quiet ? undefined : (p, done) => {
        const status = p.error ? `error: ${p.error.message}` : `ok (${p.axe?.violations.length ?? 0} rules violated)`;
        process.stderr.write(`[${done}] ${p.candidate.url} — ${status}, ${(p.durationMs / 1000).toFixed(1)} s\n`);
      },
    });
  } finally {
    await auditor.close();
  }
  siteResultSchema.parse(result); // what we write is what we document
  if (values.json) writeFileAtomic(values.json, `${JSON.stringify(result, null, 2)}\n`);
  if (values.html) writeFileAtomic(values.html, renderHtml(result));
  console.log(renderTerminal(result));
  return belowGrade(result.grade, failUnder) ? 1 : 0;
}

const ORDER: Grade[] = ['low', 'medium', 'high', 'highest'];
export function belowGrade(actual: Grade | null, threshold: Grade | undefined): boolean {
  if (!threshold) return false;
  return actual === null || ORDER.indexOf(actual) < ORDER.indexOf(threshold);
}
