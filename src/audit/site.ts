// scanSite(): one site, end to end. The same function serves `eindex audit`, `eindex run` and the
// BullMQ workers. Discovery rules, scoring and grading are pure modules; this file only orders the work.
import { createRequire } from 'node:module';
import { isStatementLink, type LinkFact } from '../checks/statement.js';
import { emptyObserved, observedOn } from '../checks/observed.js';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type Robots } from '../crawl/robots.js';
import { SiteSampler, type Candidate } from '../crawl/sampler.js';
import { parseSitemap } from '../crawl/sitemap.js';
import { classifyLink, pageKey, sameSite } from '../crawl/url.js';
import { AXE_VERSION } from '../gather/axe.js';
import { fetchText } from '../gather/http.js';
import { LIGHTHOUSE_VERSION } from '../gather/lighthouse.js';
import { gatherPage, newAuditContext, type GatheredPage, type PageGatherOptions } from '../gather/page.js';
import type { BrowserSession } from '../gather/session.js';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildSiteResult } from '../grading/site-result.js';
import type { Emulation, SiteResult } from '../schema/result.js';
import { UserError, errorMessage } from '../util/errors.js';
import { Pacer, withDeadline } from '../util/time.js';
import { TOOL_VERSION } from '../version.js';
import { ROBOTS_TOKEN, type AuditOptions } from './options.js';

const require = createRequire(import.meta.url);
const PLAYWRIGHT_VERSION: string = require('playwright-core/package.json').version;

export class UnreachableSiteError extends UserError {}

export interface ScanProgress {
  /** What the audit is doing now, before pages: reading robots.txt, then sitemaps. */
  onPhase?(phase: 'robots.txt' | 'sitemaps' | 'pages'): void;
  /** A page is done; `planned`: the pages the sample will have as far as is known now. */
  onPage?(page: GatheredPage, done: number, planned: number): void;
}

interface Discovery {
  robots: Robots;
  robotsTxt: 'found' | 'none' | 'error';
  /** What robots.txt answered when it could not be read: "HTTP 503", "ECONNRESET". */
  robotsProblem?: string;
  sitemaps: string[];
  sitemapUrls: string[];
  notes: string[];
}

type HttpOptions = Parameters<typeof fetchText>[1];

async function readRobots(start: URL, http: Omit<HttpOptions, 'maxBytes'>): Promise<Pick<Discovery, 'robots' | 'robotsTxt' | 'robotsProblem'>> {
  const res = await fetchText(new URL('/robots.txt', start).href, { ...http, maxBytes: 512 * 1024 });
  if (res.status >= 200 && res.status < 300) return { robots: parseRobots(res.text, ROBOTS_TOKEN), robotsTxt: 'found' };
  // RFC 9309: robots.txt unreachable through a server or network error means "disallow all".
  if (res.status === 0 || res.status >= 500) return { robots: DISALLOW_ALL, robotsTxt: 'error', robotsProblem: res.status ? `HTTP ${res.status}` : res.error ?? 'no answer' };
  return { robots: ALLOW_ALL, robotsTxt: 'none' };
}

async function readSitemaps(start: URL, robots: Robots, http: Omit<HttpOptions, 'maxBytes'>): Promise<Pick<Discovery, 'sitemaps' | 'sitemapUrls' | 'notes'>> {
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
    const parsed = parseSitemap(res.text, 5000 - sitemapUrls.length, { truncated: res.truncated });
    if (parsed.error) notes.push(`sitemap ${url}: ${parsed.error}`);
    if (parsed.kind === 'unknown' || !parsed.urls.length && parsed.error) continue;
    sitemaps.push(url);
    if (parsed.kind === 'index') queue.push(...parsed.urls);
    else sitemapUrls.push(...parsed.urls);
  }
  return { sitemaps, sitemapUrls, notes };
}

