// One page, one navigation: load under phone emulation, gather links and mobile facts, run axe, then
// Lighthouse in snapshot mode on the same loaded page. The page deadline really stops the work: on expiry
// the tab is closed under axe's feet. A tab that served a page well may serve the site's next (emptied
// first: about:blank, its session storage cleared); any other is closed, whatever happens.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { Candidate } from '../crawl/sampler.js';
import type { MobileFacts } from '../checks/mobile.js';
import type { LinkFact } from '../checks/statement.js';
import type { AxeResult, Emulation, LighthouseResult } from '../schema/result.js';
import { DeadlineError, errorMessage } from '../util/errors.js';
import { withDeadline } from '../util/time.js';
import { preloadAxe, runAxe, type LighthouseAxeArtifact } from './axe.js';
import { screenshotViolations } from './evidence.js';
import { hideInPage, linksInPage, metaRefreshInPage, mobileFactsInPage } from './in-page.js';
import { metaRefreshTarget } from '../crawl/url.js';
import { lighthouseFailure, type LighthouseRunner } from './lighthouse.js';
import { openTab, scopeHeaders } from './scoped-headers.js';
import { tabSession } from './tab-session.js';

export interface PageGatherOptions {
  emulation: Emulation;
  userAgent: string;
  headers: Record<string, string>;
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
  axeTags: string[];
  /** Selectors of content left out of every check (see AuditOptions.exclude). */
  exclude?: string[];
  ignoreRules?: string[];
  pageTimeoutMs: number;
  /** How long to wait for the network to go quiet after `load` (client-rendered content). */
  settleMs: number;
  ignoreHttpsErrors: boolean;
  maxRetryAfterMs: number;
  lighthouse: LighthouseRunner | null;
  performance: boolean;
  /** At most this many element screenshots per page as report evidence (0: none). */
  screenshots: number;
  /** Rules already pictured on this site: not pictured again. */
  screenshotted?: Set<string>;
  /** Resolves when this host may be sent the next page load (politeness). */
  beforeNavigate?: () => Promise<void>;
  /** The tab's navigation request (the page's, a redirect's, a script's) is leaving now. */
  onNavigationRequest?: () => void;
  /** The page's memory budget (JS heap, its embedder's and ArrayBuffers), in MB: over it, the page is stopped. */
  pageMemoryMb?: number;
}

export interface GatheredPage {
  candidate: Candidate;
  finalUrl?: string;
  httpStatus?: number;
  title?: string;
  links: LinkFact[];
  mobileFacts?: MobileFacts;
  axe?: AxeResult;
  lighthouse?: LighthouseResult | null;
  /** `detail`: the browser's own words (net::ERR_…), for the JSON only. */
  error?: { code: string; message: string; detail?: string };
  /** The server asked us to slow down (429/503 with Retry-After): milliseconds it asked for. */
  retryAfterMs?: number;
  contentType?: string;
  durationMs: number;
  /** The tab would not close: the browser context is no longer to be trusted. */
  contextBroken?: boolean;
  /** The start page's document as loaded: the sample's exploring reads its template from it (no second load). */
  html?: string;
  /** Where the page's time went, in ms (the bench reads them; the result keeps them). */
  timings?: PageTimings;
}

/** The steps of a page's audit that take time, as the result's `timings` names them. */
export type PageTimings = Partial<Record<'load' | 'settle' | 'read' | 'axe' | 'mobile' | 'lighthouse' | 'screenshots', number>>;

/** Runs one step of the page's audit, adding its wall time to `out.timings[step]`. */
async function timed<T>(out: GatheredPage, step: keyof PageTimings, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await work();
  } finally {
    const timings = (out.timings ??= {});
    timings[step] = (timings[step] ?? 0) + Date.now() - t0;
  }
}

