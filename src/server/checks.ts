// Self-service checks: vetted, rate-limited, capped, persisted in SQLite, run in-process or on BullMQ
// workers (`--redis`). A check's id is random and unguessable: its URL is the shareable result.
import { createHash, randomBytes } from 'node:crypto';
import PQueue from 'p-queue';
import type { SiteResult } from '../schema/result.js';
import type { Store } from '../store/db.js';
import { errorMessage } from '../util/errors.js';
import { CheckProcess, CheckRunner, DEFAULT_CHECK_LIMITS, type CheckLimits } from './check-runner.js';
import { egressPolicy, ipv6Groups, vetCheckUrl, type EgressPolicy } from '../gather/egress.js';

export const CHECKS_QUEUE = 'eindex-checks';

export class BusyError extends Error {
  constructor(message: string, readonly retryAfterS: number) {
    super(message);
  }
}

export interface CheckServiceOptions {
  allowPrivate: boolean;
  /** Checks running at once (each is one browser tab at a time). */
  maxConcurrent: number;
  /** Checks waiting or running, over all clients, before new ones are turned away. */
  maxQueued: number;
  /** Per client: checks per hour, and unfinished checks at once. */
  perClientPerHour: number;
  perClientAtOnce: number;
  limits: CheckLimits;
  redisUrl?: string;
  /** BullMQ queue of checks (default eindex-checks). */
  queue?: string;
  policy?: EgressPolicy;
}

export const DEFAULT_CHECK_SERVICE: CheckServiceOptions = {
  allowPrivate: false, maxConcurrent: 1, maxQueued: 20, perClientPerHour: 20, perClientAtOnce: 2, limits: DEFAULT_CHECK_LIMITS,
};

export interface CheckView {
  id: string; url: string; status: 'queued' | 'running' | 'done' | 'error'; createdAt: string; finishedAt: string | null;
  progress: { pagesDone: number; pagesPlanned: number } | null; error: string | null; grade: string | null; result: SiteResult | null;
}

type BullQueue = import('bullmq').Queue;

export class CheckService {
  readonly #progress = new Map<string, { pagesDone: number; pagesPlanned: number }>();
  readonly #recent = new Map<string, number[]>();
  readonly #open = new Map<string, string>(); // check id → client
  readonly #queue: PQueue;
  /** Client addresses are kept only as salted hashes (the salt lives as long as the process). */
  readonly #salt = randomBytes(16);
  #runner: CheckRunner | CheckProcess | null = null;
  #bull: BullQueue | null = null;
  #poll: NodeJS.Timeout | null = null;

  constructor(private readonly store: Store, private readonly o: CheckServiceOptions) {
    this.#queue = new PQueue({ concurrency: o.maxConcurrent });
    // A check a stopped server left behind cannot finish in-process: say so instead of leaving it spinning.
    if (!o.redisUrl) for (const id of store.unfinishedChecks()) store.finishCheck(id, { status: 'error', error: 'the server restarted before this check finished; please submit it again' });
  }

  async start() {
    if (!this.o.redisUrl) return;
    const { Queue } = await import('bullmq');
    const { connect } = await import('../queue/executor.js');
    this.#bull = new Queue(this.o.queue ?? CHECKS_QUEUE, { connection: connect(this.o.redisUrl) });
    for (const id of this.store.unfinishedChecks()) this.#open.set(id, this.store.check(id)!.client);
    this.#poll = setInterval(() => void this.#collect().catch(() => {}), 1000);
  }

