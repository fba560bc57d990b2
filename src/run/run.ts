// A whole-registry run: every target audited once, each outcome stored as it lands. Where the audits
// happen is an Executor: in this process (p-queue over browser slots) or on BullMQ workers.
import { withoutSecrets } from '../audit/secrets.js';
import type { SiteOutcome, Store } from '../store/db.js';
import type { SiteResult } from '../schema/result.js';
import type { Target } from '../targets/targets.js';
import type { AuditOptions } from '../audit/options.js';
import { UserError, errorMessage } from '../util/errors.js';

export interface Executor {
  /** Audits the targets; calls `land` once per target as each finishes, in any order. */
  execute(runId: number, targets: Target[], land: (target: Target, outcome: SiteOutcome) => void): Promise<void>;
}

export interface RunProgress {
  landed(target: Target, outcome: SiteOutcome, done: number, total: number): void;
}

export interface RunSummary { runId: number; total: number; landed: number; skipped: number }

/** Records a new run of these targets; the methodology is stored by version, not copied into the options. */
export function createRun(store: Store, mode: string, targetsFile: string, targets: Target[], options: AuditOptions): number {
  // Secret values (headers, cookies, login) are not stored: their names are.
  return store.createRun({ mode, targetsFile, targets, options: { ...withoutSecrets(options), methodology: undefined }, methodologyVersion: options.methodology.version });
}

/**
 * The database could not take a result (disk full, read-only, I/O error). The run stops: what is stored
 * stays (each site is one transaction), and `--resume` finishes it once the database can be written.
 */
export class StoreWriteError extends UserError {}

export async function runTargets(o: { store: Store; runId: number; targets: Target[]; executor: Executor; progress?: RunProgress }): Promise<RunSummary> {
  const done = o.store.doneTargets(o.runId);
  const todo = o.targets.filter((t) => !done.has(t.id));
  let landed = 0;
  let failure: StoreWriteError | null = null;
  await o.executor.execute(o.runId, todo, (target, outcome) => {
    if (failure) throw failure;
    try {
      if (o.store.saveSite(o.runId, target, outcome)) landed++;
    } catch (err) {
      const code = (err as { code?: string }).code;
      failure = new StoreWriteError(`cannot store ${target.id} in ${o.store.path}: ${errorMessage(err)}${code ? ` (${code})` : ''}; `
        + `the ${done.size + landed} site(s) stored before are kept: when the database can be written again, finish run ${o.runId} with eindex run --resume`);
      throw failure;
    }
    o.progress?.landed(target, outcome, done.size + landed, o.targets.length);
  }).catch((err: unknown) => {
    throw failure ?? err;
  });
  if (failure) throw failure;
  return { runId: o.runId, total: o.targets.length, landed, skipped: done.size };
}

/** The site object of `eindex run --json`: the audit result plus who it is. */
export type RunSite = (SiteResult | Record<string, never>) & { id: string; name: string; group: string; url: string; status: 'ok' | 'error'; error?: string };

export function runJson(store: Store, runId: number): { runId: number; startedAt: string; finishedAt: string | null; status: string; sites: RunSite[] } {
  const run = store.run(runId)!;
  const sites = store.sites(runId).map((row): RunSite => {
    const result = store.siteResult(runId, row.institution_id);
    const who = { id: row.institution_id, name: row.name, group: row.grp, url: row.url, status: row.status };
    return result ? { ...result, ...who } : { ...who, error: row.error ?? 'unknown error' } as RunSite;
  });
  return { runId, startedAt: run.started_at, finishedAt: run.finished_at, status: run.status, sites };
}
