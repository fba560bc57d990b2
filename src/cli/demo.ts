// `eindex demo`: serves the bundled demo sites on 127.0.0.1 (the ports of targets/demo.yaml) and runs
// the demo registry through the same path as a nightly run: audit, store in SQLite, report.
import { join } from 'node:path';
import type { ValuesOf } from '../util/option-def.js';
import type { DEMO_COMMAND_OPTIONS } from './command-options.js';
import { defaultAuditOptions } from '../audit/options.js';
import { renderSiteHtml } from '../report/report-html.js';
import { loadReportInput } from '../report/load.js';
import { buildReport } from '../report/model.js';
import { renderReportHtml } from '../report/report-html.js';
import { renderTerminal } from '../report/terminal.js';
import { InProcessExecutor } from '../run/in-process.js';
import { createRun, runJson, runTargets } from '../run/run.js';
import { Store } from '../store/db.js';
import { loadTargets } from '../targets/targets.js';
import { serveStatic, type StaticSite } from '../util/static-server.js';
import { writeFileAtomic } from '../util/files.js';
import { PROJECT_ROOT } from '../version.js';
import { runProgress } from './progress.js';
import { UserError } from '../util/errors.js';

export const DEMO_SITES = ['accessible', 'inaccessible', 'fixed-width', 'no-viewport'];

/**
 * Serves the demo sites on consecutive ports from EINDEX_DEMO_PORT (default 8731, as targets/demo.yaml
 * says). When one of the default ports is taken, the sites are served on free ports instead (the run
 * takes the addresses they got); ports asked for with EINDEX_DEMO_PORT are used or refused.
 */
export async function serveDemoSites(base = Number(process.env.EINDEX_DEMO_PORT ?? 8731), onFallback?: (line: string) => void): Promise<StaticSite[]> {
  const serveAll = async (port: (i: number) => number) => {
    const served = await Promise.allSettled(DEMO_SITES.map((name, i) => serveStatic(join(PROJECT_ROOT, 'test', 'fixtures', 'sites', name), port(i))));
    const failed = served.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failed) return served.map((r) => (r as PromiseFulfilledResult<StaticSite>).value);
    await Promise.all(served.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
    throw failed.reason;
  };
  try {
    return await serveAll((i) => base + i);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const range = `${base}–${base + DEMO_SITES.length - 1}`;
    if (process.env.EINDEX_DEMO_PORT || code !== 'EADDRINUSE') throw new UserError(`cannot serve the demo sites on ports ${range} (${code}); set EINDEX_DEMO_PORT to free ports`);
    onFallback?.(`ports ${range} are taken: serving the demo sites on free ports`);
    return serveAll(() => 0);
  }
}

export async function demoCommand(values: ValuesOf<typeof DEMO_COMMAND_OPTIONS>): Promise<number> {
  const sites = await serveDemoSites(undefined, (line) => console.error(`eindex demo: ${line}`));
  if (values.serve) {
    console.log(`demo sites served at ${sites.map((s) => s.url).join(' ')} (Ctrl-C stops)`);
    await new Promise((resolve) => process.once('SIGINT', resolve));
    await Promise.all(sites.map((s) => s.close()));
    return 0;
  }
  const outDir = values.out ?? join(PROJECT_ROOT, 'reports', 'demo');
  const targetsFile = join(PROJECT_ROOT, 'targets', 'demo.yaml');
  const targets = loadTargets(targetsFile).map((t, i) => ({ ...t, url: sites[i]?.url ?? t.url }));
  const options = defaultAuditOptions({ lighthouse: !values['no-lighthouse'] });
  const store = new Store(join(outDir, 'eindex.sqlite'));
  try {
    const runId = createRun(store, 'in-process', targetsFile, targets, options);
    await runTargets({ store, runId, targets, executor: new InProcessExecutor(options, 2), progress: runProgress() });
    store.finishRun(runId, 'done');
    const run = runJson(store, runId);
    writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
    for (const site of run.sites) {
      const result = store.siteResult(runId, site.id);
      console.log(`\n== ${site.name} (${site.group}, ${site.url})`);
      if (!result) {
        console.log(`  error: ${site.error}`);
        continue;
      }
      console.log(renderTerminal(result, { maxProblems: 3 }));
      writeFileAtomic(join(outDir, `${site.id}.html`), renderSiteHtml(result, 'en'));
    }
    // The evaluators' report of the whole run, as a nightly run would hand it on.
    const report = buildReport(loadReportInput(store, store.run(runId)!));
    for (const lang of ['lv', 'en'] as const) writeFileAtomic(join(outDir, `report.${lang}.html`), renderReportHtml(report, lang));
    console.log(`\nRun ${runId} stored in ${join(outDir, 'eindex.sqlite')}; reports in ${outDir}/: report.lv.html and report.en.html for the`);
    console.log(`whole run, one .html per site (open them in a browser). A PDF: eindex report --db ${join(outDir, 'eindex.sqlite')} --lang lv --out report.pdf`);
    return 0;
  } finally {
    store.close();
    await Promise.all(sites.map((s) => s.close()));
  }
}
