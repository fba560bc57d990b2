// `eindex worker`: consumes site jobs from BullMQ. Thin: validate the job, audit with the same
// Auditor the in-process path uses, return the outcome. One browser per concurrency slot and route.
import { Worker } from 'bullmq';
import { auditOptionsFrom, positiveInt } from '../src/audit/option-defs.js';
import type { AuditOptions } from '../src/audit/options.js';
import { withWorkerSecrets } from '../src/audit/secrets.js';
import { browserSignals, sandboxWarning } from '../src/gather/browser.js';
import { SITES_QUEUE } from '../src/queue/jobs.js';
import { connect, SiteJobProcessor } from '../src/queue/executor.js';
import { Auditor, REGISTRY_PRIVATE_HINT } from '../src/run/auditor.js';
import { UserError, errorMessage } from '../src/util/errors.js';
import { sleep } from '../src/util/time.js';
import { CheckRunner } from '../src/server/check-runner.js';
import { CHECKS_QUEUE } from '../src/server/checks.js';
import { z } from 'zod';

const checkJobSchema = z.object({
  checkId: z.string(), url: z.string().url(), allowPrivate: z.boolean(),
  limits: z.object({ maxPages: z.number().int().positive().max(50), pageTimeoutMs: z.number().positive(), siteTimeoutMs: z.number().positive(), lighthouse: z.boolean() }),
});

/** `eindex worker`'s settings as the command line gives them (defined with the other commands in src/cli/commands.ts). */
export interface WorkerValues {
  redis?: string; concurrency?: string; queue?: string; 'no-checks'?: boolean; 'checks-queue'?: string; 'allow-private'?: boolean;
  'lock-duration'?: string; 'stalled-interval'?: string; 'drain-timeout'?: string; config?: string;
}

export async function workerCommand(values: WorkerValues): Promise<number> {
  if (!values.redis) throw new UserError('eindex worker needs --redis URL');
  browserSignals.closeOnSignal = false; // SIGTERM drains: the running audits keep their browsers
  const concurrency = positiveInt('--concurrency', values.concurrency, 1);
  const connection = connect(values.redis);
  // Browsers are launched on first use, through this worker's egress guard unless the target is marked
  // private; whether private targets are audited at all is this worker's own start flag, not the job's.
  const auditor = new Auditor({ privateTargets: !!values['allow-private'], privateHint: REGISTRY_PRIVATE_HINT });
  // Secrets (headers, cookies, login) never travel through Redis: a worker has its own, from --config.
  const own = values.config ? auditOptionsFrom({ config: values.config }) : { headers: {}, cookies: [], login: [] };
  const sites = new SiteJobProcessor(connection, (target, options) => {
    let audited: AuditOptions;
    try {
      audited = withWorkerSecrets(options, own);
    } catch (err) {
      return Promise.resolve({ status: 'error' as const, error: errorMessage(err) });
    }
    return auditor.audit(target, audited);
  });
  const worker = new Worker(values.queue ?? SITES_QUEUE, (job) => sites.process(job), {
    connection,
    concurrency,
    lockDuration: positiveInt('--lock-duration', values['lock-duration'], 60_000),
    stalledInterval: positiveInt('--stalled-interval', values['stalled-interval'], 30_000),
    maxStalledCount: 3,
  });
  // Self-service checks of `eindex serve --redis`: one at a time, each through its own egress guard.
  const runners = new Map<boolean, CheckRunner>();
  const checks = values['no-checks'] ? null : new Worker(values['checks-queue'] ?? CHECKS_QUEUE, async (job) => {
    const d = checkJobSchema.parse(job.data);
    // Whether a check may reach private addresses is this worker's own start flag, never the job's word:
    // anyone who can write to Redis could otherwise queue an unguarded check.
    const allowPrivate = !!values['allow-private'];
    if (d.allowPrivate && !allowPrivate) process.stderr.write(`eindex worker: check ${d.checkId} asked for private addresses; this worker runs checks guarded (start it with --allow-private to allow them)\n`);
    if (!runners.has(allowPrivate)) runners.set(allowPrivate, new CheckRunner(allowPrivate));
    return runners.get(allowPrivate)!.run(d.url, d.limits, (pagesDone, pagesPlanned) => void job.updateProgress({ pagesDone, pagesPlanned }).catch(() => {}));
  }, { connection, concurrency: 1, lockDuration: 60_000 });
  checks?.on('error', (err) => process.stderr.write(`eindex worker (checks): ${errorMessage(err)}\n`));
  worker.on('failed', (job, err) => {
    process.stderr.write(`eindex worker: ${job?.id} failed: ${errorMessage(err)}\n`);
    void sites.failed(job, err);
  });
  worker.on('error', (err) => process.stderr.write(`eindex worker: ${errorMessage(err)}\n`));
  process.stderr.write(`eindex worker: consuming ${values.queue ?? SITES_QUEUE}, concurrency ${concurrency}\n`);
  const sandbox = sandboxWarning();
  if (sandbox) process.stderr.write(`${sandbox}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  // Drain: let running audits finish, bounded (worker.close() has no timeout of its own, and with Redis
  // gone it never returns); then every later step is bounded too, and a last bound ends the process.
  const drainMs = positiveInt('--drain-timeout', values['drain-timeout'], 120_000);
  const redisUp = connection.status === 'ready';
  process.stderr.write(`eindex worker: draining${redisUp ? '' : ' (Redis is not answering: the jobs in hand go back to the queue when it is)'}\n`);
  setTimeout(() => {
    process.stderr.write('eindex worker: shutdown took too long; exiting\n');
    process.exit(1);
  }, drainMs + 15_000).unref();
  const bounded = (what: Promise<unknown>, ms: number) => Promise.race([what.catch(() => {}), sleep(ms)]);
  const drained = await Promise.race([worker.close().then(() => true, () => false), sleep(redisUp ? drainMs : Math.min(drainMs, 5000)).then(() => false)]);
  if (!drained) await bounded(worker.close(true), 5000);
  if (checks) await bounded(checks.close(true), 5000);
  await bounded(Promise.all([...runners.values()].map((r) => r.close())), 5000);
  await bounded(auditor.close(), 5000);
  connection.disconnect();
  return 0;
}
