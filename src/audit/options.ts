// Audit options: defaults, the config file (headers, cookies, a login step) and their validation.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_METHODOLOGY, type Methodology } from '../grading/methodology.js';
import { UserError } from '../util/errors.js';
import { TOOL_VERSION } from '../version.js';
import { knownAxeRules, knownAxeTags } from '../gather/axe.js';
import { sameSite } from '../crawl/url.js';

export const ROBOTS_TOKEN = 'eindex';
export const DEFAULT_CONTACT = 'https://github.com/eindex/eindex';

const loginStepSchema = z.union([
  z.object({ goto: z.string().url() }).strict(),
  z.object({ fill: z.string(), value: z.string() }).strict(),
  z.object({ click: z.string() }).strict(),
  z.object({ waitFor: z.string() }).strict(),
]);
export type LoginStep = z.infer<typeof loginStepSchema>;

export const configFileSchema = z.object({
  userAgent: z.string().optional(),
  contact: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  cookies: z.array(z.object({ name: z.string(), value: z.string(), url: z.string().url() }).strict()).optional(),
  login: z.array(loginStepSchema).optional(),
  axeTags: z.array(z.string()).min(1).optional(),
  ignoreHttpsErrors: z.boolean().optional(),
  exclude: z.array(z.string().min(1)).optional(),
  excludeUrls: z.array(z.string().min(1)).optional(),
  ignoreRules: z.array(z.string().min(1)).optional(),
  /** Send `headers` to every host a page loads from, not only the audited site's (default false). */
  headersForAllHosts: z.boolean().optional(),
}).strict();
export type ConfigFile = z.infer<typeof configFileSchema>;

export interface AuditOptions {
  crawl: boolean;
  /** The sample's size: a number of pages, or `auto` (every template and the random part: methodology sample.size). */
  maxPages: number | 'auto';
  /** Every page explored is audited (axe-core and the mobile checks), not a sample: an evaluator's whole-site audit. */
  census: boolean;
  lighthouse: boolean;
  /** Lighthouse's performance category too (a second, navigation-mode run per page: slow). */
  performance: boolean;
  axeTags: string[];
  /** Element screenshots per page kept as report evidence (0: none). */
  screenshots: number;
  userAgent: string;
  headers: Record<string, string>;
  /** `headers` go to every host, not only the audited site's own (a config file's explicit choice). */
  headersForAllHosts?: boolean;
  cookies: { name: string; value: string; url: string }[];
  login: LoginStep[];
  /** CSS selectors of content the site does not control (a third-party widget): axe-core leaves it out, and it is hidden from the mobile checks and Lighthouse. */
  exclude: string[];
  /** robots.txt-style patterns of URLs never sampled (`/en/archive/`, `*.pdf$`, or an absolute URL prefix). */
  excludeUrls: string[];
  /** axe-core rules left out of the result and the grade (a webmaster's; registry runs refuse them). */
  ignoreRules: string[];
  pageTimeoutMs: number;
  /** A page using more memory than this (MB: JS heap and ArrayBuffers) is stopped, errorCode "memory". */
  pageMemoryMb: number;
  siteTimeoutMs: number;
  concurrency: number;
  /** Pause between two page loads on one host; a larger robots.txt Crawl-delay wins, up to maxCrawlDelayMs. */
  delayMs: number;
  maxCrawlDelayMs: number;
  settleMs: number;
  maxRetryAfterMs: number;
  /** A robots.txt that answered 5xx or nothing is asked again this long after the first try. */
  robotsRetryMs: number;
  ignoreHttpsErrors: boolean;
  methodology: Methodology;
  /** The random part of the sample is drawn with this seed (recorded in the result; the same seed, the same sample). */
  seed?: number;
  /** Egress proxy for robots.txt and sitemaps (self-service checks); the browser's is set at launch. */
  proxy?: string;
}

/**
 * Which URLs get the configured headers: those of the host the operator named (the start URL's, with or
 * without www., http or https: the redirects a site makes to its own canonical address), every request and
 * every redirect hop judged alone; not another host the site redirects or links to, whatever the site says
 * is its own. Every URL only when the config says so (headersForAllHosts).
 */
export function headersFor(start: URL, o: Pick<AuditOptions, 'headersForAllHosts'>): ((url: string) => boolean) | undefined {
  if (o.headersForAllHosts) return undefined;
  return (url) => {
    try {
      return sameSite(url, start);
    } catch {
      return false;
    }
  };
}

