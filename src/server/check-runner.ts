// A self-service check: one site audited with small limits, every connection through the egress guard.
// Used by `eindex serve` in-process and by `eindex worker` for queued checks: the same code either way.
import { defaultAuditOptions } from '../audit/options.js';
import { Auditor } from '../run/auditor.js';
import type { SiteOutcome } from '../store/db.js';
import { errorMessage } from '../util/errors.js';
import { egressPolicy, type EgressPolicy } from '../gather/egress.js';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Mutex, withDeadline } from '../util/time.js';
import { PROJECT_ROOT } from '../version.js';
import type { CheckMessage, CheckRequest } from './check-process.js';

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
  #child: ChildProcess | null = null;
  readonly #waiting = new Map<string, { resolve: (o: SiteOutcome) => void; onPage?: (done: number, planned: number) => void }>();
  readonly #lock = new Mutex();
  constructor(private readonly allowPrivate: boolean) {}

  #process(): ChildProcess {
    if (this.#child) return this.#child;
    const child = fork(join(PROJECT_ROOT, 'dist', 'src', 'server', 'check-process.js'), [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.on('message', (m: CheckMessage) => {
      const w = this.#waiting.get(m.id);
      if ('progress' in m) w?.onPage?.(m.progress.pagesDone, m.progress.pagesPlanned);
      else {
        this.#waiting.delete(m.id);
        w?.resolve(m.outcome);
      }
    });
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = null;
      for (const w of this.#waiting.values()) w.resolve({ status: 'error', error: `the check process ended (${signal ?? `exit ${code}`})` });
      this.#waiting.clear();
    });
    child.on('error', () => child.kill('SIGKILL'));
    this.#child = child;
    return child;
  }

  run(url: string, limits: CheckLimits, onPage?: (done: number, planned: number) => void): Promise<SiteOutcome> {
    return this.#lock.run(async () => {
      const child = this.#process();
      const id = randomUUID();
      const outcome = new Promise<SiteOutcome>((resolve) => this.#waiting.set(id, { resolve, onPage }));
      child.send({ id, url, limits, allowPrivate: this.allowPrivate } satisfies CheckRequest);
      return withDeadline('the check', limits.siteTimeoutMs + 60_000, outcome, () => child.kill('SIGKILL'))
        .catch((err) => ({ status: 'error' as const, error: errorMessage(err) }))
        .finally(() => this.#waiting.delete(id));
    });
  }

  async close() {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await withDeadline('the check process to exit', 10_000, exited).catch(() => child.kill('SIGKILL'));
  }
}