  /**
   * The client's allowance first (every attempt counts, refused ones too, so vetting with its DNS lookup
   * cannot be used for free), then the address, then the queue; returns the check's id.
   */
  async submit(raw: unknown, address: string): Promise<string> {
    const client = hashedClient(this.#salt, address, 22);
    const now = Date.now();
    const recent = (this.#recent.get(client) ?? []).filter((t) => now - t < 3600_000);
    if (recent.length >= this.o.perClientPerHour) throw new BusyError(`at most ${this.o.perClientPerHour} checks an hour from one address; try again later`, Math.ceil((recent[0]! + 3600_000 - now) / 1000));
    if ([...this.#open.values()].filter((c) => c === client).length >= this.o.perClientAtOnce) throw new BusyError(`at most ${this.o.perClientAtOnce} checks at once from one address; wait for one to finish`, 30);
    if (this.#open.size >= this.o.maxQueued) throw new BusyError('too many checks are waiting; try again in a few minutes', 120);
    recent.push(now);
    this.#recent.set(client, recent);
    if (this.#recent.size > 10_000) {
      for (const [c, times] of this.#recent) if (times.every((t) => now - t >= 3600_000)) this.#recent.delete(c);
    }
    const url = await vetCheckUrl(raw, egressPolicy(this.o.allowPrivate, this.o.policy));
    const id = randomBytes(12).toString('base64url');
    this.store.createCheck(id, url.href, client);
    this.#open.set(id, client);
    if (this.#bull) {
      await this.#bull.add('check', { checkId: id, url: url.href, limits: this.o.limits, allowPrivate: this.o.allowPrivate }, { jobId: id, attempts: 2, backoff: { type: 'fixed', delay: 5000 }, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 } });
    } else {
      void this.#queue.add(() => this.#runInProcess(id, url.href));
    }
    return id;
  }

  async #runInProcess(id: string, url: string) {
    this.store.setCheckStatus(id, 'running');
    // Off the web server's event loop: in a check process, unless a test injects a policy (functions cannot
    // cross to another process), which runs the same CheckRunner here.
    this.#runner ??= this.o.policy ? new CheckRunner(this.o.allowPrivate, this.o.policy) : new CheckProcess(this.o.allowPrivate);
    const outcome = await this.#runner.run(url, this.o.limits, (pagesDone, pagesPlanned) => this.#progress.set(id, { pagesDone, pagesPlanned }))
      .catch((err) => ({ status: 'error' as const, error: errorMessage(err) }));
    this.#finish(id, outcome);
  }

  #finish(id: string, outcome: Parameters<Store['finishCheck']>[1]) {
    this.store.finishCheck(id, outcome);
    this.#open.delete(id);
    this.#progress.delete(id);
  }

  /** BullMQ mode: read the state of the open checks' jobs and land the finished ones. */
  async #collect() {
    const { parseOutcome } = await import('../queue/jobs.js');
    for (const id of [...this.#open.keys()]) {
      const job = await this.#bull!.getJob(id);
      if (!job) {
        this.#finish(id, { status: 'error', error: 'the check was lost by the queue; please submit it again' });
        continue;
      }
      const state = await job.getState();
      if (state === 'active') {
        this.store.setCheckStatus(id, 'running');
        const p = job.progress as { pagesDone?: number; pagesPlanned?: number } | number;
        if (typeof p === 'object' && p.pagesPlanned) this.#progress.set(id, { pagesDone: p.pagesDone ?? 0, pagesPlanned: p.pagesPlanned });
      } else if (state === 'completed') {
        try {
          this.#finish(id, parseOutcome(job.returnvalue));
        } catch (err) {
          this.#finish(id, { status: 'error', error: `the worker returned an unreadable result: ${errorMessage(err)}` });
        }
      } else if (state === 'failed') this.#finish(id, { status: 'error', error: job.failedReason || 'the check failed' });
    }
  }

  view(id: string): CheckView | null {
    if (!/^[A-Za-z0-9_-]{16}$/.test(id)) return null;
    const row = this.store.check(id);
    if (!row) return null;
    return {
      id: row.id, url: row.url, status: row.status, createdAt: row.created_at, finishedAt: row.finished_at,
      progress: this.#progress.get(id) ?? null, error: row.error, grade: row.grade, result: row.result,
    };
  }

  get open() {
    return this.#open.size;
  }

  async close() {
    if (this.#poll) clearInterval(this.#poll);
    this.#queue.clear();
    await Promise.race([this.#queue.onIdle(), new Promise((r) => setTimeout(r, 5000))]);
    await this.#runner?.close();
    await this.#bull?.close();
  }
}


/** A client as the limits and logs know it: a salted hash of its clientKey, never the address itself. */
export function hashedClient(salt: Uint8Array, address: string, length: number): string {
  return createHash('sha256').update(salt).update(clientKey(address)).digest('base64url').slice(0, length);
}

/**
 * Who a client is for the limits: its IPv4 address, or its IPv6 /64 (one household or server gets a whole
 * /64, so counting single IPv6 addresses would give one attacker billions of allowances).
 */
export function clientKey(address: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (!address.includes(':')) return address;
  return `${ipv6Groups(address).slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}
