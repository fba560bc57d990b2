// The BullMQ executor: enqueue one job per site, then collect outcomes as workers finish them. Results
// come back through the queue (job return values), so workers need no database. The collector polls job
// states instead of trusting events alone: a Redis restart loses events, and a lost job is enqueued again.
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AuditOptions } from '../audit/options.js';
import type { SiteOutcome } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import { UserError, errorMessage } from '../util/errors.js';
import { sleep } from '../util/time.js';
import type { Executor } from '../run/run.js';
import { parseOutcome, redisConnection, siteJobId, SITES_QUEUE } from './jobs.js';

export interface BullExecutorOptions { redisUrl: string; queue?: string; options: AuditOptions; pollMs?: number }

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
    const connection = connect(this.o.redisUrl);
    const queue = new Queue(this.o.queue ?? SITES_QUEUE, { connection });
    const enqueue = (batch: Target[]) => queue.addBulk(batch.map((target) => ({
      name: 'site',
      data: { runId, target, options: this.o.options },
      opts: { jobId: siteJobId(runId, target.id), attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: false, removeOnFail: false },
    })));
    try {
      await enqueue(targets);
      const pending = new Map(targets.map((t) => [siteJobId(runId, t.id), t]));
      while (pending.size) {
        try {
          const lost: Target[] = [];
          for (const [jobId, target] of [...pending]) {
            // The state first, the job after: a job read before its state (the old order) could finish
            // in between, and its return value was then read as empty ("invalid result from worker").
            const state = await queue.getJobState(jobId);
            if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
            const job = state === 'unknown' ? undefined : await Job.fromId(queue, jobId);
            if (!job) {
              lost.push(target);
              continue;
            }
            let outcome: SiteOutcome;
            try {
              outcome = state === 'completed' ? parseOutcome(job.returnvalue) : { status: 'error', error: job.failedReason || 'the job failed' };
            } catch (err) {
              outcome = { status: 'error', error: `invalid result from worker: ${errorMessage(err)}` };
            }
            land(target, outcome);
            pending.delete(jobId);
            await job.remove().catch(() => {});
          }
          if (lost.length) await enqueue(lost); // Redis lost them (restart without persistence): again
        } catch (err) {
          if (err instanceof UserError) throw err; // the store refused the result: stop, resumable
          // Redis unreachable for a moment: ioredis reconnects; keep waiting.
          process.stderr.write(`eindex: waiting for Redis (${errorMessage(err)})\n`);
        }
        if (pending.size) await sleep(this.o.pollMs ?? 1000);
      }
    } finally {
      await queue.close().catch(() => {});
      connection.disconnect();
    }
  }
}
