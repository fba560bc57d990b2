// The eindex command line: dispatch only. Every failure the user can cause ends as one line and exit 2.
import { auditCommand, AUDIT_HELP } from './audit.js';
import { demoCommand } from './demo.js';
import { pruneCommand, runCommand, runsCommand, showCommand } from './run.js';
import { siteResultJsonSchema } from '../schema/result.js';
import { UserError, errorMessage } from '../util/errors.js';
import { TOOL_VERSION } from '../version.js';

const HELP = `eindex ${TOOL_VERSION} — accessibility and mobile audits for Latvia's e-index

Usage: eindex <command> [options]

  audit <url...>     audit one site (eindex audit --help)
  run <targets.yaml> audit a whole registry, store the run in SQLite (eindex run --help)
  runs               list stored runs            show [run|latest] [id]   print a run or one site
  prune --keep 90d   delete runs older than that
  report             compliance report of a run: html, pdf, csv, json; en or lv (eindex report --help)
  index --survey F   the e-index from a survey CSV and a run's scores (eindex index --help)
  serve              the web dashboard, check-my-site and the JSON API (eindex serve --help)
  worker             consume BullMQ site jobs (--redis URL [--concurrency N] [--allow-private])
  schedule <targets.yaml> --redis URL --cron "0 2 * * *" [--tz Europe/Riga] | --list | --remove ID
  scheduler          carry out scheduled runs (--redis URL [--db FILE])
  demo               serve the bundled demo sites on 127.0.0.1 and audit them
  bench              throughput benchmark against the naive way (npm run bench)
  schema             print the JSON Schema of a site result
  --version          print the version`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  audit: auditCommand,
  demo: demoCommand,
  bench: async (argv) => (await import('../bench/bench.js')).benchCommand(argv),
  run: runCommand,
  runs: runsCommand,
  show: showCommand,
  prune: pruneCommand,
  report: async (argv) => (await import('./report.js')).reportCommand(argv),
  index: async (argv) => (await import('./report.js')).indexCommand(argv),
  serve: async (argv) => (await import('./serve.js')).serveCommand(argv),
  worker: async (argv) => (await import('../../workers/site-worker.js')).workerCommand(argv),
  schedule: async (argv) => (await import('../queue/schedule.js')).scheduleCommand(argv),
  scheduler: async (argv) => (await import('../../workers/scheduler.js')).schedulerCommand(argv),
  schema: async () => {
    console.log(JSON.stringify(siteResultJsonSchema(), null, 2));
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(command ? HELP : `${HELP}\n\n${AUDIT_HELP}`);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    console.log(TOOL_VERSION);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`eindex: unknown command "${command}" (eindex --help lists them)`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    if (err instanceof UserError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`eindex: ${errorMessage(err)}`);
      return err instanceof UserError ? err.exitCode : 2;
    }
    console.error(`eindex: internal error: ${errorMessage(err)}${process.env.EINDEX_DEBUG ? `\n${(err as Error).stack}` : ' (set EINDEX_DEBUG=1 for details)'}`);
    return 3;
  }
}