/**
 * `headersFor`: the extra request headers (an Authorization for a staging site, say) go only to the URLs
 * it accepts, the audited site's own; a third-party image, font or frame gets none, nor a redirect hop to
 * another host (scoped-headers.ts: tabs opened with openTab). Without it they go everywhere (the config's
 * `headersForAllHosts`).
 */
export async function newAuditContext(browser: Browser, o: Pick<PageGatherOptions, 'emulation' | 'userAgent' | 'headers' | 'storageState' | 'ignoreHttpsErrors'> & { headersFor?: (url: string) => boolean }): Promise<BrowserContext> {
  const scoped = Object.keys(o.headers).length > 0 && o.headersFor ? o.headersFor : null;
  const context = await browser.newContext({
    viewport: { width: o.emulation.width, height: o.emulation.height },
    deviceScaleFactor: o.emulation.deviceScaleFactor,
    isMobile: o.emulation.isMobile,
    hasTouch: o.emulation.hasTouch,
    userAgent: o.userAgent,
    extraHTTPHeaders: scoped ? {} : o.headers,
    storageState: o.storageState,
    ignoreHTTPSErrors: o.ignoreHttpsErrors,
    acceptDownloads: false,
    serviceWorkers: 'block',
  });
  if (scoped) scopeHeaders(context, o.headers, scoped);
  // Every host a document of this context was asked for, pop-ups and frames included: a context handed to
  // the next site must not have shown that site (its storage would be there), whoever led it there.
  const shown = new Set<string>();
  HOSTS_SHOWN.set(context, shown);
  context.on('request', (r) => {
    if (!r.isNavigationRequest()) return;
    try {
      shown.add(new URL(r.url()).host);
    } catch { /* not a URL with a host */ }
  });
  // Pop-ups are prevented (window.open opens nothing); one opened another way is closed at once; dialogs
  // are dismissed so nothing waits on a person.
  await context.addInitScript(() => {
    window.open = () => null;
  });
  context.on('page', (p) => {
    p.on('dialog', (d) => d.dismiss().catch(() => {}));
    p.opener().then((opener) => (opener ? p.close() : undefined)).catch(() => {});
  });
  return context;
}

const HOSTS_SHOWN = new WeakMap<BrowserContext, Set<string>>();

/** The hosts whose documents a context has been asked for (newAuditContext's contexts; none for others). */
export function hostsShown(context: BrowserContext): Set<string> {
  return HOSTS_SHOWN.get(context) ?? new Set();
}

