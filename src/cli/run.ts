// `eindex run`, `eindex runs`, `eindex show`, `eindex prune`.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTerminal } from '../report/terminal.js';
import { createRun, runJson, runTargets, type Executor } from '../run/run.js';
import { InProcessExecutor } from '../run/in-process.js';
import { DEFAULT_DB, Store } from '../store/db.js';
import { loadTargets } from '../targets/targets.js';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';
import { AUDIT_OPTIONS, auditOptionsFrom } from './audit.js';
import { positiveInt } from './args.js';
import { runProgress } from './progress.js';

export const RUN_HELP = `Usage: eindex run <targets.yaml> [options]

Audits every institution in the registry and stores the run in SQLite.

  --db FILE          database (default ./eindex.sqlite, or $EINDEX_DB)
  --json FILE        write the run: runId and sites[]
  --concurrency N    sites at once, one browser each (default 2)
  --resume           finish the newest unfinished run of this targets file
  --redis URL        enqueue the sites on BullMQ and wait for workers (eindex worker)
  --allow-private    treat every target as an intranet site ("private: true"): audited directly,
                     not through the egress guard that keeps public sites out of private addresses
  --quiet            no progress
  plus the audit options of eindex audit (--max-pages, --no-lighthouse, --config, ...)`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      ...AUDIT_OPTIONS, db: { type: 'string' }, json: { type: 'string' }, concurrency: { type: 'string' }, resume: { type: 'boolean' },
      redis: { type: 'string' }, queue: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'allow-private': { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UserError('eindex run needs one targets file (eindex run --help)');
  const targetsFile = resolve(positionals[0]!);
  const targets = loadTargets(targetsFile).map((t) => (values['allow-private'] ? { ...t, private: true } : t));
  const options = auditOptionsFrom({ ...values, concurrency: undefined });
  const slots = positiveInt('--concurrency', values.concurrency, 2);
  const store = new Store(values.db ?? DEFAULT_DB);
  try {
    let runId: number;
    const previous = values.resume ? store.unfinishedRun(targetsFile) : undefined;
    if (values.resume && !previous) throw new UserError(`no unfinished run of ${targetsFile} to resume`);
    if (previous) {
      runId = previous.id;
      console.error(`resuming run ${runId}: ${store.doneTargets(runId).size} of ${targets.length} sites already stored`);
    } else {
      runId = createRun(store, values.redis ? 'bullmq' : 'in-process', targetsFile, targets, options);
    }
    let executor: Executor;
    if (values.redis) {
      const { BullExecutor } = await import('../queue/executor.js');
      executor = new BullExecutor({ redisUrl: values.redis, queue: values.queue, options });
    } else {
      executor = new InProcessExecutor(options, slots);
    }
    const interrupted = () => {
      store.finishRun(runId, 'interrupted');
      console.error(`\ninterrupted: run ${runId} can be finished with --resume`);
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    const started = Date.now();
    const summary = await runTargets({ store, runId, targets, executor, progress: runProgress(process.stderr, values.quiet) });
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    store.finishRun(runId, 'done');
    const minutes = (Date.now() - started) / 60_000;
    if (values.json) writeFileAtomic(values.json, `${JSON.stringify(runJson(store, runId), null, 2)}\n`);
    console.log(`run ${runId}: ${summary.total} sites (${summary.landed} audited now, ${summary.skipped} from before) in ${minutes.toFixed(1)} min, ${(summary.landed / Math.max(minutes, 1e-6)).toFixed(1)} sites/min`);
    printRun(store, runId);
    return 0;
  } finally {
    store.close();
  }
}

function printRun(store: Store, runId: number) {
  for (const s of store.sites(runId)) {
    const grade = s.status === 'ok' ? (s.grade ?? 'ungraded') : 'ERROR';
    const mobile = s.mobile_friendly === null ? '–' : s.mobile_friendly ? 'mobile-friendly' : 'not mobile-friendly';
    console.log(`  ${s.grp.padEnd(17)} ${s.institution_id.padEnd(24)} ${grade.padEnd(8)} a11y ${String(s.accessibility_score ?? '–').padStart(5)}  ${mobile}${s.error ? `  (${s.error})` : ''}`);
  }
}

export async function runsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, limit: { type: 'string' } } });
  const store = Store.existing(values.db ?? DEFAULT_DB);
  try {
    const runs = store.runs(positiveInt('--limit', values.limit, 50));
    if (!runs.length) console.log('no runs stored');
    for (const r of runs) console.log(`${String(r.id).padStart(5)}  ${r.started_at}  ${r.status.padEnd(11)} ${r.mode.padEnd(10)} ${r.ok ?? 0}/${r.sites} sites ok  ${r.targets_file}`);
    return 0;
  } finally {
    store.close();
  }
}

export async function showCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  const store = Store.existing(values.db ?? DEFAULT_DB);
  try {
    const which = positionals[0] ?? 'latest';
    const run = which === 'latest' ? store.latestRun() : store.run(Number(which));
    if (!run) throw new UserError(which === 'latest' ? 'no runs stored' : `no run ${JSON.stringify(which)}`);
    const id = positionals[1];
    if (id) {
      const result = store.siteResult(run.id, id);
      if (!result) throw new UserError(`run ${run.id} has no result for "${id}"`);
      console.log(values.json ? JSON.stringify(result, null, 2) : renderTerminal(result));
      return 0;
    }
    if (values.json) {
      console.log(JSON.stringify(runJson(store, run.id), null, 2));
      return 0;
    }
    console.log(`run ${run.id}: ${run.status}, started ${run.started_at}${run.finished_at ? `, finished ${run.finished_at}` : ''}, ${run.targets_file}, methodology ${run.methodology_version}`);
    printRun(store, run.id);
    return 0;
  } finally {
    store.close();
  }
}

export function parseAge(value: string): number {
  const m = /^(\d+)\s*(d|h|w)$/.exec(value.trim());
  if (!m) throw new UserError(`--keep takes an age like 90d, 12w or 48h, got ${JSON.stringify(value)}`);
  return Number(m[1]) * { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'h' | 'd' | 'w'];
}

export async function pruneCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, keep: { type: 'string' } } });
  if (!values.keep) throw new UserError('eindex prune needs --keep AGE (e.g. --keep 90d)');
  const before = new Date(Date.now() - parseAge(values.keep));
  const store = Store.existing(values.db ?? DEFAULT_DB);
  try {
    console.log(`pruned ${store.prune(before)} runs started before ${before.toISOString()}`);
    return 0;
  } finally {
    store.close();
  }
}
