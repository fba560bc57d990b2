// `eindex schedule`: nightly runs as BullMQ job schedulers, idempotent (upsert by name).
import { withoutSecrets } from '../audit/secrets.js';
import { Queue } from 'bullmq';
import { basename, resolve } from 'node:path';
import type { AuditOptions } from '../audit/options.js';
import { loadTargets } from '../targets/targets.js';
import { UserError, errorMessage } from '../util/errors.js';
import { connect } from './executor.js';
import { RUNS_QUEUE } from './jobs.js';

/**
 * Declares (or updates: schedulers are keyed by name) a registry's scheduled run, for the CLI and the
 * dashboard alike. A broken registry, time zone or pattern is refused now, not at 2 am.
 */
export async function declareSchedule(queue: Queue, s: { targetsFile: string; cron: string; tz: string; name?: string; options: AuditOptions }): Promise<{ name: string; next: number | null }> {
  loadTargets(s.targetsFile);
  try {
    Intl.DateTimeFormat('en', { timeZone: s.tz });
  } catch {
    throw new UserError(`unknown time zone ${JSON.stringify(s.tz)}`);
  }
  const name = s.name ?? `nightly-${basename(s.targetsFile).replace(/\.ya?ml$/, '')}`;
  try {
    await queue.upsertJobScheduler(name, { pattern: s.cron, tz: s.tz }, { name: 'run', data: { targetsFile: s.targetsFile, options: withoutSecrets(s.options) } });
  } catch (err) {
    throw new UserError(`cannot schedule ${JSON.stringify(s.cron)}: ${errorMessage(err)}`);
  }
  const [x] = (await queue.getJobSchedulers()).filter((j) => j.key === name);
  return { name, next: x?.next ?? null };
}
