// `eindex scheduler`: carries out the scheduled runs. Each scheduled job becomes a stored run whose sites
// are enqueued for the site workers; only this process touches the database.
import { Worker } from 'bullmq';
import { BullExecutor, connect } from '../src/queue/executor.js';
import { RUNS_QUEUE } from '../src/queue/jobs.js';
import { createRun, runTargets } from '../src/run/run.js';
import { DEFAULT_DB, Store } from '../src/store/db.js';
import { loadTargets } from '../src/targets/targets.js';
import { parseMethodology } from '../src/grading/methodology.js';
import type { AuditOptions } from '../src/audit/options.js';
import { UserError, errorMessage } from '../src/util/errors.js';

export async function schedulerCommand(values: { redis?: string; db?: string; queue?: string }): Promise<number> {
  if (!values.redis) throw new UserError('eindex scheduler needs --redis URL');
  const redisUrl = values.redis;
  const store = new Store(values.db ?? DEFAULT_DB);
  const connection = connect(redisUrl);
  const worker = new Worker(values.queue ?? RUNS_QUEUE, async (job) => {
    const { targetsFile, options } = job.data as { targetsFile: string; options: AuditOptions };
    const opts = { ...options, methodology: parseMethodology(options.methodology) };
    const targets = loadTargets(targetsFile);
    // A retried job (scheduler restarted mid-run) continues its own run instead of starting another.
    const existing = job.data.runId as number | undefined;
    const runId = existing ?? createRun(store, 'bullmq-scheduled', targetsFile, targets, opts);
    if (!existing) await job.updateData({ ...job.data, runId });
    const summary = await runTargets({ store, runId, targets, executor: new BullExecutor({ redisUrl, options: opts }) });
    store.finishRun(runId, 'done');
    return summary;
  }, { connection, concurrency: 1, lockDuration: 120_000 });
  worker.on('failed', (job, err) => process.stderr.write(`eindex scheduler: ${job?.id} failed: ${errorMessage(err)}\n`));
  process.stderr.write(`eindex scheduler: waiting for scheduled runs on ${values.queue ?? RUNS_QUEUE}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await Promise.race([worker.close(), new Promise((r) => setTimeout(r, 30_000))]);
  connection.disconnect();
  store.close();
  return 0;
}
