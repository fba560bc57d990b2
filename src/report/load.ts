// Reads what a report needs from the store: the run, its sites (every target of the run, stored or not)
// and the previous run to compare with.
import type { Store, RunRow } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import { UserError } from '../util/errors.js';
import type { ReportInput, ReportRun, ReportSite } from './model.js';

export function resolveRun(store: Store, ref: string | undefined): RunRow {
  if (ref === undefined || ref === 'latest') {
    const run = store.latestRun();
    if (!run) throw new UserError(`no runs in ${store.path} yet (eindex run <targets.yaml> makes one)`);
    return run;
  }
  if (!/^\d+$/.test(ref)) throw new UserError(`--run must be a run number or "latest", got ${JSON.stringify(ref)}`);
  const run = store.run(Number(ref));
  if (!run) throw new UserError(`no run ${ref} in ${store.path} (eindex runs lists them)`);
  return run;
}

export const reportRun = (r: RunRow): ReportRun => ({ id: r.id, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, methodologyVersion: r.methodology_version });

/** The run's sites with their stored results; `only`: one institution's, without reading the others'. */
export function runSites(store: Store, run: RunRow, only?: string): ReportSite[] {
  const rows = new Map(store.sites(run.id).map((s) => [s.institution_id, s]));
  const targets = (JSON.parse(run.targets_json) as Target[]).filter((t) => !only || t.id === only);
  return targets.map((t): ReportSite => {
    const row = rows.get(t.id);
    if (!row) {
      const why = run.status === 'running' ? `not audited yet: run ${run.id} is still going` : `not audited: run ${run.id} ended before this site`;
      return { id: t.id, name: t.name, group: t.group, url: t.url, status: 'error', error: why, result: null };
    }
    return { id: t.id, name: t.name, group: t.group, url: t.url, status: row.status, error: row.error, result: row.status === 'ok' ? store.siteResult(run.id, t.id) : null };
  });
}

export function loadReportInput(store: Store, run: RunRow): ReportInput {
  const prev = store.previousRun(run.id);
  return {
    run: reportRun(run),
    sites: runSites(store, run),
    previous: prev ? { run: reportRun(prev), sites: runSites(store, prev) } : null,
  };
}
