// The browsers of an audit and the one egress guard they share. A site on a public address is audited
// through the guard (src/gather/egress.ts), so no redirect, frame, sub-resource, link or sitemap of it can
// lead the crawler into private, loopback, link-local or metadata ranges. A site on a private address (an
// intranet audit) is audited directly, but only when the evaluator said so: `private: true` on the
// registry entry, `eindex run --allow-private`, or — for `eindex audit` — the address typed on the command
// line. Never because a redirect led there.
import type { AuditOptions } from '../audit/options.js';
import { scanSite, UnreachableSiteError, type ScanProgress } from '../audit/site.js';
import { parseStartUrl } from '../crawl/url.js';
import { egressPolicy, hostKind, startEgressGuard, type EgressGuard, type EgressPolicy, type HostKind } from '../gather/egress.js';
import { BrowserSession } from '../gather/session.js';
import type { SiteResult } from '../schema/result.js';
import type { SiteOutcome } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import { errorMessage } from '../util/errors.js';

export interface AuditorOptions {
  /** Whether targets marked `private` may be audited directly (a worker's own start flag; true in-process). */
  privateTargets: boolean;
  /** The guard's policy (default: internal addresses refused, any port; tests make one loopback address "public"). */
  policy?: Required<EgressPolicy>;
  /** Said after a refusal of an internal start address: how to audit it on purpose (none for checks). */
  privateHint?: string;
  /** Pages before a browser is replaced (default 150). */
  recycleAfterPages?: number;
}

export const REGISTRY_PRIVATE_HINT = 'an intranet site needs "private: true" on its registry entry (or eindex run --allow-private)';

export class Auditor {
  readonly #policy;
  #guard: Promise<EgressGuard> | null = null;
  readonly #free = new Map<string, BrowserSession[]>();
  readonly #all: BrowserSession[] = [];

  constructor(private readonly o: AuditorOptions) {
    this.#policy = o.policy ?? egressPolicy(false, { allowPort: () => true });
  }

  /** Why a site may not be audited through the guard (its start address is internal), or null. */
  async refusal(start: URL, kind?: HostKind): Promise<string | null> {
    if ((kind ?? (await hostKind(start.hostname, this.#policy))) !== 'internal') return null;
    return `refused: ${start.hostname} resolves to an internal address${this.o.privateHint ? `; ${this.o.privateHint}` : ''}`;
  }

  /** One registry site; a site that cannot be audited is an outcome, not an exception. */
  async audit(target: Target, options: AuditOptions, progress?: ScanProgress): Promise<SiteOutcome> {
    const start = parseStartUrl(target.url);
    if (target.private && !this.o.privateTargets) {
      return { status: 'error', error: `"${target.id}" is marked private (an intranet site); this worker audits public addresses only: start it with --allow-private` };
    }
    // The start host is looked up once: for the refusal, and for "cannot reach" in scan().
    const kind = target.private ? undefined : await hostKind(start.hostname, this.#policy);
    const refused = kind && (await this.refusal(start, kind));
    if (refused) return { status: 'error', error: refused };
    try {
      return { status: 'ok', result: await this.scan([start], { ...options, maxPages: target.maxPages ?? options.maxPages }, !!target.private, progress, kind) };
    } catch (err) {
      if (err instanceof UnreachableSiteError) return { status: 'error', error: errorMessage(err) };
      throw err;
    }
  }

  /** Scans one site's start URLs in a browser of this auditor: directly, or through the guard. */
  async scan(urls: URL[], options: AuditOptions, direct: boolean, progress?: ScanProgress, kind?: HostKind): Promise<SiteResult> {
    // A name that does not resolve cannot be reached: said so, as a direct audit would, not as a refusal.
    if (!direct && (kind ?? (await hostKind(urls[0]!.hostname, this.#policy))) === 'unresolved') throw new UnreachableSiteError(`cannot reach ${urls[0]!.href}: ${urls[0]!.hostname} does not resolve`);
    const proxy = direct ? undefined : (await (this.#guard ??= startEgressGuard(this.#policy))).url;
    const key = `${options.lighthouse}|${direct}`;
    const free = this.#free.get(key) ?? this.#free.set(key, []).get(key)!;
    let session = free.pop();
    if (!session) this.#all.push((session = new BrowserSession(options.lighthouse, this.o.recycleAfterPages ?? 150, proxy)));
    try {
      return await scanSite(urls, { ...options, proxy }, session, progress);
    } finally {
      free.push(session);
    }
  }

  async close() {
    await Promise.all(this.#all.map((s) => s.close()));
    await (await this.#guard?.catch(() => null))?.close();
  }
}
