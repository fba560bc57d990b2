// One page of the sample, audited: a browser from the session, the site's context from the pool, the
// gather; then the retry rules. The rules are a pure function (retryRule) so they are tested alone.
import type { Candidate } from '../crawl/sampler.js';
import { gatherPage, type GatheredPage, type PageGatherOptions } from '../gather/page.js';
import type { BrowserSession } from '../gather/session.js';
import { UserError, errorMessage } from '../util/errors.js';
import type { ContextLease, SiteContexts } from './contexts.js';
import type { SiteScan } from './scan.js';

export type Retry = { wait: number } | 'again' | 'done';

/**
 * What happens after an attempt: the server asked us to come back later (429/503 + Retry-After: wait,
 * at most twice, within the site's deadline); a crash may not be this page's doing (a renderer shared
 * with another tab, or the whole browser, went down under it), so a first crash gets one more try in a
 * fresh tab when the page's timeout still fits; else the page is done.
 */
export function retryRule(page: GatheredPage, attempt: number, crashes: number, now: number, deadline: number, pageTimeoutMs: number): Retry {
  if (page.retryAfterMs !== undefined && attempt < 2 && now + page.retryAfterMs < deadline) return { wait: page.retryAfterMs };
  if (page.error?.code === 'crash' && crashes === 0 && now + pageTimeoutMs < deadline) return 'again';
  return 'done';
}

/** The page's audit, retried by retryRule; a second crash says so. */
export async function auditPage(scan: SiteScan, contexts: SiteContexts, candidate: Candidate, options: (lighthouse: PageGatherOptions['lighthouse']) => PageGatherOptions): Promise<GatheredPage> {
  let crashes = 0;
  for (let attempt = 0; ; attempt++) {
    const page = await gatherOnce(scan.session, contexts, candidate, options);
    const next = retryRule(page, attempt, crashes, Date.now(), scan.deadline, scan.o.pageTimeoutMs);
    if (page.error?.code === 'crash') crashes++;
    if (next === 'again') continue;
    if (next !== 'done') {
      scan.pacer.pauseUntil(Date.now() + next.wait); // the whole host waits, not only this page
      continue;
    }
    if (page.error?.code === 'crash' && crashes > 1) page.error.message = `crashed twice: ${page.error.message}`;
    // A selector of --exclude the browser cannot parse is the user's mistake, not the page's: stop here.
    const badSelector = /--exclude: .* is not a valid CSS selector/.exec(page.error?.message ?? '');
    if (badSelector) throw new UserError(badSelector[0]);
    return page;
  }
}

async function gatherOnce(session: BrowserSession, contexts: SiteContexts, candidate: Candidate, options: (lighthouse: PageGatherOptions['lighthouse']) => PageGatherOptions): Promise<GatheredPage> {
  let handle: Awaited<ReturnType<BrowserSession['acquire']>> | null = null;
  let lease: ContextLease | null = null;
  try {
    handle = await session.acquire();
    lease = contexts.lease(handle.browser);
    const page = await gatherPage(await lease.context, candidate, options(handle.lighthouse), contexts.tabs(lease));
    if (page.contextBroken) lease.broken = true;
    // A page over its memory budget leaves its context and its browser to be replaced.
    if (page.error?.code === 'memory') (lease.broken = true, session.recycleSoon());
    return page;
  } catch (err) {
    if (err instanceof UserError) throw err; // no Chromium at all: the user must fix that
    // The browser could not be started or a context not opened: this page fails, the audit goes on.
    if (lease) lease.broken = true;
    return { candidate, links: [], durationMs: 0, error: { code: 'crash', message: `browser: ${errorMessage(err)}` } };
  } finally {
    if (lease) contexts.release(lease);
    if (handle) session.release();
  }
}

/** How every page of the scan is gathered: the emulation, budgets and the host's pace. */
export function pageGatherOptions(scan: SiteScan, storageState: PageGatherOptions['storageState']): (lighthouse: PageGatherOptions['lighthouse']) => PageGatherOptions {
  const { o, emulation, pacer } = scan;
  const screenshotted = new Set<string>(); // the elements already photographed on this site
  return (lighthouse) => ({
    emulation, userAgent: o.userAgent, headers: o.headers, storageState, axeTags: o.axeTags, exclude: o.exclude, ignoreRules: o.ignoreRules,
    pageTimeoutMs: o.pageTimeoutMs, settleMs: o.settleMs, pageMemoryMb: o.pageMemoryMb,
    ignoreHttpsErrors: o.ignoreHttpsErrors, maxRetryAfterMs: o.maxRetryAfterMs, lighthouse, performance: o.performance, screenshots: o.screenshots, screenshotted,
    beforeNavigate: () => pacer.wait(),
    // The gap counts from when the request really left (a fresh tab can take 0.1 s to send it).
    onNavigationRequest: () => pacer.pauseUntil(Date.now() + pacer.gapMs),
  });
}
