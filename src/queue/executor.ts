// The BullMQ executor: one job per site, results collected as workers finish them, at a cost per site
// that does not grow with the registry.
//
// - The run's options are stored once (`runKeys().options`); a job is the target and that key.
// - A worker pushes each outcome on the run's results list; the coordinator pops them in batches with
//   one blocking call (BLMPOP). No job is read back, no state polled: commands per site are constant.
// - At most `window` jobs are in Redis at a time; more are added as results land (back-pressure).
// - Recovery without polling every job: a Redis that restarted empty is noticed by the run's `alive` key
//   going missing (one EXISTS every few seconds), and everything outstanding is enqueued again; when
//   nothing has landed for `overdueMs`, the outstanding jobs' states are swept once (a job failed for good,
//   or lost). Duplicates are harmless: the first outcome of a job lands, later ones are dropped.
import { withoutSecrets } from '../audit/secrets.js';
import { Job, Queue, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import type { AuditOptions } from '../audit/options.js';
import type { SiteOutcome } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import { UserError, errorMessage } from '../util/errors.js';
import { sleep } from '../util/time.js';
import type { Executor } from '../run/run.js';
import { parseOutcome, parseRunOptions, redisConnection, resultEntrySchema, RUN_KEYS_TTL_SECONDS, runKeys, siteJobId, siteJobSchema, SITES_QUEUE, type SiteJobData } from './jobs.js';

export interface BullExecutorOptions {
  redisUrl: string;
  queue?: string;
  options: AuditOptions;
  /** Jobs in Redis at once (default 500). */
  window?: number;
  /** How often the run checks that Redis still holds its state (default 5 s). */
  aliveCheckMs?: number;
  /** With nothing landed for this long, the outstanding jobs' states are swept once (default 3 min). */
  overdueMs?: number;
}

/** Keeps BullMQ's event stream short: the coordinator does not read it, and it is Redis memory. */
export const QUEUE_STREAMS = { events: { maxLen: 100 } };

export function connect(redisUrl: string): Redis {
  try {
    redisConnection(redisUrl);
  } catch (err) {
    throw new UserError(errorMessage(err));
  }
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export class BullExecutor implements Executor {
  constructor(private readonly o: BullExecutorOptions) {}

  async execute(runId: number, targets: Target[], land: (t: Target, outcome: SiteOutcome) => void) {
    const run = new RunOnQueue(this.o, runId, targets, land);
    try {
      await run.announce();
      await run.topUp();
      while (run.pending) {
        try {
          await run.collect();
        } catch (err) {
          if (err instanceof UserError) throw err; // the store refused the result: stop, resumable
          // Redis unreachable for a moment: ioredis reconnects; keep waiting.
          process.stderr.write(`eindex: waiting for Redis (${errorMessage(err)})\n`);
          await sleep(1000);
        }
      }
    } finally {
      await run.close();
    }
  }
}

/**
 * One run on the queue, as its collector sees it: a window of site jobs enqueued, topped up as results
 * land; the run's liveness key watched (Redis restarted empty); a sweep when nothing has landed for long.
 */
class RunOnQueue {
  readonly #keys: ReturnType<typeof runKeys>;
  readonly #connection: Redis;
  readonly #blocking: Redis; // BLMPOP holds its connection while it waits
  readonly #queue: Queue;
  readonly #window: number;
  readonly #todo: Target[];
  readonly #outstanding = new Map<string, Target>();
  #lastLanding = Date.now();
  #lastAliveCheck = Date.now();

  constructor(private readonly o: BullExecutorOptions, private readonly runId: number, targets: Target[], private readonly land: (t: Target, outcome: SiteOutcome) => void) {
    const name = o.queue ?? SITES_QUEUE;
    this.#keys = runKeys(name, runId);
    this.#connection = connect(o.redisUrl);
    this.#blocking = connect(o.redisUrl);
    this.#queue = new Queue(name, { connection: this.#connection, streams: QUEUE_STREAMS });
    this.#window = Math.max(1, o.window ?? 500);
    this.#todo = [...targets];
  }

  get pending(): boolean {
    return this.#outstanding.size > 0 || this.#todo.length > 0;
  }

  #jobOf(target: Target) {
    return {
      name: 'site',
      data: { runId: this.runId, target, keys: this.#keys } satisfies SiteJobData,
      opts: { jobId: siteJobId(this.runId, target.id), attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: false },
    };
  }

  announce() {
    return this.#connection.multi()
      .set(this.#keys.options, JSON.stringify(withoutSecrets(this.o.options)), 'EX', RUN_KEYS_TTL_SECONDS) // no secret in Redis
      .set(this.#keys.alive, '1', 'EX', RUN_KEYS_TTL_SECONDS)
      .exec();
  }

  async topUp() {
    const batch = this.#todo.splice(0, Math.max(0, this.#window - this.#outstanding.size));
    if (!batch.length) return;
    for (const t of batch) this.#outstanding.set(siteJobId(this.runId, t.id), t);
    await this.#queue.addBulk(batch.map((t) => this.#jobOf(t)));
  }

  /** One wait for results (2 s at most), then the liveness check and the sweep when they are due. */
  async collect() {
    const popped = (await this.#blocking.blmpop(2, 1, this.#keys.results, 'LEFT', 'COUNT', 500)) as [string, string[]] | null;
    if (popped) {
      for (const raw of popped[1]) this.#landEntry(raw);
      this.#lastLanding = Date.now();
      await this.topUp();
    }
    if (Date.now() - this.#lastAliveCheck >= (this.o.aliveCheckMs ?? 5_000)) {
      this.#lastAliveCheck = Date.now();
      if (!(await this.#connection.exists(this.#keys.alive))) {
        // Redis lost its state (a restart without persistence): the options, the list and the jobs.
        process.stderr.write('eindex: Redis lost the run\'s state; enqueueing the outstanding sites again\n');
        await this.announce();
        await this.#queue.addBulk([...this.#outstanding.values()].map((t) => this.#jobOf(t)));
      }
    }
    if (this.#outstanding.size && Date.now() - this.#lastLanding >= (this.o.overdueMs ?? 180_000)) {
      this.#lastLanding = Date.now();
      await this.#sweep();
    }
  }

  #landEntry(raw: string) {
    let entry: { jobId: string; outcome: unknown };
    try {
      entry = resultEntrySchema.parse(JSON.parse(raw)) as typeof entry;
    } catch {
      return; // not ours to read: nothing to land
    }
    const target = this.#outstanding.get(entry.jobId);
    if (!target) return; // landed already (a job audited twice after a restart or a stall)
    let outcome: SiteOutcome;
    try {
      outcome = parseOutcome(entry.outcome);
    } catch (err) {
      outcome = { status: 'error', error: `invalid result from worker: ${errorMessage(err)}` };
    }
    this.land(target, outcome); // may throw (the store refused): the run stops, resumable
    this.#outstanding.delete(entry.jobId);
  }

  /** Once, when nothing has landed for a long time: jobs failed for good land as errors, lost ones go again. */
  async #sweep() {
    const again: Target[] = [];
    for (const [jobId, target] of [...this.#outstanding]) {
      const state = await this.#queue.getJobState(jobId);
      if (state === 'failed') {
        const job = await Job.fromId(this.#queue, jobId);
        this.land(target, { status: 'error', error: job?.failedReason || 'the job failed' });
        this.#outstanding.delete(jobId);
        await job?.remove().catch(() => {});
      } else if (state === 'unknown') {
        again.push(target);
      }
    }
    if (again.length) await this.#queue.addBulk(again.map((t) => this.#jobOf(t)));
  }

  async close() {
    await this.#connection.del(this.#keys.results, this.#keys.options, this.#keys.alive).catch(() => {});
    await this.#queue.close().catch(() => {});
    this.#connection.disconnect();
    this.#blocking.disconnect();
  }
}

/**
 * The worker's side of a site job: read the run's options (once per run and worker), audit, push the
 * outcome on the run's results list. `audit` is the real audit in `eindex worker`.
 */
export class SiteJobProcessor {
  readonly #options = new Map<string, AuditOptions>();
  constructor(private readonly redis: Redis, private readonly audit: (target: Target, options: AuditOptions) => Promise<SiteOutcome>) {}

  async process(job: BullJob): Promise<void> {
    const data = siteJobSchema.parse(job.data);
    const outcome = await this.audit(data.target, await this.#optionsOf(data.keys.options));
    await this.#push(data, job.id!, outcome);
  }

  /** A job that failed for good still has an outcome: the coordinator is told at once, not at its sweep. */
  async failed(job: BullJob | undefined, err: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const data = siteJobSchema.safeParse(job.data);
    if (data.success) await this.#push(data.data, job.id!, { status: 'error', error: errorMessage(err) }).catch(() => {});
  }

  async #optionsOf(key: string): Promise<AuditOptions> {
    let options = this.#options.get(key);
    if (!options) {
      const json = await this.redis.get(key);
      // The coordinator stores them again when it notices Redis lost them: this attempt is retried.
      if (json === null) throw new Error('the run\'s options are not in Redis (Redis restarted?)');
      options = parseRunOptions(json);
      if (this.#options.size >= 8) this.#options.delete(this.#options.keys().next().value!);
      this.#options.set(key, options);
    }
    return options;
  }

  async #push(data: SiteJobData, jobId: string, outcome: SiteOutcome) {
    // Only while the run is going: a late duplicate (a job finished twice) must not recreate the list
    // after the coordinator removed it; after a Redis restart the coordinator enqueues the job again.
    await this.redis.eval(PUSH_WHILE_ALIVE, 2, data.keys.results, data.keys.alive, JSON.stringify({ jobId, outcome }), RUN_KEYS_TTL_SECONDS);
  }
}

const PUSH_WHILE_ALIVE = `if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('RPUSH', KEYS[1], ARGV[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1`;
