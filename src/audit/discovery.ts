// Discovery before the pages: robots.txt (RFC 9309) and the sitemaps it names, read over plain HTTP, and
// the login steps a config file declares, run once per site for the session the pages are audited with.
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type Robots } from '../crawl/robots.js';
import { parseSitemap } from '../crawl/sitemap.js';
import { sameSite } from '../crawl/url.js';
import { fetchText } from '../gather/http.js';
import { newAuditContext } from '../gather/page.js';
import { openTab } from '../gather/scoped-headers.js';
import type { BrowserSession } from '../gather/session.js';
import type { Emulation } from '../schema/result.js';
import { UserError, errorMessage } from '../util/errors.js';
import { headersFor, ROBOTS_TOKEN, type AuditOptions } from './options.js';

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
/** How the scan reads over plain HTTP (robots.txt, sitemaps, exploration): each read sets its own size cap. */
export type ScanHttp = Omit<HttpOptions, 'maxBytes'>;

export async function readRobots(start: URL, http: ScanHttp): Promise<Pick<Discovery, 'robots' | 'robotsTxt' | 'robotsProblem'>> {
  const res = await fetchText(new URL('/robots.txt', start).href, { ...http, maxBytes: 512 * 1024 });
  if (res.status >= 200 && res.status < 300) return { robots: parseRobots(res.text, ROBOTS_TOKEN), robotsTxt: 'found' };
  // RFC 9309: robots.txt unreachable through a server or network error means "disallow all".
  if (res.status === 0 || res.status >= 500) return { robots: DISALLOW_ALL, robotsTxt: 'error', robotsProblem: res.status ? `HTTP ${res.status}` : res.error ?? 'no answer' };
  return { robots: ALLOW_ALL, robotsTxt: 'none' };
}

export async function readSitemaps(start: URL, robots: Robots, http: ScanHttp): Promise<Pick<Discovery, 'sitemaps' | 'sitemapUrls' | 'notes'>> {
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
  const context = await newAuditContext(browser, { emulation, userAgent: o.userAgent, headers: o.headers, ignoreHttpsErrors: o.ignoreHttpsErrors, headersFor: headersFor(start, o) });
  try {
    if (o.cookies.length) await context.addCookies(o.cookies);
    const page = await openTab(context);
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



/**
 * Discovery as the scan goes: robots.txt first, the sitemaps read on the side while the start page is
 * audited (they rank after its links, and a slow or huge sitemap no longer holds the browser idle), and a
 * robots.txt that could not be read asked once more.
 */
export class SiteDiscovery implements Discovery {
  robots: Robots = ALLOW_ALL;
  robotsTxt: Discovery['robotsTxt'] = 'none';
  robotsProblem?: string;
  sitemaps: string[] = [];
  sitemapUrls: string[] = [];
  readonly notes: string[] = [];
  readonly #startedAt = Date.now();
  #sitemapsRead: Promise<Pick<Discovery, 'sitemaps' | 'sitemapUrls' | 'notes'>> | null = null;
  #sitemapsPending = false;

  constructor(private readonly start: URL, private readonly http: ScanHttp) {}

  async readRobots() {
    Object.assign(this, await readRobots(this.start, this.http));
  }

  readSitemapsAside() {
    this.#sitemapsPending = true;
    this.#sitemapsRead = readSitemaps(this.start, this.robots, this.http)
      .catch((err) => ({ sitemaps: [], sitemapUrls: [], notes: [`sitemaps could not be read: ${errorMessage(err)}`] }))
      .finally(() => (this.#sitemapsPending = false));
  }

  /** The sitemaps read on the side, waited for; `onWait` is told when they are not in yet. */
  async sitemapsDone(onWait?: () => void) {
    if (!this.#sitemapsRead) return;
    if (this.#sitemapsPending) onWait?.();
    const read = await this.#sitemapsRead;
    this.#sitemapsRead = null;
    this.#take(read);
  }

  /**
   * A robots.txt that answered 5xx or nothing is asked once more, `after` ms after the first try at the
   * earliest (a server busy for a moment should not shrink the sample to one page); a good answer then
   * opens the site, its sitemaps included. Returns whether robots.txt now reads.
   */
  async retryRobots(after: number, deadline: number, stopped: Promise<void>): Promise<boolean> {
    const wait = Math.min(this.#startedAt + after - Date.now(), deadline - Date.now());
    if (wait > 0) await Promise.race([stopped, new Promise((r) => setTimeout(r, wait))]);
    const again = await readRobots(this.start, this.http);
    const first = this.robotsProblem;
    if (again.robotsTxt === 'error') {
      this.notes.push(`robots.txt could not be read (${first}); asked again ${Math.round((Date.now() - this.#startedAt) / 1000)} s later: ${again.robotsProblem}`);
      this.robotsProblem = again.robotsProblem;
      return false;
    }
    Object.assign(this, again, { robotsProblem: undefined });
    this.#take(await readSitemaps(this.start, again.robots, this.http));
    this.notes.push(`robots.txt could not be read (${first}); read when asked again`);
    return true;
  }

  #take(read: Pick<Discovery, 'sitemaps' | 'sitemapUrls' | 'notes'>) {
    this.sitemaps = read.sitemaps;
    this.sitemapUrls = read.sitemapUrls;
    this.notes.push(...read.notes);
  }
}