async function loginState(session: BrowserSession, o: AuditOptions, emulation: Emulation) {
  if (!o.login.length && !o.cookies.length) return undefined;
  const { browser } = await session.acquire();
  const context = await newAuditContext(browser, { emulation, userAgent: o.userAgent, headers: o.headers, ignoreHttpsErrors: o.ignoreHttpsErrors });
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

export async function scanSite(urls: URL[], o: AuditOptions, session: BrowserSession, progress: ScanProgress = {}): Promise<SiteResult> {
  const startedAt = new Date();
  const start = urls[0]!;
  const m = o.methodology;
  const emulation: Emulation = {
    device: m.mobile.device.name, width: m.mobile.device.width, height: m.mobile.device.height,
    deviceScaleFactor: m.mobile.device.deviceScaleFactor, isMobile: m.mobile.device.isMobile, hasTouch: m.mobile.device.hasTouch,
  };
  const http = { userAgent: o.userAgent, headers: o.headers, timeoutMs: 15_000, proxy: o.proxy, ignoreHttpsErrors: o.ignoreHttpsErrors };
  const discoveryStarted = Date.now();
  progress.onPhase?.(o.crawl ? 'robots.txt' : 'pages');
  let disc: Discovery = { robots: ALLOW_ALL, robotsTxt: 'none', sitemaps: [], sitemapUrls: [], notes: [] };
  if (o.crawl) disc = { ...disc, ...(await readRobots(start, http)) };
  // Sitemaps are read while the start page is audited: their pages join only after it (they rank after
  // its links), and a slow or huge sitemap no longer holds the browser idle.
  let sitemapsRead: Promise<Pick<Discovery, 'sitemaps' | 'sitemapUrls' | 'notes'>> | null = null;
  let sitemapsPending = false;
  if (o.crawl) {
    sitemapsPending = true;
    sitemapsRead = readSitemaps(start, disc.robots, http)
      .catch((err) => ({ sitemaps: [], sitemapUrls: [], notes: [`sitemaps could not be read: ${errorMessage(err)}`] }))
      .finally(() => (sitemapsPending = false));
  }
  const sitemapsDone = async () => {
    if (!sitemapsRead) return;
    const waiting = sitemapsPending;
    if (waiting) progress.onPhase?.('sitemaps');
    const read = await sitemapsRead;
    sitemapsRead = null;
    disc = { ...disc, ...read, notes: [...disc.notes, ...read.notes] };
    if (waiting) progress.onPhase?.('pages');
  };
  const maxPages = o.crawl ? o.maxPages : urls.length;
  const deadline = startedAt.getTime() + o.siteTimeoutMs;
  const sampler = new SiteSampler(start, maxPages, disc.robots, undefined, o.excludeUrls);
  urls.forEach((u, i) => sampler.addGiven(u.href, i === 0 && o.crawl ? 'start' : 'given'));
  if (o.crawl) progress.onPhase?.('pages');
  const storageState = await loginState(session, o, emulation);

  const screenshotted = new Set<string>();
  const gatherOpts = (lighthouse: PageGatherOptions['lighthouse']): PageGatherOptions => ({
    emulation, userAgent: o.userAgent, headers: o.headers, storageState, axeTags: o.axeTags, exclude: o.exclude, ignoreRules: o.ignoreRules,
    pageTimeoutMs: o.pageTimeoutMs, settleMs: o.settleMs,
    ignoreHttpsErrors: o.ignoreHttpsErrors, maxRetryAfterMs: o.maxRetryAfterMs, lighthouse, performance: o.performance, screenshots: o.screenshots, screenshotted,
    beforeNavigate: () => pacer.wait(),
    // The gap counts from when the request really left (a fresh tab can take 0.1 s to send it).
    onNavigationRequest: () => pacer.pauseUntil(Date.now() + pacer.gapMs),
  });

  const delayFor = (robots: Robots) => Math.max(o.delayMs, Math.min(o.maxCrawlDelayMs, (robots.crawlDelaySeconds ?? 0) * 1000));
  const delay = delayFor(disc.robots);
  let concurrency = delay > 0 ? 1 : Math.max(1, o.concurrency);
  const gathered: GatheredPage[] = [];
  const documents = new Map<string, SiteResult['discovery']['documents'][number]>();
  let statement: { link: LinkFact; foundOn: string } | null = null;
  const pacer = new Pacer(delay);
  let sitemapAdded = false;

  /**
   * A robots.txt that answered 5xx or nothing is asked once more, after the start page and at least
   * robotsRetryMs after the first try (a server busy for a moment should not shrink the sample to one
   * page); a good answer then opens the site, its sitemaps included.
   */
  const retryRobots = async () => {
    const wait = discoveryStarted + o.robotsRetryMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
    const again = await readRobots(start, http);
    const first = disc.robotsProblem;
    if (again.robotsTxt === 'error') {
      disc.notes.push(`robots.txt could not be read (${first}); asked again ${Math.round((Date.now() - discoveryStarted) / 1000)} s later: ${again.robotsProblem}`);
      disc.robotsProblem = again.robotsProblem;
      return;
    }
    disc = { ...disc, ...again, robotsProblem: undefined, ...(await readSitemaps(start, again.robots, http)), notes: [...disc.notes, `robots.txt could not be read (${first}); read when asked again`] };
    sampler.setRobots(disc.robots);
    pacer.gapMs = delayFor(disc.robots);
    if (pacer.gapMs > 0) concurrency = 1;
  };

  const observed = emptyObserved();
  const absorbLinks = (page: GatheredPage) => {
    const base = page.finalUrl ?? page.candidate.url;
    observedOn(page.links, observed);
    if (page.finalUrl) sampler.markSeen(page.finalUrl);
    if (page.finalUrl && page.candidate.source === 'start') sampler.alsoSite(page.finalUrl);
    const pageUrls: string[] = [];
    for (const link of page.links) {
      const kind = classifyLink(link.href, base, link.download);
      if (kind.kind === 'document') {
        if (sampler.onSite(kind.url) && documents.size < 500 && !documents.has(pageKey(kind.url))) {
          documents.set(pageKey(kind.url), { url: kind.url.href, type: kind.type, foundOn: base });
        }
      } else if (kind.kind === 'page') {
        pageUrls.push(kind.url.href);
        if (!statement && isStatementLink({ href: kind.url.href, text: link.text })) {
          statement = { link: { href: kind.url.href, text: link.text }, foundOn: base };
          if (o.crawl) sampler.addStatement(kind.url.href, page.candidate.depth);
        }
      }
    }
    if (o.crawl) sampler.addLinks(pageUrls, page.candidate.depth);
  };

  const auditOne = async (candidate: Candidate): Promise<void> => {
    let crashes = 0;
    for (let attempt = 0; ; attempt++) {
      let page: GatheredPage;
      let handle: Awaited<ReturnType<BrowserSession['acquire']>> | null = null;
      let lease: ContextLease | null = null;
      try {
        handle = await session.acquire();
        lease = leaseContext(handle.browser);
        page = await gatherPage(await lease.context, candidate, gatherOpts(handle.lighthouse));
        if (page.contextBroken) lease.broken = true;
      } catch (err) {
        if (err instanceof UserError) throw err; // no Chromium at all: the user must fix that
        // The browser could not be started or a context not opened: this page fails, the audit goes on.
        page = { candidate, links: [], durationMs: 0, error: { code: 'crash', message: `browser: ${errorMessage(err)}` } };
        if (lease) lease.broken = true;
      } finally {
        if (lease) releaseContext(lease);
        if (handle) session.release();
      }
      // The server asked us to come back later (429/503 + Retry-After): pause this host, then retry.
      if (page.retryAfterMs !== undefined && attempt < 2 && Date.now() + page.retryAfterMs < deadline) {
        pacer.pauseUntil(Date.now() + page.retryAfterMs);
        continue;
      }
      // A crash may not be this page's doing: a renderer shared with another tab, or the whole browser,
      // can go down under it. It gets one more try in a fresh tab; a second crash is its own.
      if (page.error?.code === 'crash' && crashes++ === 0 && Date.now() + o.pageTimeoutMs < deadline) continue;
      if (page.error?.code === 'crash' && crashes > 1) page.error.message = `crashed twice: ${page.error.message}`;
      // A selector of --exclude the browser cannot parse is the user's mistake, not the page's: stop here.
      const badSelector = /--exclude: .* is not a valid CSS selector/.exec(page.error?.message ?? '');
      if (badSelector) throw new UserError(badSelector[0]);
      gathered.push(page);
      if (!page.error) absorbLinks(page);
      progress.onPage?.(page, gathered.length, Math.max(gathered.length, Math.min(maxPages, gathered.length + inFlight.size - 1 + sampler.pending)));
      return;
    }
  };

  // One browser context per site and browser: cookies and a login persist across the site's pages. A
  // context that has to go (one of its tabs would not close) is retired: later pages get a fresh one, and
  // it is closed when the last page still using it is done, since closing it at once would kill those.
  interface ContextLease { browser: Browser; context: Promise<BrowserContext>; users: number; broken: boolean }
  // Without a login, the context the previous site of this session left is taken over (cookies cleared,
  // never one that has shown this host before): a new context per site costs a renderer process more.
  const contextOptions = { emulation, userAgent: o.userAgent, headers: o.headers, ignoreHttpsErrors: o.ignoreHttpsErrors };
  const shareable = !storageState;
  const contextKey = JSON.stringify(contextOptions);
  const contexts = new Map<Browser, ContextLease>();
  const leaseContext = (browser: Browser): ContextLease => {
    let lease = contexts.get(browser);
    if (!lease) {
      const fresh = () => newAuditContext(browser, { ...contextOptions, storageState });
      const context = shareable ? session.adoptContext(browser, contextKey, start.host).then((c) => c ?? fresh()) : fresh();
      lease = { browser, context, users: 0, broken: false };
      contexts.set(browser, lease);
    }
    lease.users++;
    return lease;
  };
  const closeContext = (lease: ContextLease): Promise<void> =>
    lease.context.then((ctx) => withDeadline('closing a context', 10_000, ctx.close())).catch(() => {});
  const releaseContext = (lease: ContextLease) => {
    lease.users--;
    if (lease.broken && contexts.get(lease.browser) === lease) contexts.delete(lease.browser);
    if (lease.broken && lease.users === 0) void closeContext(lease);
  };

  const inFlight = new Set<Promise<void>>();
  for (;;) {
    // Sitemap pages join once the start page's own links are known, so they rank after them.
    if (!sitemapAdded && (!o.crawl || gathered.length > 0)) {
      await sitemapsDone();
      if (o.crawl && disc.robotsTxt === 'error') await retryRobots();
      if (o.crawl) sampler.addSitemapUrls(disc.sitemapUrls);
      sitemapAdded = true;
    }
    const canStart = Date.now() < deadline && inFlight.size < concurrency && (sitemapAdded || inFlight.size === 0);
    const candidate = canStart ? sampler.next() : null;
    if (candidate) {
      const p: Promise<void> = auditOne(candidate).finally(() => inFlight.delete(p));
      inFlight.add(p);
      continue;
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }

  await sitemapsDone(); // no page was audited (the start page disallowed): the result still lists them
  const hosts = new Set([start.host, ...gathered.flatMap((p) => [p.candidate.url, p.finalUrl ?? p.candidate.url]).map((u) => new URL(u).host)]);
  await Promise.all([...contexts.values()].map(async (lease) => {
    if (shareable && !lease.broken && lease.browser.isConnected()) {
      const context = await lease.context.catch(() => null);
      if (context) return session.keepContext(lease.browser, contextKey, context, hosts);
    }
    return closeContext(lease);
  }));
  const okPages = gathered.filter((p) => !p.error);
  if (okPages.length === 0 && gathered.length > 0 && gathered.every((p) => p.error?.code === 'network')) {
    throw new UnreachableSiteError(`cannot reach ${start.href}: ${gathered[0]!.error!.message}`);
  }
  const found = statement as { link: LinkFact; foundOn: string } | null;
  const result = buildSiteResult({
    url: start.href,
    startedAt,
    finishedAt: new Date(),
    tool: { name: 'eindex', version: TOOL_VERSION, axeCore: AXE_VERSION, lighthouse: o.lighthouse ? LIGHTHOUSE_VERSION : null, browser: session.version, playwright: PLAYWRIGHT_VERSION },
    emulation,
    axeTags: o.axeTags,
    exclusions: { selectors: o.exclude, urlPatterns: o.excludeUrls, ignoredRules: o.ignoreRules },
    statement: found
      ? { found: true, url: found.link.href, linkText: found.link.text, foundOn: found.foundOn }
      : { found: false, url: null, linkText: null, foundOn: null },
    discovery: {
      robotsTxt: disc.robotsTxt, sitemaps: disc.sitemaps, sitemapUrls: disc.sitemapUrls.length, linksSeen: sampler.linksSeen,
      documents: [...documents.values()], excluded: sampler.excluded, notes: disc.notes,
    },
    pages: gathered,
    observed,
    sample: {
      planned: maxPages, crawl: o.crawl, robotsTxt: disc.robotsTxt, robotsProblem: disc.robotsProblem,
      disallowed: sampler.disallowed, deadlineReached: Date.now() >= deadline && sampler.pending > 0,
    },
  }, m);
  return result;
}
