// scanSite(): one site, end to end. The same function serves `eindex audit`, `eindex run` and the
// BullMQ workers. It orders the scan's stages over one state (scan.ts): discovery (robots.txt, sitemaps,
// discovery.ts), the login, the start page, exploring and planning the sample (planning.ts, WCAG-EM),
// auditing the sample (audit-sample.ts, a page at a time in page-audit.ts, contexts from contexts.ts),
// and the result (assemble.ts). The rules each stage applies are pure modules under crawl/ and grading/.
import type { BrowserSession } from '../gather/session.js';
import type { SiteResult } from '../schema/result.js';
import { assembleResult, assertReachable, hostsOf } from './assemble.js';
import { auditSample } from './audit-sample.js';
import { SiteContexts } from './contexts.js';
import { loginState } from './discovery.js';
import { SiteExplorer } from './explore.js';
import { LinkHarvest } from './harvest.js';
import type { AuditOptions } from './options.js';
import { auditPage, pageGatherOptions } from './page-audit.js';
import { SamplePlanner } from './planning.js';
import { applyRobots, openScan, type ScanProgress, type SiteScan } from './scan.js';

export { UnreachableSiteError } from './assemble.js';
export type { ScanProgress } from './scan.js';

export async function scanSite(urls: URL[], o: AuditOptions, session: BrowserSession, progress: ScanProgress = {}): Promise<SiteResult> {
  const scan = openScan(urls, o, session, progress);
  await discover(scan);
  const storageState = await loginState(session, o, scan.emulation, scan.start);
  const explorer = new SiteExplorer(scan.sampler, scan.http, scan.pacer, scan.pacer.gapMs > 0 ? 1 : 4, progress.signal);
  const harvest = new LinkHarvest(scan.sampler, explorer);
  const planner = new SamplePlanner(scan, explorer);
  // The config's headers go to the start URL's host only, unless it says every host (options.ts headersFor).
  const contexts = new SiteContexts(session, { emulation: scan.emulation, userAgent: o.userAgent, headers: o.headers, headersFor: scan.http.headersFor, ignoreHttpsErrors: o.ignoreHttpsErrors }, storageState, scan.start.host);
  const gatherOptions = pageGatherOptions(scan, storageState);
  await auditSample(scan, {
    auditPage: (candidate) => auditPage(scan, contexts, candidate, gatherOptions),
    absorb: (page) => harvest.absorb(page),
    broken: (page) => explorer.addBroken(page.candidate.url, page.httpStatus!),
    firstPlan: () => firstPlan(scan, planner),
    planMore: () => planner.planMore(),
    get rounds() { return planner.rounds; },
  });
  const interrupted = !!progress.signal?.aborted;
  await sitemapsDone(scan); // no page was audited (the start page disallowed): the result still lists them
  if (!explorer.statement && !interrupted) await explorer.confirmCandidates(3, scan.deadline);
  if (!interrupted) await contexts.finish(hostsOf(scan));
  assertReachable(scan, interrupted);
  return assembleResult(scan, { harvest, explorer, interrupted });
}

/** robots.txt first; the sitemaps it names are read on the side while the start page is audited. */
async function discover(scan: SiteScan) {
  const { o, progress } = scan;
  progress.onPhase?.(o.crawl ? 'robots.txt' : 'pages');
  if (o.crawl) await scan.discovery.readRobots();
  applyRobots(scan); // --delay holds without robots.txt too
  if (!o.crawl) return;
  scan.discovery.readSitemapsAside();
  progress.onPhase?.('pages');
}

/** After the start page: the sitemaps in, robots.txt asked again if it failed, then the first plan. */
async function firstPlan(scan: SiteScan, planner: SamplePlanner) {
  await sitemapsDone(scan);
  if (scan.discovery.robotsTxt === 'error' && (await scan.discovery.retryRobots(scan.o.robotsRetryMs, scan.deadline, scan.stopped))) applyRobots(scan);
  scan.sampler.addSitemapUrls(scan.discovery.sitemapUrls);
  if (scan.gathered[0]!.error?.code !== 'network') await planner.planMore();
}

const sitemapsDone = (scan: SiteScan) => scan.discovery.sitemapsDone(() => scan.progress.onPhase?.('sitemaps'));
