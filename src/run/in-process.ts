// The in-process executor: p-queue with one browser per slot, each reused across that slot's sites.
import PQueue from 'p-queue';
import type { AuditOptions } from '../audit/options.js';
import { scanSite, UnreachableSiteError, type ScanProgress } from '../audit/site.js';
import { parseStartUrl } from '../crawl/url.js';
import { BrowserSession } from '../gather/session.js';
import type { SiteOutcome } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import { errorMessage } from '../util/errors.js';
import type { Executor } from './run.js';

/** Audits one target; a site that cannot be audited is an outcome, not an exception. */
export async function auditTarget(target: Target, options: AuditOptions, session: BrowserSession, progress?: ScanProgress): Promise<SiteOutcome> {
  try {
    const result = await scanSite([parseStartUrl(target.url)], { ...options, maxPages: target.maxPages ?? options.maxPages }, session, progress);
    return { status: 'ok', result };
  } catch (err) {
    if (err instanceof UnreachableSiteError) return { status: 'error', error: errorMessage(err) };
    throw err;
  }
}

export class InProcessExecutor implements Executor {
  constructor(private readonly options: AuditOptions, private readonly slots: number) {}

  async execute(_runId: number, targets: Target[], land: (t: Target, o: SiteOutcome) => void) {
    const sessions = Array.from({ length: this.slots }, () => new BrowserSession(this.options.lighthouse));
    const free = [...sessions];
    const queue = new PQueue({ concurrency: this.slots });
    try {
      await Promise.all(targets.map((target) => queue.add(async () => {
        const session = free.pop()!;
        try {
          // One retry: a browser crash mid-site is worth a second chance on a fresh browser.
          let outcome: SiteOutcome;
          try {
            outcome = await auditTarget(target, this.options, session);
          } catch {
            outcome = await auditTarget(target, this.options, session).catch((err) => ({ status: 'error' as const, error: errorMessage(err) }));
          }
          land(target, outcome);
        } finally {
          free.push(session);
        }
      })));
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
  }
}
