// `eindex report` and `eindex index`: compliance reports and the e-index from stored runs.
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ValuesOf } from '../util/option-def.js';
import type { INDEX_COMMAND_OPTIONS, REPORT_COMMAND_OPTIONS } from './command-options.js';
import { computeIndex, type IndexResult } from '../index/compute.js';
import { DEFAULT_INDEX_METHODOLOGY, loadIndexMethodology } from '../index/methodology.js';
import { loadSurvey, surveyTemplateRows } from '../index/survey.js';
import { loadTargets } from '../targets/targets.js';
import { PROJECT_ROOT } from '../version.js';
import { CSV_LOCALES, renderInstitutionsCsv, renderViolationsCsv, toCsv } from '../report/csv.js';
import { formatIndex, GROUP_LABELS, langOption, t, type Lang } from '../report/i18n.js';
import { loadReportInput, resolveRun, runSites } from '../report/load.js';
import { buildReport } from '../report/model.js';
import { renderReportHtml } from '../report/report-html.js';
import REFERENCE_2019 from '../report/data/reference-2019.json' with { type: 'json' };
import type { RunRow } from '../store/db.js';
import { DEFAULT_DB, Store } from '../store/db.js';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';

function indexFor(store: Store, run: RunRow, surveyFile: string, methodologyFile: string | undefined): IndexResult {
  const m = methodologyFile ? loadIndexMethodology(methodologyFile) : DEFAULT_INDEX_METHODOLOGY;
  const survey = loadSurvey(surveyFile, m);
  const institutions = runSites(store, run).map((s) => ({
    id: s.id, name: s.name, group: s.group,
    measured: s.result ? { accessibilityScore: s.result.accessibilityScore, mobileScore: s.result.mobileScore } : null,
  }));
  return computeIndex({ institutions, survey, surveyFile, run: { id: run.id, startedAt: run.started_at } }, m);
}

function readIndexFile(path: string): IndexResult {
  try {
    const x = JSON.parse(readFileSync(path, 'utf8')) as IndexResult;
    if (typeof x.indexVersion !== 'number' || !Array.isArray(x.institutions) || !Array.isArray(x.groupMeans)) throw new Error('not the output of eindex index --json');
    return x;
  } catch (err) {
    throw new UserError(`cannot use --index ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]}`);
  }
}

export async function reportCommand(values: ValuesOf<typeof REPORT_COMMAND_OPTIONS>): Promise<number> {
  const format = (values.format ?? (values.out ? extname(values.out).slice(1) : '') ?? '').toLowerCase() || 'html';
  if (!['html', 'pdf', 'csv', 'json'].includes(format)) throw new UserError(`--format must be html, pdf, csv or json, got ${JSON.stringify(values.format ?? format)}`);
  if (format === 'pdf' && !values.out) throw new UserError('a PDF report needs --out FILE');
  if (values.index && values.survey) throw new UserError('give --index or --survey, not both');
  const l = langOption(values.lang);
  const store = Store.existing(values.db ?? DEFAULT_DB);
  try {
    const run = resolveRun(store, values.run);
    const input = loadReportInput(store, run);
    const index = values.index ? readIndexFile(values.index) : values.survey ? indexFor(store, run, values.survey, values.methodology) : null;
    const report = buildReport({ ...input, index });
    if (values.institution) {
      report.institutions = report.institutions.filter((i) => i.id === values.institution);
      if (!report.institutions.length) throw new UserError(`run ${run.id} has no institution "${values.institution}"`);
    }
    let content: string | Buffer;
    if (format === 'json') content = `${JSON.stringify(report, null, 2)}\n`;
    else if (format === 'csv') content = values.detail ? renderViolationsCsv(report, new Map(input.sites.map((s) => [s.id, s.result])), l) : renderInstitutionsCsv(report, l);
    else {
      const html = renderReportHtml(report, l);
      if (format === 'html') content = html;
      else {
        const { renderPdf } = await import('../report/pdf.js');
        content = await renderPdf(html, l, `${t(l, 'reportTitle')} — ${t(l, 'run')} ${run.id}`);
      }
    }
    if (values.out) {
      writeFileAtomic(values.out, content);
      console.error(`wrote ${values.out} (${format}, ${l}, run ${run.id}, ${report.institutions.length} institution(s))`);
    } else process.stdout.write(content);
    return 0;
  } finally {
    store.close();
  }
}

export async function indexCommand(values: ValuesOf<typeof INDEX_COMMAND_OPTIONS>): Promise<number> {
  if (values['survey-template']) {
    if (values.survey) throw new UserError('give --survey-template or --survey, not both');
    const m = values.methodology ? loadIndexMethodology(values.methodology) : DEFAULT_INDEX_METHODOLOGY;
    const targets = loadTargets(values.targets ?? join(PROJECT_ROOT, 'targets', 'latvia.yaml'));
    const groups = Object.fromEntries(Object.entries(GROUP_LABELS).map(([g, l]) => [g, l.lv]));
    const rows = surveyTemplateRows(targets, m, groups);
    writeFileAtomic(values['survey-template'], toCsv(rows, CSV_LOCALES.lv));
    console.error(`wrote ${values['survey-template']}: ${targets.length} institutions × ${rows[0]!.length - 3} surveyed sub-criteria (methodology ${m.version})`);
    return 0;
  }
  if (!values.survey) throw new UserError('eindex index needs --survey FILE (eindex index --help)');
  const store = Store.existing(values.db ?? DEFAULT_DB);
  try {
    const run = resolveRun(store, values.run);
    const x = indexFor(store, run, values.survey, values.methodology);
    if (values.json) writeFileAtomic(values.json, `${JSON.stringify(x, null, 2)}\n`);
    const num = (v: number | null) => formatIndex('en', v);
    console.log(`e-index of run ${run.id}, methodology ${x.methodology.version}: ${x.institutions.length} institutions, ${x.institutions.filter((i) => i.complete).length} complete`);
    for (const g of x.groupMeans) {
      const then = g.group === 'institutions' || g.group === 'municipalities' ? `  (2019: ${num(REFERENCE_2019.eIndex[g.group] * 100)})` : '';
      if (g.institutions) console.log(`  ${GROUP_LABELS[g.group].en.padEnd(50)} ${num(g.eIndex).padStart(7)}  (${g.complete}/${g.institutions} complete)${then}`);
    }
    for (const [group, list] of Object.entries(x.rankings)) {
      if (list.length) console.log(`  best ${GROUP_LABELS[group as keyof typeof GROUP_LABELS].en}: ${list.slice(0, 3).map((r) => `${r.rank}. ${r.name} ${num(r.value)}`).join(', ')}`);
    }
    const incomplete = x.institutions.filter((i) => !i.complete);
    if (incomplete.length) console.log(`  incomplete (not ranked): ${incomplete.slice(0, 10).map((i) => `${i.id} (${i.missing.length} missing)`).join(', ')}${incomplete.length > 10 ? ', …' : ''}`);
    if (x.survey.unknownIds.length) console.error(`eindex: survey rows not in run ${run.id} (ignored): ${x.survey.unknownIds.join(', ')}`);
    if (values.json) console.error(`wrote ${values.json}`);
    return 0;
  } finally {
    store.close();
  }
}
