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
    const name = this.o.queue ?? SITES_QUEUE;
    const keys = runKeys(name, runId);
    const connection = connect(this.o.redisUrl);
    const blocking = connect(this.o.redisUrl); // BLMPOP holds its connection while it waits
    const queue = new Queue(name, { connection, streams: QUEUE_STREAMS });
    const window = Math.max(1, this.o.window ?? 500);
    const todo = [...targets];
    const outstanding = new Map<string, Target>();
    const jobOf = (target: Target) => ({
      name: 'site',
      data: { runId, target, keys } satisfies SiteJobData,
      opts: { jobId: siteJobId(runId, target.id), attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: false },
    });
    const announce = () => connection.multi()
      .set(keys.options, JSON.stringify(withoutSecrets(this.o.options)), 'EX', RUN_KEYS_TTL_SECONDS) // no secret in Redis
      .set(keys.alive, '1', 'EX', RUN_KEYS_TTL_SECONDS)
      .exec();
    const topUp = async () => {
      const batch = todo.splice(0, Math.max(0, window - outstanding.size));
      if (!batch.length) return;
      for (const t of batch) outstanding.set(siteJobId(runId, t.id), t);
      await queue.addBulk(batch.map(jobOf));
    };
    const landEntry = (raw: string) => {
      let entry: { jobId: string; outcome: unknown };
      try {
        entry = resultEntrySchema.parse(JSON.parse(raw)) as typeof entry;
      } catch {
        return; // not ours to read: nothing to land
      }
      const target = outstanding.get(entry.jobId);
      if (!target) return; // landed already (a job audited twice after a restart or a stall)
      let outcome: SiteOutcome;
      try {
        outcome = parseOutcome(entry.outcome);
      } catch (err) {
        outcome = { status: 'error', error: `invalid result from worker: ${errorMessage(err)}` };
      }
      land(target, outcome); // may throw (the store refused): the run stops, resumable
      outstanding.delete(entry.jobId);
    };
    /** Once, when nothing has landed for a long time: jobs failed for good land as errors, lost ones go again. */
    const sweep = async () => {
      const again: Target[] = [];
      for (const [jobId, target] of [...outstanding]) {
        const state = await queue.getJobState(jobId);
        if (state === 'failed') {
          const job = await Job.fromId(queue, jobId);
          land(target, { status: 'error', error: job?.failedReason || 'the job failed' });
          outstanding.delete(jobId);
          await job?.remove().catch(() => {});
        } else if (state === 'unknown') {
          again.push(target);
        }
      }
      if (again.length) await queue.addBulk(again.map(jobOf));
    };

    try {
      await announce();
      await topUp();
      let lastLanding = Date.now();
      let lastAliveCheck = Date.now();
      while (outstanding.size || todo.length) {
        try {
          const popped = (await blocking.blmpop(2, 1, keys.results, 'LEFT', 'COUNT', 500)) as [string, string[]] | null;
          if (popped) {
            for (const raw of popped[1]) landEntry(raw);
            lastLanding = Date.now();
            await topUp();
          }
          if (Date.now() - lastAliveCheck >= (this.o.aliveCheckMs ?? 5_000)) {
            lastAliveCheck = Date.now();
            if (!(await connection.exists(keys.alive))) {
              // Redis lost its state (a restart without persistence): the options, the list and the jobs.
              process.stderr.write('eindex: Redis lost the run\'s state; enqueueing the outstanding sites again\n');
              await announce();
              await queue.addBulk([...outstanding.values()].map(jobOf));
            }
          }
          if (outstanding.size && Date.now() - lastLanding >= (this.o.overdueMs ?? 180_000)) {
            lastLanding = Date.now();
            await sweep();
          }
        } catch (err) {
          if (err instanceof UserError) throw err; // the store refused the result: stop, resumable
          // Redis unreachable for a moment: ioredis reconnects; keep waiting.
          process.stderr.write(`eindex: waiting for Redis (${errorMessage(err)})\n`);
          await sleep(1000);
        }
      }
    } finally {
      await connection.del(keys.results, keys.options, keys.alive).catch(() => {});
      await queue.close().catch(() => {});
      connection.disconnect();
      blocking.disconnect();
    }
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