export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Chromium's network errors in a person's words (the raw code is kept in the result's `errorDetail`). */
const NETWORK_SENTENCES: [RegExp, string][] = [
  [/ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/, 'the host name does not resolve (is it spelled right?)'],
  [/ERR_CONNECTION_REFUSED/, 'the server refused the connection (nothing listens on that port?)'],
  [/ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE/, 'the server closed the connection without answering'],
  [/ERR_CONNECTION_TIMED_OUT|ERR_TIMED_OUT/, 'the server did not answer in time'],
  [/ERR_ADDRESS_UNREACHABLE|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/, 'the address cannot be reached from here'],
  [/ERR_SSL_PROTOCOL_ERROR|ERR_SSL_VERSION_OR_CIPHER_MISMATCH|ERR_SSL/, 'the secure (TLS) connection failed: does the site serve http rather than https?'],
  [/ERR_CERT/, 'the site\'s certificate is not valid (--ignore-https-errors audits it anyway)'],
  [/ERR_UNSAFE_PORT/, 'the browser does not connect to that port (it is reserved for another protocol)'],
];

function classify(err: unknown): { code: string; message: string; detail?: string } {
  const message = errorMessage(err);
  const raw = /net::ERR_[A-Z_]+/.exec(message)?.[0];
  if (err instanceof DeadlineError) return { code: 'timeout', message };
  if (/Timeout \d+ms exceeded|timed? ?out/i.test(message) && !raw) return { code: 'timeout', message: 'the page did not load in time' };
  for (const [re, sentence] of NETWORK_SENTENCES) if (raw && re.test(raw)) return { code: 'network', message: sentence, detail: raw };
  if (/Execution context was destroyed|Cannot read properties of undefined \(reading '(run|runPartial|finishRun|utils)'\)|frame was detached/.test(message)) {
    return { code: 'navigated', message: 'the page navigated away while being audited', detail: message.split('\n')[0] };
  }
  if (/ERR_TOO_MANY_REDIRECTS/.test(message)) return { code: 'redirect-loop', message: 'the page redirects in a loop', detail: raw };
  // Only a proxy answers CONNECT: the egress guard refused the HTTPS connection.
  if (/ERR_TUNNEL_CONNECTION_FAILED/.test(message)) return { code: 'refused', message: 'refused by the egress guard (HTTPS)' };
  if (/crash|Target (page, context or browser )?(has been )?closed|Browser has been closed/i.test(message)) return { code: 'crash', message: 'the browser tab crashed or was closed', detail: message.split('\n')[0] };
  if (/ERR_ABORTED|download/i.test(message)) return { code: 'not-html', message: 'not a web page (the browser did not display it)', detail: raw ?? message.split('\n')[0] };
  if (raw) return { code: 'network', message: `the page could not be loaded (${raw.replace('net::', '')})`, detail: raw };
  return { code: 'error', message: message.split('\n')[0]!.replace(/^page\.\w+: /, '') };
}

/**
 * The tabs of a site's context that a page may be audited in after another page of the site: a new tab
 * costs its renderer process (~150 ms of CPU a page). A tab is kept only after a page that went well.
 */
export interface TabPool { take(): Page | undefined; keep(tab: Page): void }

/** What one page's audit leaves on its tab: the listeners it put there, the captures tried in it, its largest heap. */
interface TabUse { listeners: PageListeners | null; screenshots: number; heapMb: number }

/**
 * Audits one page in a tab of the site's context: one kept from an earlier page of the site (`tabs`), or a
 * new one (a new context per page costs ~0.2 s). On the deadline the tab is closed at once, which stops a
 * runaway axe-core or page script; after an error it is closed; after a page that went well it is
 * emptied (about:blank, the page's session storage and window name cleared) and kept. A page whose
 * loading a kept tab's leftover navigation cut short is loaded again.
 */
export async function gatherPage(context: BrowserContext, candidate: Candidate, o: PageGatherOptions, tabs?: TabPool): Promise<GatheredPage> {
  const started = Date.now();
  const kept = tabs?.take() ?? null;
  const first = await gatherIn(context, candidate, o, tabs, kept);
  if (!first.again) return first.out;
  // The kept tab's last page had asked for a navigation that reached the browser only after the tab was
  // emptied, and it cut this page's loading short (seen on a busy machine: a script's redirect 300 ms
  // after load): the page is loaded again in the tab, once, within what is left of its budget. (Closing a
  // tab with that navigation under way could hang, condemning the context.) The tab is emptied first,
  // until that navigation is over: the blank page stays.
  for (let tries = 0; tries < 3 && !(await emptied(first.again)); tries++);
  const { out } = await gatherIn(context, candidate, { ...o, pageTimeoutMs: Math.max(1000, o.pageTimeoutMs - (Date.now() - started)) }, tabs, first.again, false);
  out.durationMs = Date.now() - started;
  return out;
}

/**
 * gatherPage in one tab (`kept`, or a new one). A kept tab whose page was cut short by a navigation the
 * page did not ask for is not closed but handed back (`again`) when `mayRetry`.
 */
async function gatherIn(context: BrowserContext, candidate: Candidate, o: PageGatherOptions, tabs: TabPool | undefined, kept: Page | null, mayRetry = true): Promise<{ out: GatheredPage; again?: Page }> {
  const started = Date.now();
  const out: GatheredPage = { candidate, links: [], durationMs: 0 };
  let page: Page | null = null;
  let unwatch = () => {};
  const use: TabUse = { listeners: null, screenshots: 0, heapMb: 0 };
  let again: Page | undefined;
  const work = (async () => {
    page = kept ?? await openTab(context);
    if (o.pageMemoryMb) unwatch = await watchMemory(page, o.pageMemoryMb, () => {
      out.error = { code: 'memory', message: `the page used more than ${o.pageMemoryMb} MB of memory and was stopped` };
      void page?.close({ runBeforeUnload: false }).catch(() => {});
    }, use);
    await gatherInto(page, out, o, started, use);
  })();
  // A browser that dies does not always fail what is under way (a newPage() then waits forever): the
  // page fails at once as a crash, and is tried again in a relaunched browser.
  const browser = context.browser();
  let onGone = () => {};
  const gone = new Promise<never>((_, reject) => {
    onGone = () => reject(new Error('Browser has been closed while the page was audited'));
    if (browser && !browser.isConnected()) onGone();
    else browser?.once('disconnected', onGone);
  });
  try {
    await withDeadline(`page ${candidate.url}`, o.pageTimeoutMs, Promise.race([work, gone]), () => page?.close({ runBeforeUnload: false }));
  } catch (err) {
    out.error ??= classify(err);
  } finally {
    unwatch();
    browser?.off('disconnected', onGone);
    gone.catch(() => {});
    use.listeners?.dispose();
    const tab = page as Page | null;
    if (tab && mayRetry && kept && !tab.isClosed() && cutShort(out)) again = tab;
    else if (tab && tabs && keepable(tab, out, use, o, browser) && (await emptied(tab))) tabs.keep(tab);
    // Closing a tab can itself hang (seen with a page navigating away mid-audit): bounded, and a tab
    // that will not close condemns its context, which the caller then replaces.
    else if (tab) await withDeadline('closing the tab', CLOSE_TIMEOUT_MS, tab.close({ runBeforeUnload: false })).catch(() => (out.contextBroken = true));
    out.durationMs = Date.now() - started;
  }
  return { out, again };
}

/**
 * The page's loading was cut short by another navigation of the tab: in a kept tab, one the previous page
 * asked for can come so late. (A page that is a download, or whose own script navigates before its load
 * event, is loaded again too, to no harm: its second loading ends as the first.)
 */
function cutShort(out: GatheredPage): boolean {
  return !out.finalUrl && /ERR_ABORTED|interrupted by another navigation/.test(`${out.error?.detail} ${out.error?.message}`);
}

const CLOSE_TIMEOUT_MS = 5000;
/** Pages one tab serves at most before it is closed (a renderer reused for long grows). */
const MAX_TAB_PAGES = 25;
const tabPages = new WeakMap<Page, number>();

/**
 * A tab is kept for the site's next page after a page audited without error, never pictured (capturing
 * beyond the viewport can leave the page's zoom changed) nor measured by Lighthouse's performance run,
 * whose heap stayed far from the memory budget (what it leaves is collected later: the next page must not
 * be charged with it), in a browser still there, within its budget of pages.
 */
function keepable(tab: Page, out: GatheredPage, use: TabUse, o: PageGatherOptions, browser: ReturnType<BrowserContext['browser']>): boolean {
  const served = (tabPages.get(tab) ?? 0) + 1;
  tabPages.set(tab, served);
  const light = !o.pageMemoryMb || use.heapMb < o.pageMemoryMb / 4;
  // Lighthouse's performance run navigated the tab itself, under its own settings: not kept.
  const ours = !(o.lighthouse && o.performance);
  return !out.error && !out.contextBroken && use.screenshots === 0 && light && ours && served < MAX_TAB_PAGES && !tab.isClosed() && !!browser?.isConnected();
}

/**
 * The page leaves the tab: its session storage and window name cleared, then about:blank (its scripts
 * stop). A navigation the page asked for just before can still replace the blank page: the tab is kept
 * only if it shows the blank page once it has answered from it.
 */
async function emptied(tab: Page): Promise<boolean> {
  return withDeadline('emptying the tab', CLOSE_TIMEOUT_MS, (async () => {
    await tab.evaluate(() => {
      try {
        sessionStorage.clear();
      } catch { /* storage refused to the page */ }
      window.name = '';
    });
    await tab.goto('about:blank');
    return (await tab.evaluate(() => location.href)) === 'about:blank' && tab.url() === 'about:blank';
  })()).catch(() => false);
}

/** Listeners put on a tab for one page's audit, taken off when it is done (the tab may serve another). */
class PageListeners {
  readonly #off: (() => void)[] = [];
  constructor(private readonly page: Page) {}

  on(event: 'request' | 'requestfinished' | 'requestfailed' | 'response' | 'framenavigated', handler: (arg: never) => void) {
    const page = this.page as unknown as { on(e: string, h: unknown): void; off(e: string, h: unknown): void };
    page.on(event, handler);
    this.#off.push(() => page.off(event, handler));
  }

  dispose() {
    for (const off of this.#off.splice(0)) off();
  }
}
/** How often a page's memory is read (a page can allocate ~400 MB/s: the budget is overshot by ~100 MB at most). */
const MEMORY_POLL_MS = 250;

/**
 * Reads the tab's memory as V8 counts it (heap, embedder heap, ArrayBuffer backing stores) while the page
 * is audited; `over` is called once when it passes the budget. Only the deadline stopped a page that
 * allocated without end before: Chromium went from 1.2 to 4.9 GB in 9 s.
 */
async function watchMemory(page: Page, budgetMb: number, over: () => void, use: TabUse): Promise<() => void> {
  const cdp = await tabSession(page).catch(() => null);
  if (!cdp) return () => {};
  let stopped = false;
  const timer = setInterval(() => {
    cdp.send('Runtime.getHeapUsage').then((h) => {
      const used = h.usedSize + (h.embedderHeapUsedSize ?? 0) + (h.backingStorageSize ?? 0);
      use.heapMb = Math.max(use.heapMb, used / 1024 / 1024);
      if (!stopped && used > budgetMb * 1024 * 1024) {
        stopped = true;
        clearInterval(timer);
        over();
      }
    }, () => {});
  }, MEMORY_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * What the tab does while it is audited, watched from before its first request: navigations of the tab's
 * document (a script that redirects on load shows here), whether one is under way, and the egress guard's
 * refusals (it answers a navigation it refuses with its own 403: such a page, even one the site's script
 * navigated to after load, is an error, never an audited page, nor its URL a stored one).
 */
class TabWatch {
  refused: string | null = null;
  /** A navigation of the tab is under way (a script's, after load): its answer may be a refusal. */
  navigating = false;
  /** Documents the tab has shown. */
  documents = 0;
  /** How often the tab has asked for each address: one asked LOOP_SHOWS times is a redirect loop. */
  readonly #shown = new Map<string, number>();
  looped = false;
  #onLoop = () => {};
  /** Settles when the tab is found looping (a script or meta refresh sending pages to each other). */
  readonly loop = new Promise<void>((resolve) => (this.#onLoop = resolve));
  /**
   * A navigation of the tab has left and its document is not shown yet, nor has it failed: unlike
   * `navigating`, not over when its answer arrives (a meta refresh's document is committed after that).
   */
  committing = false;
  /** Frames the guard refused show its own page: not the site's content, nor is where they pointed written. */
  readonly refusedFrames = new Set<import('playwright-core').Frame>();

  constructor(private readonly page: Page, listeners: PageListeners, onNavigationRequest?: () => void) {
    listeners.on('request', (r: import('playwright-core').Request) => {
      if (!this.isTabNavigation(r)) return;
      this.navigating = true;
      this.committing = true;
      // Documents asked for, not framenavigated: a script's pushState or replaceState to the same address
      // (a router on load) navigates the frame without a request and is no loop.
      const asks = (this.#shown.get(r.url()) ?? 0) + 1;
      this.#shown.set(r.url(), asks);
      if (asks >= LOOP_SHOWS && !this.looped) (this.looped = true, this.#onLoop());
      onNavigationRequest?.();
    });
    listeners.on('requestfailed', (r: import('playwright-core').Request) => { if (this.isTabNavigation(r)) this.navigating = this.committing = false; });
    listeners.on('response', (r: Response) => {
      if (r.headers()['x-eindex-refused'] && r.request().isNavigationRequest()) {
        try {
          if (r.frame() !== page.mainFrame()) this.refusedFrames.add(r.frame());
        } catch { /* the frame is gone */ }
      }
      if (!this.isTabNavigation(r.request())) return;
      this.navigating = false;
      const why = r.headers()['x-eindex-refused'];
      if (why) this.refused = why;
    });
    listeners.on('framenavigated', (f: import('playwright-core').Frame) => {
      if (f !== page.mainFrame()) return;
      this.documents++;
      this.committing = false;
    });
  }

  /**
   * Until the navigation under way shows its document or fails, `maxMs` at most: one that never commits
   * (answered 204, say) is then given up, and not waited for again.
   */
  async committed(maxMs: number) {
    const until = Date.now() + maxMs;
    while (this.committing && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    this.committing = false;
  }

  isTabNavigation(r: import('playwright-core').Request): boolean {
    try {
      return r.isNavigationRequest() && r.frame() === this.page.mainFrame();
    } catch {
      return false;
    }
  }

  /** The page was refused: whatever was read is dropped (it may come from the guard's own page). */
  refuse(out: GatheredPage) {
    out.error = { code: 'refused', message: `refused by the egress guard: ${this.refused}` };
    out.links = [];
    for (const k of ['title', 'axe', 'mobileFacts', 'lighthouse'] as const) delete out[k];
  }
}

async function gatherInto(page: Page, out: GatheredPage, o: PageGatherOptions, started: number, use: TabUse) {
  // Dialogs are dismissed by the context's 'page' handler (newAuditContext), for this tab as for pop-ups.
  const listeners = (use.listeners = new PageListeners(page));
  const network = trackNetwork(listeners);
  const watch = new TabWatch(page, listeners, o.onNavigationRequest);
  const remaining = () => Math.max(1000, o.pageTimeoutMs - (Date.now() - started));
  const loaded = await loadPage(page, out, o, { watch, network, remaining });
  if (watch.refused) return void watch.refuse(out);
  if (!loaded) return;
  out.finalUrl = page.url();
  const axeForLighthouse = await readPage(page, out, o, watch, loaded.axeLoading);
  if (watch.refused) return void watch.refuse(out); // navigated into the guard's refusal while being read
  if (axeForLighthouse === undefined) return;
  if (o.lighthouse) {
    const lighthouse = o.lighthouse;
    out.lighthouse = await timed(out, 'lighthouse', () => lighthouse.audit(page, { performance: o.performance, accessibility: axeForLighthouse }).catch(lighthouseFailure));
    if (watch.refused) return void watch.refuse(out); // navigated into the guard's refusal while Lighthouse looked
  }
  // Last: scrolling to each element must not change what axe or Lighthouse saw. Never spends the final
  // quarter of the page budget.
  if (o.screenshots > 0 && out.axe!.violations.length) {
    use.screenshots = await timed(out, 'screenshots', () => screenshotViolations(page, out.axe!, { max: o.screenshots, until: started + o.pageTimeoutMs * 0.75, done: o.screenshotted ?? new Set() }));
  }
}

/**
 * Loads the page and lets it settle, following a redirect the server did not make (a script's on load,
 * or a meta refresh): the page it lands on is the page (a root that only points to /en/ is not the site's
 * home page). Returns axe-core's preloading (in an object: a promise returned bare would be awaited), or
 * null when the page is an error (`out.error`) or refused.
 */
async function loadPage(page: Page, out: GatheredPage, o: PageGatherOptions, t: { watch: TabWatch; network: ReturnType<typeof trackNetwork>; remaining: () => number }) {
  const { watch, network, remaining } = t;
  await o.beforeNavigate?.();
  const loadOrLoop = <T>(load: () => Promise<T>) => timed(out, 'load', () => {
    const loading = load();
    loading.catch(() => {}); // a loop wins the race: the navigation it left is abandoned with its tab
    return Promise.race([loading, watch.loop.then((): typeof LOOP => LOOP)]);
  });
  let response = await loadOrLoop(() => page.goto(out.candidate.url, { waitUntil: 'load', timeout: remaining() }));
  if (response === LOOP) return void loopError(out), null;
  if (watch.refused) return null;
  await recordResponse(out, response, o);
  if (out.error) return null;
  const axeLoading = preloadAxe(page); // injected again by runAxe if a redirect below replaces the document
  if (o.settleMs > 0) await timed(out, 'settle', () => network.quiet(QUIET_MS, o.settleMs));
  for (let hop = 0; hop < MAX_SOFT_REDIRECTS && !watch.refused; hop++) {
    const seen = watch.documents;
    if (watch.navigating || watch.committing) {
      // A navigation under way (the browser's own meta refresh, a script's): its document, then its load.
      await loadOrLoop(async () => {
        await watch.committed(Math.min(COMMIT_WAIT_MS, remaining()));
        await page.waitForLoadState('load', { timeout: remaining() }).catch(() => {});
      });
      if (watch.looped) return void loopError(out), null;
    }
    // Moving: a document shown since, or a navigation whose document is not shown yet (its answer may have
    // come). A page that cannot be read now was replaced under the reading (its context destroyed before
    // the new document is reported): looked at again, not taken as the page (a meta-refresh root was
    // audited as the home page so on a busy machine).
    const moved = watch.documents > seen || watch.navigating || watch.committing;
    let replaced = false;
    const refresh = moved ? null : await page.evaluate(metaRefreshInPage).catch((err: unknown) => ((replaced = classify(err).code === 'navigated'), null));
    const target = metaRefreshTarget(refresh, page.url(), out.candidate.source === 'start');
    if (target) {
      await o.beforeNavigate?.();
      const next = await loadOrLoop(() => page.goto(target, { waitUntil: 'load', timeout: remaining() }));
      if (next === LOOP) return void loopError(out), null;
      response = next;
      await recordResponse(out, response, o);
      if (out.error) return null;
    } else if (!replaced && watch.documents === seen && !watch.navigating && !watch.committing) {
      break;
    }
    if (o.settleMs > 0) await timed(out, 'settle', () => network.quiet(QUIET_MS, o.settleMs));
  }
  if (watch.looped) return void loopError(out), null;
  return watch.refused ? null : { axeLoading };
}

/**
 * Reads the loaded page: title, links, the start page's document, axe-core, the mobile facts. Returns
 * axe's artifact for Lighthouse, or undefined when the tab navigated away meanwhile (`out.error`). From
 * here on whatever fails is put down to a navigation of the tab, whichever message the failure carries
 * (a destroyed context, axe missing from the new document, …).
 */
async function readPage(page: Page, out: GatheredPage, o: PageGatherOptions, watch: TabWatch, axeLoading: ReturnType<typeof preloadAxe>): Promise<LighthouseAxeArtifact | null | undefined> {
  const shown = watch.documents; // a document shown after this one: the tab navigated while being read
  try {
    await timed(out, 'read', async () => {
      out.title = await page.title();
      out.links = await page.evaluate(linksInPage, 5000);
      if (out.candidate.source === 'start') out.html = await page.content();
    });
    const { axe, targets, lighthouseArtifact } = await timed(out, 'axe', () => runAxe(page, o.axeTags, { exclude: o.exclude, ignoreRules: o.ignoreRules, lighthouse: !!o.lighthouse, preloaded: axeLoading, refusedFrames: watch.refusedFrames }));
    const facts = await timed(out, 'mobile', async () => {
      // Excluded content is then hidden, so neither our mobile checks nor Lighthouse count it.
      if (o.exclude?.length) await page.evaluate(hideInPage, o.exclude);
      return page.evaluate(mobileFactsInPage, { maxTextNodes: 30_000 });
    });
    out.axe = axe;
    out.mobileFacts = { ...facts, targets };
    return lighthouseArtifact;
  } catch (err) {
    // The page's script navigated away: if the guard refuses where it went, that is the page's error, and
    // its answer can come after the old document is gone: wait for it (briefly) before calling it navigated.
    const replaced = () => watch.documents > shown; // read again after the wait below
    if ((classify(err).code === 'navigated' || replaced()) && !watch.refused && watch.navigating) {
      await page.waitForEvent('response', { predicate: (r) => watch.isTabNavigation(r.request()), timeout: 3000 }).catch(() => {});
    }
    if (watch.refused) return undefined;
    if (replaced() && classify(err).code === 'error') {
      out.error = { code: 'navigated', message: 'the page navigated away while being audited', detail: errorMessage(err).split('\n')[0] };
      return undefined;
    }
    throw err;
  }
}

/**
 * A redirect loop by script or meta refresh (two pages sending the tab to each other, a page reloading
 * itself for ever) never loads: an address the tab asks for this often is a loop, said at once rather than at the
 * page's timeout. A page that reloads itself once is not.
 */
const LOOP_SHOWS = 3;
const LOOP: unique symbol = Symbol('loop');
const loopError = (out: GatheredPage) => (out.error = { code: 'redirect-loop', message: 'the page redirects in a loop (by script or meta refresh)' });

/** How long a navigation of the tab under way may take to show its document before the page is read as it is. */
const COMMIT_WAIT_MS = 5000;

/** Redirects by script or meta refresh followed from one page, at most (a loop is not followed for ever). */
const MAX_SOFT_REDIRECTS = 3;

/** How long the network must stay idle after `load` before the page counts as rendered. */
const QUIET_MS = 150;

/**
 * Playwright's 'networkidle' always waits 500 ms; most pages are idle at `load`, so we track requests
 * ourselves and wait only as long as something is still loading (client-rendered content), up to a cap.
 */
function trackNetwork(listeners: PageListeners) {
  let inflight = 0;
  let lastChange = Date.now();
  const change = (d: number) => {
    inflight = Math.max(0, inflight + d);
    lastChange = Date.now();
  };
  listeners.on('request', () => change(1));
  listeners.on('requestfinished', () => change(-1));
  listeners.on('requestfailed', () => change(-1));
  return {
    async quiet(quietMs: number, maxMs: number) {
      const until = Date.now() + maxMs;
      while (Date.now() < until) {
        const idleFor = Date.now() - lastChange;
        if (inflight === 0 && idleFor >= quietMs) return;
        await new Promise((r) => setTimeout(r, inflight === 0 ? quietMs - idleFor : 50));
      }
    },
  };
}

async function recordResponse(out: GatheredPage, response: Response | null, o: PageGatherOptions) {
  if (!response) return; // same-document navigation: nothing to judge
  out.httpStatus = response.status();
  const headers = response.headers();
  out.contentType = headers['content-type'];
  if (response.status() >= 400) {
    out.error = { code: 'http', message: `HTTP ${response.status()} ${response.statusText()}`.trim() };
    if (response.status() === 429 || response.status() === 503) {
      const ms = parseRetryAfter(headers['retry-after']);
      if (ms !== undefined) out.retryAfterMs = Math.min(ms, o.maxRetryAfterMs);
    }
    return;
  }
  if (out.contentType && !/html|xml/i.test(out.contentType)) {
    out.error = { code: 'not-html', message: `not a web page (${out.contentType.split(';')[0]})` };
  }
}

