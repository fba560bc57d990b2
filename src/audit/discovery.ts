// Discovery before the pages: robots.txt (RFC 9309) and the sitemaps it names, read over plain HTTP, and
// the login steps a config file declares, run once per site for the session the pages are audited with.
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type Robots } from '../crawl/robots.js';
import { parseSitemap } from '../crawl/sitemap.js';
import { sameSite } from '../crawl/url.js';
import { fetchText } from '../gather/http.js';
import { newAuditContext } from '../gather/page.js';
import type { BrowserSession } from '../gather/session.js';
import type { Emulation } from '../schema/result.js';
import { UserError, errorMessage } from '../util/errors.js';
import { ROBOTS_TOKEN, type AuditOptions } from './options.js';

export interface Discovery {
  robots: Robots;
  robotsTxt: 'found' | 'none' | 'error';
  /** What robots.txt answered when it could not be read: "HTTP 503", "ECONNRESET". */
  robotsProblem?: string;
  sitemaps: string[];
  sitemapUrls: string[];
  notes: string[];
}

export type HttpOptions = Parameters<typeof fetchText>[1];

export async function readRobots(start: URL, http: Omit<HttpOptions, 'maxBytes'>): Promise<Pick<Discovery, 'robots' | 'robotsTxt' | 'robotsProblem'>> {
  const res = await fetchText(new URL('/robots.txt', start).href, { ...http, maxBytes: 512 * 1024 });
  if (res.status >= 200 && res.status < 300) return { robots: parseRobots(res.text, ROBOTS_TOKEN), robotsTxt: 'found' };
  // RFC 9309: robots.txt unreachable through a server or network error means "disallow all".
  if (res.status === 0 || res.status >= 500) return { robots: DISALLOW_ALL, robotsTxt: 'error', robotsProblem: res.status ? `HTTP ${res.status}` : res.error ?? 'no answer' };
  return { robots: ALLOW_ALL, robotsTxt: 'none' };
}

export async function readSitemaps(start: URL, robots: Robots, http: Omit<HttpOptions, 'maxBytes'>): Promise<Pick<Discovery, 'sitemaps' | 'sitemapUrls' | 'notes'>> {
  const declared = robots.sitemaps.flatMap((s) => {
    try {
      return [new URL(s, start).href]; // some sites write relative Sitemap lines
    } catch {
      return [];
    }
  });
  const queue = declared.length ? declared : [new URL('/sitemap.xml', start).href];
  const sitemaps: string[] = [];
  const sitemapUrls: string[] = [];
  const notes: string[] = [];
  // Index sitemaps nest; a few files are plenty for a sample and a hostile index cannot keep us busy.
  for (let i = 0; i < queue.length && sitemaps.length < 10 && sitemapUrls.length < 5000; i++) {
    const url = queue[i]!;
    if (!sameSite(url, start)) continue;
    const res = await fetchText(url, { ...http, maxBytes: 20 * 1024 * 1024 });
    if (res.status < 200 || res.status >= 300) continue;
    if (res.error) notes.push(`sitemap ${url}: ${res.error}`);
    const parsed = parseSitemap(res.text, 5000 - sitemapUrls.length, { truncated: res.truncated });
    if (parsed.error) notes.push(`sitemap ${url}: ${parsed.error}`);
    if (parsed.kind === 'unknown' || !parsed.urls.length && parsed.error) continue;
    sitemaps.push(url);
    if (parsed.kind === 'index') queue.push(...parsed.urls);
    else sitemapUrls.push(...parsed.urls);
  }
  return { sitemaps, sitemapUrls, notes };
}

export async function loginState(session: BrowserSession, o: AuditOptions, emulation: Emulation, start: URL) {
  if (!o.login.length && !o.cookies.length) return undefined;
  const { browser } = await session.acquire();
  const context = await newAuditContext(browser, { emulation, userAgent: o.userAgent, headers: o.headers, ignoreHttpsErrors: o.ignoreHttpsErrors, headersFor: o.headersForAllHosts ? undefined : (url) => sameSite(url, start) });
  try {
    if (o.cookies.length) await context.addCookies(o.cookies);
    const page = await context.newPage();
    for (const step of o.login) {
      if ('goto' in step) await page.goto(step.goto, { waitUntil: 'load', timeout: o.pageTimeoutMs });
      else if ('fill' in step) await page.fill(step.fill, step.value, { timeout: 15_000 });
      else if ('click' in step) await Promise.all([page.waitForLoadState('load').catch(() => {}), page.click(step.click, { timeout: 15_000 })]);
      else await page.waitForSelector(step.waitFor, { timeout: 15_000 });
    }
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    return await context.storageState();
  } catch (err) {
    throw new UserError(`login step failed: ${errorMessage(err)}`);
  } finally {
    await context.close().catch(() => {});
    session.release();
  }
}

