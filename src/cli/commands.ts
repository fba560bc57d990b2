// Every eindex command as data: its arguments, options and help. main.ts builds the parser and the
// generated help from this table; each command's code is loaded only when it runs.
import type { OptionDef, ValuesOf } from '../util/option-def.js';
import {
  AUDIT_COMMAND_OPTIONS, RUN_COMMAND_OPTIONS, REPORT_COMMAND_OPTIONS, INDEX_COMMAND_OPTIONS, SERVE_COMMAND_OPTIONS, WORKER_COMMAND_OPTIONS, SCHEDULE_COMMAND_OPTIONS, SCHEDULER_COMMAND_OPTIONS, DEMO_COMMAND_OPTIONS, BENCH_COMMAND_OPTIONS, RUNS_COMMAND_OPTIONS, SHOW_COMMAND_OPTIONS, PRUNE_COMMAND_OPTIONS,
} from './command-options.js';

export type Handler<D extends readonly OptionDef[]> = (values: ValuesOf<D>, args: string[]) => Promise<number>;

export interface CommandDef {
  name: string;
  /** Arguments as commander writes them: `<url...>`, `[run] [id]`. */
  args?: string;
  summary: string;
  description?: string;
  options: readonly OptionDef[];
  /** Help text after the options. */
  after?: string;
  run: (values: Record<string, string | boolean | string[] | undefined>, args: string[]) => Promise<number>;
}

function command<const D extends readonly OptionDef[]>(def: Omit<CommandDef, 'options' | 'run'> & { options: D; run: Handler<D> }): CommandDef {
  return def as unknown as CommandDef;
}

export const COMMANDS: CommandDef[] = [
  command({
    name: 'audit', args: '<url...>', summary: 'audit one site',
    description: 'Audits one website for accessibility (axe-core, WCAG 2.2 A/AA) and mobile-friendliness, and grades it.',
    options: AUDIT_COMMAND_OPTIONS,
    after: 'Exit codes: 0 done, 1 below --fail-under, 2 bad input, a site that cannot be reached or no page that could be audited (a 404), 3 internal error, 130/143 stopped by SIGINT/SIGTERM (what was audited is written, marked "interrupted").',
    run: async (v, a) => (await import('./audit.js')).auditCommand(v, a),
  }),
  command({
    name: 'run', args: '<targets.yaml>', summary: 'audit a whole registry, store the run in SQLite',
    description: 'Audits every institution in the registry and stores the run in SQLite.',
    options: RUN_COMMAND_OPTIONS,
    after: 'Exit codes: 0 done, 1 a site below --fail-under or more than --max-failed sites failed, 2 bad input, 3 internal error, 4 no site could be audited, 130/143 stopped (resume with --resume).',
    run: async (v, a) => (await import('./run.js')).runCommand(v, a),
  }),
  command({ name: 'runs', summary: 'list stored runs', options: RUNS_COMMAND_OPTIONS, run: async (v) => (await import('./run.js')).runsCommand(v) }),
  command({
    name: 'show', args: '[run] [id]', summary: 'print a run (default latest), or one institution of it',
    options: SHOW_COMMAND_OPTIONS, run: async (v, a) => (await import('./run.js')).showCommand(v, a),
  }),
  command({ name: 'prune', summary: 'delete runs older than --keep', options: PRUNE_COMMAND_OPTIONS, run: async (v) => (await import('./run.js')).pruneCommand(v) }),
  command({
    name: 'report', summary: 'compliance report of a run: html, pdf, csv, json; en or lv',
    description: "Compliance report of a stored run: overview per group, then every institution's grade and what to fix.",
    options: REPORT_COMMAND_OPTIONS, run: async (v) => (await import('./report.js')).reportCommand(v),
  }),
  command({
    name: 'index', summary: "the e-index from a survey CSV and a run's scores",
    description: 'Computes the e-index: survey values (CSV: id and one column per surveyed sub-criterion, 0–100) plus the website accessibility and mobile scores of a stored run. A missing value is reported, never taken as 0.',
    options: INDEX_COMMAND_OPTIONS, run: async (v) => (await import('./report.js')).indexCommand(v),
  }),
  command({
    name: 'serve', summary: 'the web dashboard, check-my-site and the JSON API',
    description: 'The web dashboard (runs, institutions, trends, exports), the self-service check and the JSON API.',
    options: SERVE_COMMAND_OPTIONS,
    after: 'Starting runs and schedules and deleting runs (POST/DELETE under /api) need EINDEX_ADMIN_TOKEN set in the\nserver\'s environment and "Authorization: Bearer <token>" on the request; without it they are disabled.',
    run: async (v) => (await import('./serve.js')).serveCommand(v),
  }),
  command({
    name: 'worker', summary: 'consume BullMQ site jobs and dashboard checks',
    options: WORKER_COMMAND_OPTIONS, run: async (v) => (await import('../../workers/site-worker.js')).workerCommand(v),
  }),
  command({
    name: 'schedule', args: '[targets.yaml]', summary: 'declare, list or remove a scheduled run (BullMQ)',
    description: 'Declares a registry\'s scheduled run (eindex scheduler carries it out), lists or removes schedules.',
    options: SCHEDULE_COMMAND_OPTIONS, run: async (v, a) => (await import('./schedule.js')).scheduleCommand(v, a),
  }),
  command({
    name: 'scheduler', summary: 'carry out scheduled runs into SQLite',
    options: SCHEDULER_COMMAND_OPTIONS, run: async (v) => (await import('../../workers/scheduler.js')).schedulerCommand(v),
  }),
  command({
    name: 'demo', summary: 'serve the bundled demo sites on 127.0.0.1 and audit them',
    options: DEMO_COMMAND_OPTIONS, run: async (v) => (await import('./demo.js')).demoCommand(v),
  }),
  command({
    name: 'bench', args: '[soak|sample]', summary: 'throughput benchmark against the naive way (npm run bench); soak: a long run through BullMQ workers, memory sampled; sample: whole sites audited by census, and how often the default sample grades them the same',
    options: BENCH_COMMAND_OPTIONS, run: async (v, a) => (await import('../bench/bench.js')).benchCommand(v, a),
  }),
  command({
    name: 'schema', summary: 'print the JSON Schema of a site result', options: [],
    run: async () => {
      const { siteResultJsonSchema } = await import('../schema/result.js');
      console.log(JSON.stringify(siteResultJsonSchema(), null, 2));
      return 0;
    },
  }),
  command({
    name: 'version', summary: 'print the version', options: [],
    run: async () => {
      const { TOOL_VERSION } = await import('../version.js');
      console.log(TOOL_VERSION);
      return 0;
    },
  }),
];
