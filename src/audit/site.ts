// scanSite(): one site, end to end. The same function serves `eindex audit`, `eindex run` and the
// BullMQ workers. It orders named stages: discovery (robots.txt, sitemaps), the start page, exploring the
// site and planning the sample (WCAG-EM), auditing the sample, the result. The rules are pure modules.
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { emptyObserved, observedOn } from '../checks/observed.js';
import { ALLOW_ALL, type Robots } from '../crawl/robots.js';
import { assignTemplates, planSample } from '../crawl/sample-plan.js';
import { SiteSampler, type Candidate } from '../crawl/sampler.js';
import { classifyLink, pageKey } from '../crawl/url.js';
import { AXE_VERSION } from '../gather/axe.js';
import { LIGHTHOUSE_VERSION } from '../gather/lighthouse.js';
import { gatherPage, type GatheredPage, type PageGatherOptions } from '../gather/page.js';
import type { BrowserSession } from '../gather/session.js';
import { buildSiteResult } from '../grading/site-result.js';
import type { Emulation, SiteResult } from '../schema/result.js';
import { UserError, errorMessage } from '../util/errors.js';
import { Pacer } from '../util/time.js';
import { TOOL_VERSION } from '../version.js';
import { SiteContexts, type ContextLease } from './contexts.js';
import { loginState, readRobots, readSitemaps, type Discovery } from './discovery.js';
import { SiteExplorer } from './explore.js';
import type { AuditOptions } from './options.js';

const require = createRequire(import.meta.url);
const PLAYWRIGHT_VERSION: string = require('playwright-core/package.json').version;

export class UnreachableSiteError extends UserError {}

export interface ScanProgress {
  /** What the audit is doing now, before pages: reading robots.txt, then sitemaps, then exploring. */
  onPhase?(phase: 'robots.txt' | 'sitemaps' | 'exploring' | 'pages'): void;
  /** A page is done; `planned`: the pages the sample will have as far as is known now. */
  onPage?(page: GatheredPage, done: number, planned: number): void;
  /**
   * Stops the scan (SIGTERM, SIGINT): no page is started after it, pages in flight are abandoned, and the
   * result of what was audited comes back marked `interrupted`.
   */
  signal?: AbortSignal;
}

/** Rounds of exploring and planning: a later one samples what the browser found that HTML did not show. */
const MAX_PLAN_ROUNDS = 3;

