// `eindex schedule`: nightly runs as BullMQ job schedulers, idempotent (upsert by name).
import { Queue } from 'bullmq';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditOptions } from '../audit/options.js';
import { AUDIT_OPTIONS, auditOptionsFrom } from '../cli/audit.js';
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
    await queue.upsertJobScheduler(name, { pattern: s.cron, tz: s.tz }, { name: 'run', data: { targetsFile: s.targetsFile, options: s.options } });
  } catch (err) {
    throw new UserError(`cannot schedule ${JSON.stringify(s.cron)}: ${errorMessage(err)}`);
  }
  const [x] = (await queue.getJobSchedulers()).filter((j) => j.key === name);
  return { name, next: x?.next ?? null };
}

export async function scheduleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { ...AUDIT_OPTIONS, redis: { type: 'string' }, cron: { type: 'string' }, tz: { type: 'string' }, name: { type: 'string' }, list: { type: 'boolean' }, remove: { type: 'string' }, queue: { type: 'string' } },
  });
  if (!values.redis) throw new UserError('eindex schedule needs --redis URL');
  const connection = connect(values.redis);
  const queue = new Queue(values.queue ?? RUNS_QUEUE, { connection });
  try {
    if (values.list) {
      const schedulers = await queue.getJobSchedulers();
      if (!schedulers.length) console.log('no schedules');
      for (const s of schedulers) console.log(`${s.key}  ${s.pattern ?? `every ${s.every} ms`}  ${s.tz ?? 'UTC'}  next ${s.next ? new Date(s.next).toISOString() : '–'}`);
      return 0;
    }
    if (values.remove) {
      const removed = await queue.removeJobScheduler(values.remove);
      if (!removed) throw new UserError(`no schedule named ${JSON.stringify(values.remove)}`);
      console.log(`removed schedule ${values.remove}`);
      return 0;
    }
    if (positionals.length !== 1 || !values.cron) throw new UserError('usage: eindex schedule <targets.yaml> --redis URL --cron "0 2 * * *" [--tz Europe/Riga]');
    const tz = values.tz ?? 'Europe/Riga';
    const s = await declareSchedule(queue, { targetsFile: resolve(positionals[0]!), cron: values.cron, tz, name: values.name, options: auditOptionsFrom(values) });
    console.log(`schedule ${s.name}: "${values.cron}" ${tz}, next run ${s.next ? new Date(s.next).toISOString() : '?'} (eindex scheduler carries it out)`);
    return 0;
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}
