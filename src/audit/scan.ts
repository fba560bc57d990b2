// The one state a site's scan carries through its stages (site.ts orders them): what was asked, the
// budgets, the frontier, the pages audited so far, and the helpers every stage shares. Opening a scan
// does no I/O: the stages do.
import { randomInt } from 'node:crypto';
import { ALLOW_ALL } from '../crawl/robots.js';
import { SiteSampler, type Candidate } from '../crawl/sampler.js';
import { pageKey } from '../crawl/url.js';
import type { GatheredPage } from '../gather/page.js';
import type { BrowserSession } from '../gather/session.js';
import type { Emulation } from '../schema/result.js';
import { Pacer } from '../util/time.js';
import { SiteDiscovery, type ScanHttp } from './discovery.js';
import { headersFor, type AuditOptions } from './options.js';

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
export const MAX_PLAN_ROUNDS = 3;

export interface SiteScan {
  readonly start: URL;
  readonly o: AuditOptions;
  readonly session: BrowserSession;
  readonly progress: ScanProgress;
  readonly startedAt: Date;
  readonly emulation: Emulation;
  /** Settles when the scan is told to stop (never, without a signal). */
  readonly stopped: Promise<void>;
  readonly deadline: number;
  /**
   * The sample's size: --max-pages when crawling, else the URLs given; an automatic size is its largest
   * until the first plan says how many (methodology sample.size), a census every page explored.
   */
  maxPages: number;
  /** What the plan is asked for: a number of pages, `auto` or `census` (crawl/sample-plan.ts). */
  readonly planSize: number | 'auto' | 'census';
  /** Pages exploration may read over HTTP (methodology sample.exploreMax, or a census's). */
  readonly exploreLimit: number;
  readonly seed: number;
  readonly http: ScanHttp;
  readonly discovery: SiteDiscovery;
  /** The frontier: robots.txt, --exclude-url, the site's hosts, each page once. */
  readonly sampler: SiteSampler;
  /** Pages to audit next, in order. */
  readonly queue: Candidate[];
  /** Pages audited (or failed), in the order they finished. */
  readonly gathered: GatheredPage[];
  readonly pacer: Pacer;
}

/** The phone every page of an audit is seen on (the methodology's device), as the result records it. */
export function emulationOf(o: AuditOptions): Emulation {
  const d = o.methodology.mobile.device;
  return { device: d.name, width: d.width, height: d.height, deviceScaleFactor: d.deviceScaleFactor, isMobile: d.isMobile, hasTouch: d.hasTouch };
}

export function openScan(urls: URL[], o: AuditOptions, session: BrowserSession, progress: ScanProgress): SiteScan {
  const start = urls[0]!;
  const startedAt = new Date();
  const s = o.methodology.sample;
  const signal = progress.signal;
  const planSize = o.census ? 'census' : o.maxPages;
  const maxPages = !o.crawl ? urls.length : o.census ? s.censusMaxPages : o.maxPages === 'auto' ? s.size.max : o.maxPages;
  const exploreLimit = o.census ? s.censusMaxPages : s.exploreMax;
  const http = { userAgent: o.userAgent, headers: o.headers, headersFor: headersFor(start, o), timeoutMs: 15_000, proxy: o.proxy, ignoreHttpsErrors: o.ignoreHttpsErrors, signal };
  const sampler = new SiteSampler(start, o.crawl ? exploreLimit + MAX_PLAN_ROUNDS * maxPages : maxPages, ALLOW_ALL, undefined, o.excludeUrls);
  return {
    start, o, session, progress, startedAt, maxPages, planSize, exploreLimit, http, sampler,
    emulation: emulationOf(o),
    stopped: new Promise<void>((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener('abort', () => resolve(), { once: true }))),
    deadline: startedAt.getTime() + o.siteTimeoutMs,
    seed: o.seed ?? randomInt(2 ** 31),
    discovery: new SiteDiscovery(start, http),
    queue: givenPages(urls, o.crawl, sampler),
    gathered: [],
    pacer: new Pacer(0),
  };
}

/** The URLs given, each page once: the first is the home page when crawling. */
function givenPages(urls: URL[], crawl: boolean, sampler: SiteSampler): Candidate[] {
  const queue: Candidate[] = [];
  for (const [i, u] of urls.entries()) {
    if (queue.some((c) => pageKey(c.url) === pageKey(u))) continue; // the same page named twice
    const home = i === 0 && crawl;
    queue.push({ url: u.href, source: home ? 'start' : 'given', depth: 0, reason: home ? 'home' : 'given' });
    sampler.markSeen(u.href);
  }
  return queue;
}

/** The gap between two loads: --delay, or the site's Crawl-delay up to --max-crawl-delay. */
export function loadGap(scan: SiteScan): number {
  const { o } = scan;
  return Math.max(o.delayMs, Math.min(o.maxCrawlDelayMs, (scan.discovery.robots.crawlDelaySeconds ?? 0) * 1000));
}

/** The site's robots.txt as read so far governs the frontier and the pace. */
export function applyRobots(scan: SiteScan) {
  scan.sampler.setRobots(scan.discovery.robots);
  scan.pacer.gapMs = loadGap(scan);
}

/** Pages audited at once: --concurrency, or 1 when there is a gap between loads. */
export function pagesAtOnce(scan: SiteScan): number {
  return scan.pacer.gapMs > 0 ? 1 : Math.max(1, scan.o.concurrency);
}
