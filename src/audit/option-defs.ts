// How one site is audited, as command-line options: defined here, below the CLI, for `eindex audit`,
// `eindex run`, `eindex schedule`, the workers and the bench alike.
import { UserError } from '../util/errors.js';
import type { OptionDef, ValuesOf } from '../util/option-def.js';
import { checkAxeRules, checkAxeTags, DEFAULT_CONTACT, defaultAuditOptions, discoverConfigFile, loadConfigFile, userAgentFor, type AuditOptions } from './options.js';

export const AUDIT_OPTION_DEFS = [
  { name: 'max-pages', type: 'string', value: 'N', help: 'pages to sample (default: every template the site has and a random part, 10 to 50)' },
  { name: 'census', type: 'boolean', help: 'audit every page found (up to 2,000; axe-core and mobile checks, no Lighthouse) instead of a sample' },
  { name: 'no-lighthouse', type: 'boolean', help: 'skip the Lighthouse mobile audit' },
  { name: 'performance', type: 'boolean', help: "add Lighthouse's performance category (a second load of each page)" },
  { name: 'no-screenshots', type: 'boolean', help: 'keep no screenshots of failing elements (default: up to 5 per page)' },
  { name: 'config', type: 'string', value: 'FILE', help: 'YAML/JSON: userAgent, contact, headers, cookies, login steps, axeTags, exclude, excludeUrls, ignoreRules' },
  { name: 'header', type: 'string', value: 'NAME:VALUE', multiple: true, help: 'extra request header (repeatable)' },
  { name: 'tags', type: 'string', value: 'a,b,c', help: 'axe-core tags (default wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22aa)' },
  { name: 'exclude', type: 'string', value: 'SELECTOR', multiple: true, help: "leave out content you do not control, e.g. a third-party widget (CSS selector, repeatable): not checked, never counted" },
  { name: 'exclude-url', type: 'string', value: 'PATTERN', multiple: true, help: 'never sample URLs matching PATTERN (repeatable; * matches anything, e.g. "*.pdf" or "/en/archive/")' },
  { name: 'seed', type: 'string', value: 'N', help: 'seed of the random part of the sample (default: a new one each audit, recorded in the result)' },
  { name: 'contact', type: 'string', value: 'URL', help: 'contact URL put in the user agent' },
  { name: 'user-agent', type: 'string', value: 'UA', help: 'the whole user agent string' },
  { name: 'delay', type: 'string', value: 'MS', help: 'pause between page loads on the host (default 0; robots Crawl-delay wins)' },
  { name: 'page-timeout', type: 'string', value: 'S', help: 'time budget of one page in seconds (default 60)' },
  { name: 'site-timeout', type: 'string', value: 'S', help: 'time budget of the whole site in seconds (default 1200)' },
  { name: 'page-memory', type: 'string', value: 'MB', help: 'memory budget of one page (default 1024): a page over it is stopped as an error' },
  { name: 'ignore-https-errors', type: 'boolean', help: 'audit sites with invalid certificates' },
] as const satisfies readonly OptionDef[];

/** `--ignore-rule`: a webmaster's, for `eindex audit` only (an evaluator's grades stay comparable). */
export const IGNORE_RULE_DEF = { name: 'ignore-rule', type: 'string', value: 'ID', multiple: true, help: 'leave this axe-core rule out of the result and the grade (repeatable; the result says so beside the grade)' } as const satisfies OptionDef;

/** A census's site budget unless --site-timeout says otherwise: 2,000 pages at the pace measured here with room to spare. */
const CENSUS_SITE_TIMEOUT_MS = 2 * 3600_000;

export type AuditValues = ValuesOf<typeof AUDIT_OPTION_DEFS> & { 'no-crawl'?: boolean; concurrency?: string; 'ignore-rule'?: string[] };

/** The audit options from command-line values and the --config file they name. */
export function auditOptionsFrom(values: AuditValues, folder = process.cwd()): AuditOptions {
  // No --config: a config file of the folder (eindex.yaml, .eindexrc, …) is taken, and said so.
  const found = values.config === undefined ? discoverConfigFile(folder) : null;
  if (found) process.stderr.write(`eindex: using the config file ${found} (--config names another)\n`);
  const config = values.config ?? found ?? undefined;
  values = { ...values, ...(config ? { config } : {}) };
  const file = config ? loadConfigFile(config) : {};
  const base = defaultAuditOptions();
  return {
    ...base,
    crawl: !values['no-crawl'],
    maxPages: values['max-pages'] === undefined ? base.maxPages : positiveInt('--max-pages', values['max-pages'], 1),
    ...censusOptions(values),
    screenshots: values['no-screenshots'] ? 0 : base.screenshots,
    axeTags: values.tags ? checkAxeTags(values.tags.split(',').map((t) => t.trim()).filter(Boolean)) : file.axeTags ? checkAxeTags(file.axeTags, `config file ${values.config}: axeTags`) : base.axeTags,
    userAgent: values['user-agent'] ?? file.userAgent ?? userAgentFor(values.contact ?? file.contact ?? DEFAULT_CONTACT),
    headers: { ...file.headers, ...headers(values.header) },
    ...(file.headersForAllHosts ? { headersForAllHosts: true } : {}),
    cookies: file.cookies ?? [],
    login: file.login ?? [],
    exclude: [...(file.exclude ?? []), ...(values.exclude ?? [])],
    excludeUrls: [...(file.excludeUrls ?? []), ...(values['exclude-url'] ?? [])],
    ignoreRules: checkAxeRules([...(file.ignoreRules ?? []), ...(values['ignore-rule'] ?? [])]),
    concurrency: positiveInt('--concurrency', values.concurrency, base.concurrency),
    delayMs: wholeNumber('--delay', values.delay, base.delayMs),
    pageTimeoutMs: seconds('--page-timeout', values['page-timeout'], base.pageTimeoutMs),
    siteTimeoutMs: seconds('--site-timeout', values['site-timeout'], values.census ? CENSUS_SITE_TIMEOUT_MS : base.siteTimeoutMs),
    pageMemoryMb: positiveInt('--page-memory', values['page-memory'], base.pageMemoryMb),
    ignoreHttpsErrors: values['ignore-https-errors'] ?? file.ignoreHttpsErrors ?? false,
    ...(values.seed !== undefined ? { seed: wholeNumber('--seed', values.seed, 0) } : {}),
  };
}

/**
 * --census: every page, axe-core and the mobile checks only (Lighthouse would triple a registry night); its
 * site budget is CENSUS_SITE_TIMEOUT_MS unless --site-timeout gives one. Not with a sample's size or without crawling.
 */
function censusOptions(values: AuditValues): Pick<AuditOptions, 'census' | 'lighthouse' | 'performance'> {
  if (!values.census) return { census: false, lighthouse: !values['no-lighthouse'], performance: !!values.performance && !values['no-lighthouse'] };
  if (values['max-pages'] !== undefined) throw new UserError('--census audits every page: leave out --max-pages');
  if (values['no-crawl']) throw new UserError('--census finds every page by crawling: leave out --no-crawl');
  if (values.performance) throw new UserError('--census runs no Lighthouse: leave out --performance');
  return { census: true, lighthouse: false, performance: false };
}

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  return n;
}

export function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new UserError(`${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

export function seconds(name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a number of seconds > 0, got ${JSON.stringify(value)}`);
  return Math.round(n * 1000);
}

export function headers(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of values ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UserError(`--header must look like "Name: value", got ${JSON.stringify(h)}`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}
