// `eindex schedule`: declare, list or remove a registry's scheduled run on BullMQ.
import { Queue } from 'bullmq';
import { resolve } from 'node:path';
import { auditOptionsFrom } from '../audit/option-defs.js';
import { connect } from '../queue/executor.js';
import { RUNS_QUEUE } from '../queue/jobs.js';
import { declareSchedule } from '../queue/schedule.js';
import { UserError } from '../util/errors.js';
import { refuseIgnoredRules } from './run.js';
import type { ValuesOf } from '../util/option-def.js';
import type { SCHEDULE_COMMAND_OPTIONS } from './command-options.js';

export async function scheduleCommand(values: ValuesOf<typeof SCHEDULE_COMMAND_OPTIONS>, positionals: string[]): Promise<number> {
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
    const s = await declareSchedule(queue, { targetsFile: resolve(positionals[0]!), cron: values.cron, tz, name: values.name, options: refuseIgnoredRules(auditOptionsFrom(values)) });
    console.log(`schedule ${s.name}: "${values.cron}" ${tz}, next run ${s.next ? new Date(s.next).toISOString() : '?'} (eindex scheduler carries it out)`);
    return 0;
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}