export function userAgentFor(contact: string, browserVersion = '130.0.0.0'): string {
  // A phone browser's UA, so sites serve their mobile version, then who we are and how to reach us.
  return `Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browserVersion} Mobile Safari/537.36 ${ROBOTS_TOKEN}/${TOOL_VERSION} (+${contact})`;
}

export function defaultAuditOptions(overrides: Partial<AuditOptions> = {}): AuditOptions {
  const methodology = overrides.methodology ?? DEFAULT_METHODOLOGY;
  return {
    crawl: true,
    maxPages: 'auto',
    census: false,
    lighthouse: true,
    performance: false,
    axeTags: methodology.axe.tags,
    screenshots: 5,
    userAgent: userAgentFor(DEFAULT_CONTACT),
    headers: {},
    cookies: [],
    login: [],
    exclude: [],
    excludeUrls: [],
    ignoreRules: [],
    pageTimeoutMs: 60_000,
    pageMemoryMb: 1024,
    siteTimeoutMs: 20 * 60_000,
    concurrency: 2,
    delayMs: 0,
    maxCrawlDelayMs: 30_000,
    settleMs: 3_000,
    maxRetryAfterMs: 60_000,
    robotsRetryMs: 5_000,
    ignoreHttpsErrors: false,
    methodology,
    ...overrides,
  };
}

/**
 * axe-core tags as given by a person (--tags, a config file): each must be one axe-core's rules carry,
 * or the audit would silently run fewer rules (a typo such as "wcagg2a" runs none) and grade on nothing.
 */
export function checkAxeTags(tags: string[], from = '--tags'): string[] {
  if (!tags.length) throw new UserError(`${from} names no axe-core tag`);
  const known = knownAxeTags();
  const unknown = tags.filter((t) => !known.has(t));
  if (unknown.length) {
    const near = unknown.map((t) => [...known].find((k) => k.replace(/[^a-z0-9]/gi, '') === t.replace(/[^a-z0-9]/gi, '') || editDistance(k, t) <= 1)).filter(Boolean);
    throw new UserError(`${from}: unknown axe-core tag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; axe-core ${AXE_TAG_HINT}`);
  }
  return tags;
}

/** axe-core rule ids as given by a person (--ignore-rule, a config file): each must be one of axe-core's rules. */
export function checkAxeRules(ids: string[], from = '--ignore-rule'): string[] {
  const known = knownAxeRules();
  for (const id of ids) {
    if (known.has(id)) continue;
    const near = [...known].find((k) => editDistance(k, id) <= 2);
    throw new UserError(`${from}: ${JSON.stringify(id)} is not an axe-core rule${near ? ` (did you mean ${near}?)` : ''}; rule ids look like color-contrast, image-alt, target-size`);
  }
  return ids;
}

const AXE_TAG_HINT = 'tags look like wcag2a, wcag2aa, wcag21aa, wcag22aa, best-practice, EN-301-549';

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function loadConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`cannot read config file ${path}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text); // YAML is a superset of JSON: both forms are accepted
  } catch (err) {
    throw new UserError(`config file ${path} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = configFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A mistyped key ("heders") gets the key it most likely meant.
    const unknown = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys[0] : undefined;
    const known = Object.keys(configFileSchema.shape);
    const near = unknown ? known.find((k) => editDistance(k.toLowerCase(), unknown.toLowerCase()) <= 2) : undefined;
    const what = unknown ? `unknown key ${JSON.stringify(unknown)}${near ? ` (did you mean ${near}?)` : `; known keys: ${known.join(', ')}`}` : issue.message;
    throw new UserError(`config file ${path}: ${issue.path.join('.') || '(top level)'}: ${what}`);
  }
  return parsed.data;
}

/** The config files looked for in the current folder when --config names none, in this order (as pa11y-ci and LHCI users expect one). */
export const CONFIG_FILE_NAMES = ['eindex.yaml', 'eindex.yml', 'eindex.json', '.eindexrc', '.eindexrc.yaml', '.eindexrc.yml', '.eindexrc.json'];

/** The config file of the folder, when it has one of CONFIG_FILE_NAMES. */
export function discoverConfigFile(folder: string): string | null {
  return CONFIG_FILE_NAMES.map((name) => join(folder, name)).find((p) => existsSync(p)) ?? null;
}