export async function scanSite(urls: URL[], o: AuditOptions, session: BrowserSession, progress: ScanProgress = {}): Promise<SiteResult> {
  const startedAt = new Date();
  const start = urls[0]!;
  const m = o.methodology;
  const emulation: Emulation = {
    device: m.mobile.device.name, width: m.mobile.device.width, height: m.mobile.device.height,
    deviceScaleFactor: m.mobile.device.deviceScaleFactor, isMobile: m.mobile.device.isMobile, hasTouch: m.mobile.device.hasTouch,
  };
  const signal = progress.signal;
  const stopped = new Promise<void>((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener('abort', () => resolve(), { once: true })));
  const http = { userAgent: o.userAgent, headers: o.headers, timeoutMs: 15_000, proxy: o.proxy, ignoreHttpsErrors: o.ignoreHttpsErrors, signal };
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
  };
  const maxPages = o.crawl ? o.maxPages : urls.length;
  const deadline = startedAt.getTime() + o.siteTimeoutMs;
  const s = m.sample;
  const exploreLimit = Math.min(s.exploreMax, Math.max(s.exploreMin, maxPages * s.explorePerSamplePage));
  // The frontier of exploration: robots.txt, --exclude-url, the site's hosts, each page once.
  const sampler = new SiteSampler(start, o.crawl ? exploreLimit + MAX_PLAN_ROUNDS * maxPages : maxPages, disc.robots, undefined, o.excludeUrls);
  const queue: Candidate[] = [];
  for (const [i, u] of urls.entries()) {
    if (queue.some((c) => pageKey(c.url) === pageKey(u))) continue; // the same page named twice
    const home = i === 0 && o.crawl;
    queue.push({ url: u.href, source: home ? 'start' : 'given', depth: 0, reason: home ? 'home' : 'given' });
    sampler.markSeen(u.href);
  }
  if (o.crawl) progress.onPhase?.('pages');
  const storageState = await loginState(session, o, emulation, start);
  const seed = o.seed ?? randomInt(2 ** 31);

  const screenshotted = new Set<string>();
  const gatherOpts = (lighthouse: PageGatherOptions['lighthouse']): PageGatherOptions => ({
    emulation, userAgent: o.userAgent, headers: o.headers, storageState, axeTags: o.axeTags, exclude: o.exclude, ignoreRules: o.ignoreRules,
    pageTimeoutMs: o.pageTimeoutMs, settleMs: o.settleMs, pageMemoryMb: o.pageMemoryMb,
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
  const pacer = new Pacer(delay);
  const explorer = new SiteExplorer(sampler, http, pacer, delay > 0 ? 1 : 4, signal);

  /**
   * A robots.txt that answered 5xx or nothing is asked once more, after the start page and at least
   * robotsRetryMs after the first try (a server busy for a moment should not shrink the sample to one
   * page); a good answer then opens the site, its sitemaps included.
   */
  const retryRobots = async () => {
    const wait = discoveryStarted + o.robotsRetryMs - Date.now();
    if (wait > 0) await Promise.race([stopped, new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))))]);
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
    const isStart = page.candidate.source === 'start';
    if (page.finalUrl && isStart) sampler.alsoSite(page.finalUrl);
    for (const link of page.links) {
      const kind = classifyLink(link.href, base, link.download);
      // The language versions the start page declares belong to the site, on whichever host they are.
      if (kind.kind === 'page' && isStart && link.hreflang) sampler.alsoSite(kind.url.href);
      if (kind.kind === 'document' && sampler.onSite(kind.url) && documents.size < 500 && !documents.has(pageKey(kind.url))) {
        documents.set(pageKey(kind.url), { url: kind.url.href, type: kind.type, foundOn: base });
      }
    }
    explorer.addLinks(page.links, base, page.candidate.depth);
  };

  // The config's headers go to the site's own hosts only, unless it says every host (headersForAllHosts).
  const headersFor = o.headersForAllHosts ? undefined : (url: string) => sampler.onSite(url);
  const contexts = new SiteContexts(session, { emulation, userAgent: o.userAgent, headers: o.headers, headersFor, ignoreHttpsErrors: o.ignoreHttpsErrors }, storageState, start.host);
  const auditOne = async (candidate: Candidate): Promise<void> => {
    let crashes = 0;
    for (let attempt = 0; ; attempt++) {
      let page: GatheredPage;
      let handle: Awaited<ReturnType<BrowserSession['acquire']>> | null = null;
      let lease: ContextLease | null = null;
      try {
        handle = await session.acquire();
        lease = contexts.lease(handle.browser);
        page = await gatherPage(await lease.context, candidate, gatherOpts(handle.lighthouse));
        if (page.contextBroken) lease.broken = true;
        // A page over its memory budget leaves its context and its browser to be replaced.
        if (page.error?.code === 'memory') (lease.broken = true, session.recycleSoon());
      } catch (err) {
        if (err instanceof UserError) throw err; // no Chromium at all: the user must fix that
        // The browser could not be started or a context not opened: this page fails, the audit goes on.
        page = { candidate, links: [], durationMs: 0, error: { code: 'crash', message: `browser: ${errorMessage(err)}` } };
        if (lease) lease.broken = true;
      } finally {
        if (lease) contexts.release(lease);
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
      progress.onPage?.(page, gathered.length, Math.max(gathered.length, Math.min(maxPages, gathered.length + inFlight.size - 1 + queue.length)));
      return;
    }
  };

  // Exploring and planning: the pages found are read over HTTP, and the plan picks the sample from them.
  let rounds = 0;
  const planMore = async (): Promise<number> => {
    rounds++;
    progress.onPhase?.('exploring');
    const until = Math.min(deadline, Date.now() + o.siteTimeoutMs * s.exploreShareOfSiteBudget);
    const home = gathered.find((p) => p.candidate.source === 'start');
    if (rounds === 1 && home && !home.error) {
      await explorer.addStart(home.finalUrl ?? home.candidate.url, home.html);
      delete home.html; // read: not kept for the rest of the audit
    }
    await explorer.explore(exploreLimit + (rounds - 1) * maxPages, until);
    // A page taken counts under the URL it landed on too (a root that redirects to /en/ took /en/).
    const taken = [
      ...gathered.map((p) => ({ url: p.candidate.url, finalUrl: p.finalUrl, reason: p.candidate.reason ?? 'link' as const })),
      ...queue.map((c) => ({ url: c.url, reason: c.reason ?? 'link' as const })),
    ];
    const picks = planSample({ taken, explored: explorer.explored, size: maxPages, seed: seed + rounds - 1, statementUrl: explorer.statement?.link.href ?? null, method: s });
    for (const p of picks) queue.push({ url: p.url, ...explorer.foundAs(p.url), reason: p.reason });
    progress.onPhase?.('pages');
    return picks.length;
  };

  const inFlight = new Set<Promise<void>>();
  let planned = !o.crawl;
  for (;;) {
    if (signal?.aborted) break; // what is in flight is abandoned: the browsers close under it
    if (!planned && gathered.length > 0 && inFlight.size === 0) {
      await sitemapsDone();
      if (disc.robotsTxt === 'error') await retryRobots();
      sampler.addSitemapUrls(disc.sitemapUrls);
      planned = true;
      if (gathered[0]!.error?.code !== 'network') await planMore();
    }
    const canStart = Date.now() < deadline && inFlight.size < concurrency && (planned || inFlight.size === 0);
    const candidate = canStart ? queue.shift() : undefined;
    if (candidate) {
      const p: Promise<void> = auditOne(candidate).finally(() => inFlight.delete(p));
      inFlight.add(p);
      continue;
    }
    if (inFlight.size === 0) {
      // The plan ran short (pages the browser found that their HTML did not show): explore and plan again.
      const short = o.crawl && gathered.length < maxPages && rounds > 0 && rounds < MAX_PLAN_ROUNDS && Date.now() < deadline;
      if (short && (await planMore()) > 0) continue;
      break;
    }
    await Promise.race([...inFlight, stopped]);
  }
  const interrupted = !!signal?.aborted;
  await sitemapsDone(); // no page was audited (the start page disallowed): the result still lists them
  if (!explorer.statement && !interrupted) await explorer.confirmCandidates(3, deadline);
  const hosts = new Set([start.host, ...gathered.flatMap((p) => [p.candidate.url, p.finalUrl ?? p.candidate.url]).map((u) => new URL(u).host)]);
  if (!interrupted) await contexts.finish(hosts);
  const okPages = gathered.filter((p) => !p.error);
  if (!interrupted && okPages.length === 0 && gathered.length > 0 && gathered.every((p) => p.error?.code === 'network')) {
    throw new UnreachableSiteError(`cannot reach ${start.href}: ${gathered[0]!.error!.message}`);
  }
  const found = explorer.statement;
  const templates = assignTemplates(explorer.explored, s.templateSimilarity);
  return buildSiteResult({
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
    pages: [...gathered],
    observed,
    interrupted,
    sample: {
      planned: maxPages, crawl: o.crawl, robotsTxt: disc.robotsTxt, robotsProblem: disc.robotsProblem,
      disallowed: sampler.disallowed, deadlineReached: Date.now() >= deadline && (queue.length > 0 || sampler.pending > 0 && gathered.length < maxPages),
    },
    plan: o.crawl ? {
      seed, explored: explorer.size, templates: new Set(templates.values()).size,
      templateOf: (url) => templates.get(pageKey(url)) ?? null,
    } : null,
  }, m);
}
