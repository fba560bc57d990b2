// `eindex schedule`: nightly runs as BullMQ job schedulers, idempotent (upsert by name).
import { Queue } from 'bullmq';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AUDIT_OPTIONS, auditOptionsFrom } from '../cli/audit.js';
import { loadTargets } from '../targets/targets.js';
import { UserError, errorMessage } from '../util/errors.js';
import { connect } from './executor.js';
import { RUNS_QUEUE } from './jobs.js';

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
    const targetsFile = resolve(positionals[0]!);
    loadTargets(targetsFile); // refuse a broken registry now, not at 2 am
    const name = values.name ?? `nightly-${basename(targetsFile).replace(/\.ya?ml$/, '')}`;
    const tz = values.tz ?? 'Europe/Riga';
    try {
      Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      throw new UserError(`unknown time zone ${JSON.stringify(tz)}`);
    }
    const options = auditOptionsFrom(values);
    try {
      await queue.upsertJobScheduler(name, { pattern: values.cron, tz }, { name: 'run', data: { targetsFile, options } });
    } catch (err) {
      throw new UserError(`cannot schedule ${JSON.stringify(values.cron)}: ${errorMessage(err)}`);
    }
    const [s] = (await queue.getJobSchedulers()).filter((x) => x.key === name);
    console.log(`schedule ${name}: "${values.cron}" ${tz}, next run ${s?.next ? new Date(s.next).toISOString() : '?'} (eindex scheduler carries it out)`);
    return 0;
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}
