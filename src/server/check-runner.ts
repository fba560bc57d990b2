// A self-service check: one site audited with small limits, every connection through the egress guard.
// Used by `eindex serve` in-process and by `eindex worker` for queued checks: the same code either way.
import { defaultAuditOptions } from '../audit/options.js';
import { Auditor } from '../run/auditor.js';
import type { SiteOutcome } from '../store/db.js';
import { errorMessage } from '../util/errors.js';
import { egressPolicy, type EgressPolicy } from '../gather/egress.js';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { IpcChild } from '../util/ipc-child.js';
import { PROJECT_ROOT } from '../version.js';

/** What the server and its check process (check-process.ts) say to each other over IPC. */
export interface CheckRequest { id: string; url: string; limits: CheckLimits; allowPrivate: boolean }
export type CheckMessage =
  | { id: string; progress: { pagesDone: number; pagesPlanned: number } }
  | { id: string; outcome: SiteOutcome };

export interface CheckLimits { maxPages: number; pageTimeoutMs: number; siteTimeoutMs: number; lighthouse: boolean }
export const DEFAULT_CHECK_LIMITS: CheckLimits = { maxPages: 5, pageTimeoutMs: 30_000, siteTimeoutMs: 180_000, lighthouse: true };

export class CheckRunner {
  readonly #auditor: Auditor;

  constructor(allowPrivate: boolean, policy: EgressPolicy = {}) {
    // Through the guard always (with allowPrivate its policy lets internal addresses and any port through).
    this.#auditor = new Auditor({ privateTargets: false, policy: egressPolicy(allowPrivate, policy), recycleAfterPages: 50 });
  }

  async run(url: string, limits: CheckLimits, onPage?: (done: number, planned: number) => void): Promise<SiteOutcome> {
    const options = defaultAuditOptions({ maxPages: limits.maxPages, pageTimeoutMs: limits.pageTimeoutMs, siteTimeoutMs: limits.siteTimeoutMs, lighthouse: limits.lighthouse });
    try {
      return await this.#auditor.audit({ id: 'check', name: url, group: 'state-institution', url }, options, { onPage: (_p, done, planned) => onPage?.(done, planned) });
    } catch (err) {
      return { status: 'error', error: errorMessage(err) };
    }
  }

  close() {
    return this.#auditor.close();
  }
}

/**
 * The dashboard's checks in a process of their own (check-process.ts), so that no audit work — discovery
 * parsing included — runs on the web server's event loop. One check at a time; a process that dies or
 * overruns the check's budget (by a minute) is killed, the check fails with the reason, the next check
 * gets a new process.
 */
export class CheckProcess {
  readonly #child = new IpcChild<CheckRequest, CheckMessage>(join(PROJECT_ROOT, 'dist', 'src', 'server', 'check-process.js'), 'check process', true);
  constructor(private readonly allowPrivate: boolean) {}

  run(url: string, limits: CheckLimits, onPage?: (done: number, planned: number) => void): Promise<SiteOutcome> {
    const request: CheckRequest = { id: randomUUID(), url, limits, allowPrivate: this.allowPrivate };
    return this.#child.ask<SiteOutcome>(request, 'the check', limits.siteTimeoutMs + 60_000, (m, settle) => {
      if ('progress' in m) onPage?.(m.progress.pagesDone, m.progress.pagesPlanned);
      else settle.resolve(m.outcome);
    }).catch((err) => ({ status: 'error' as const, error: errorMessage(err) }));
  }

  close() {
    return this.#child.close(10_000);
  }
}
