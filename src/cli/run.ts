// `eindex run`, `eindex runs`, `eindex show`, `eindex prune`.
import { resolve } from 'node:path';
import { renderTerminal } from '../report/terminal.js';
import { createRun, runJson, runTargets, type Executor } from '../run/run.js';
import { InProcessExecutor } from '../run/in-process.js';
import { DEFAULT_DB, Store } from '../store/db.js';
import { loadTargets } from '../targets/targets.js';
import { UserError } from '../util/errors.js';
import { AXE_VERSION } from '../gather/axe.js';
import { renderJunit } from '../report/junit.js';
import { renderSarif } from '../report/sarif.js';
import type { AuditOptions } from '../audit/options.js';
import type { SiteResult } from '../schema/result.js';
import { TOOL_VERSION } from '../version.js';
import { outputs } from './output.js';
import { auditOptionsFrom } from '../audit/option-defs.js';
import type { ValuesOf } from '../util/option-def.js';
import type { PRUNE_COMMAND_OPTIONS, RUN_COMMAND_OPTIONS, RUNS_COMMAND_OPTIONS, SHOW_COMMAND_OPTIONS } from './command-options.js';
import { belowGrade, grade, positiveInt } from './args.js';
import { wholeNumber } from '../audit/option-defs.js';
import type { Grade } from '../schema/result.js';
import { runProgress } from './progress.js';

export async function runCommand(values: ValuesOf<typeof RUN_COMMAND_OPTIONS>, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UserError('eindex run needs one targets file (eindex run --help)');
  const targetsFile = resolve(positionals[0]!);
  const targets = loadTargets(targetsFile).map((t) => (values['allow-private'] ? { ...t, private: true } : t));
  const options = refuseIgnoredRules(auditOptionsFrom({ ...values, concurrency: undefined }));
  const out = outputs({ json: values.json, junit: values.junit, sarif: values.sarif });
  const log = out.usesStdout ? console.error : console.log;
  const slots = positiveInt('--concurrency', values.concurrency, 2);
  const failUnder = grade('--fail-under', values['fail-under']);
  const maxFailed = values['max-failed'] === undefined ? undefined : wholeNumber('--max-failed', values['max-failed'], 0);
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
    const interrupted = (by: 'SIGINT' | 'SIGTERM') => () => {
      store.finishRun(runId, 'interrupted');
      console.error(`\neindex: stopped by ${by}: run ${runId} can be finished with --resume`);
      process.exit(by === 'SIGINT' ? 130 : 143);
    };
    const onInt = interrupted('SIGINT');
    const onTerm = interrupted('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    const started = Date.now();
    const summary = await runTargets({ store, runId, targets, executor, progress: runProgress(process.stderr, values.quiet) });
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    store.finishRun(runId, 'done');
    const minutes = (Date.now() - started) / 60_000;
    const run = runJson(store, runId);
    const audited = run.sites.flatMap((s) => ('schemaVersion' in s ? [{ name: s.id, result: s as SiteResult }] : []));
    out.write('json', () => `${JSON.stringify(run, null, 2)}\n`);
    out.write('junit', () => renderJunit(audited));
    out.write('sarif', () => renderSarif(audited, { version: TOOL_VERSION, axeCore: AXE_VERSION }));
    const sites = store.sites(runId);
    const ok = sites.filter((s) => s.status === 'ok');
    const failed = sites.length - ok.length;
    // A throughput only for sites really audited: a night of refusals is not "60000 sites/min".
    const rate = summary.landed && ok.length ? `, ${(summary.landed / Math.max(minutes, 1e-6)).toFixed(1)} sites/min` : '';
    log(`run ${runId}: ${summary.total} sites (${summary.landed} audited now, ${summary.skipped} from before; ${ok.length} ok, ${failed} failed) in ${minutes.toFixed(1)} min${rate}`);
    printRun(store, runId, log);
    return runVerdict(sites, failUnder, maxFailed);
  } finally {
    store.close();
  }
}

/**
 * The exit code a nightly job can trust: 4 when no site could be audited at all, 1 when a site is graded
 * below --fail-under or more sites failed than --max-failed allows (one line each says which), else 0.
 */
export function runVerdict(sites: { institution_id: string; status: string; grade: string | null; error: string | null }[], failUnder: Grade | undefined, maxFailed: number | undefined): number {
  const ok = sites.filter((s) => s.status === 'ok');
  if (sites.length && !ok.length) {
    console.error(`eindex: no site could be audited (${sites.length} failed; first: ${sites[0]!.institution_id}: ${sites[0]!.error ?? 'error'})`);
    return 4;
  }
  let code = 0;
  const failed = sites.length - ok.length;
  if (maxFailed !== undefined && failed > maxFailed) {
    console.error(`eindex: --max-failed ${maxFailed}: ${failed} sites could not be audited`);
    code = 1;
  }
  const below = failUnder ? ok.filter((s) => belowGrade(s.grade as Grade | null, failUnder)) : [];
  if (below.length) {
    console.error(`eindex: --fail-under ${failUnder}: ${below.length} site(s) below it: ${below.slice(0, 5).map((s) => `${s.institution_id} (${s.grade ?? 'no grade'})`).join(', ')}${below.length > 5 ? ', …' : ''}`);
    code = 1;
  }
  return code;
}

/**
 * Registry runs grade institutions against each other: a rule ignored for one would make its grade
 * incomparable, so `ignoreRules` (a webmaster's tool for their own CI) is refused here.
 */
export function refuseIgnoredRules(options: AuditOptions): AuditOptions {
  if (!options.ignoreRules.length) return options;
  throw new UserError(`registry runs do not ignore axe-core rules (${options.ignoreRules.join(', ')} in the config file): every institution is graded on the same rules; --exclude and --exclude-url are allowed`);
}

function printRun(store: Store, runId: number, log: (line: string) => void = console.log) {
  for (const s of store.sites(runId)) {
    const grade = s.status === 'ok' ? (s.grade ?? 'ungraded') : 'ERROR';
    const mobile = s.mobile_friendly === null ? '–' : s.mobile_friendly ? 'mobile-friendly' : 'not mobile-friendly';
    log(`  ${s.grp.padEnd(17)} ${s.institution_id.padEnd(24)} ${grade.padEnd(8)} a11y ${String(s.accessibility_score ?? '–').padStart(5)}  ${mobile}${s.error ? `  (${s.error})` : ''}`);
  }
}

export async function runsCommand(values: ValuesOf<typeof RUNS_COMMAND_OPTIONS>): Promise<number> {

  const store = Store.existing(values.db ?? DEFAULT_DB);
  try {
    const runs = store.runs(positiveInt('--limit', values.limit, 50));
    if (!runs.length) console.log('no runs stored');
    else console.log(`${'RUN'.padStart(5)}  ${'STARTED'.padEnd(24)}  ${'STATUS'.padEnd(11)} ${'MODE'.padEnd(17)} ${'SITES OK'.padStart(9)}  TARGETS`);
    for (const r of runs) console.log(`${String(r.id).padStart(5)}  ${r.started_at.padEnd(24)}  ${r.status.padEnd(11)} ${r.mode.padEnd(17)} ${`${r.ok ?? 0}/${r.sites}`.padStart(9)}  ${r.targets_file}`);
    return 0;
  } finally {
    store.close();
  }
}

export async function showCommand(values: ValuesOf<typeof SHOW_COMMAND_OPTIONS>, positionals: string[]): Promise<number> {
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

export async function pruneCommand(values: ValuesOf<typeof PRUNE_COMMAND_OPTIONS>): Promise<number> {
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
