// A self-service check: one site audited with small limits, every connection through the egress guard.
// Used by `eindex serve` in-process and by `eindex worker` for queued checks: the same code either way.
import { defaultAuditOptions } from '../audit/options.js';
import { BrowserSession } from '../gather/session.js';
import { auditTarget } from '../run/in-process.js';
import type { SiteOutcome } from '../store/db.js';
import { errorMessage } from '../util/errors.js';
import { egressPolicy, startEgressGuard, type EgressGuard, type EgressPolicy } from './egress.js';

export interface CheckLimits { maxPages: number; pageTimeoutMs: number; siteTimeoutMs: number; lighthouse: boolean }
export const DEFAULT_CHECK_LIMITS: CheckLimits = { maxPages: 5, pageTimeoutMs: 30_000, siteTimeoutMs: 180_000, lighthouse: true };

export class CheckRunner {
  #guard: Promise<EgressGuard> | null = null;
  #session: BrowserSession | null = null;

  constructor(private readonly allowPrivate: boolean, private readonly policy: EgressPolicy = {}) {}

  async run(url: string, limits: CheckLimits, onPage?: (done: number, planned: number) => void): Promise<SiteOutcome> {
    this.#guard ??= startEgressGuard(egressPolicy(this.allowPrivate, this.policy));
    const guard = await this.#guard;
    this.#session ??= new BrowserSession(limits.lighthouse, 50, guard.url);
    const options = defaultAuditOptions({
      maxPages: limits.maxPages, pageTimeoutMs: limits.pageTimeoutMs, siteTimeoutMs: limits.siteTimeoutMs, lighthouse: limits.lighthouse, proxy: guard.url,
    });
    try {
      return await auditTarget({ id: 'check', name: url, group: 'state-institution', url }, options, this.#session, { onPage: (_p, done, planned) => onPage?.(done, planned) });
    } catch (err) {
      return { status: 'error', error: errorMessage(err) };
    }
  }

  async close() {
    await this.#session?.close();
    await (await this.#guard?.catch(() => null))?.close();
  }
}
