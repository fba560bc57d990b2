// `npm run bench -- soak`: a long night, measured. Multi-page local sites, full audit, through BullMQ
// workers (each its own process, browsers recycled on their page budget); every worker's memory (node and
// its Chromium, PSS of the process tree) sampled against the pages done. Writes reports/bench/soak-<time>.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { positiveInt } from '../audit/option-defs.js';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';
import { serveStatic } from '../util/static-server.js';
import { PROJECT_ROOT } from '../version.js';
import { generateSite } from './corpus.js';
import { treeRssMb } from './proc.js';

export interface SoakValues { 'soak-pages'?: string; workers?: string; 'site-pages'?: string; redis?: string; out?: string }

interface Sample { seconds: number; pages: number; workersMb: number[] }

const say = (m: string) => process.stderr.write(`soak: ${m}\n`);
const EINDEX = join(PROJECT_ROOT, 'bin', 'eindex.js');
const SAMPLE_MS = 2000;

export async function soak(values: SoakValues, cpuSeconds: () => number): Promise<number> {
  const total = positiveInt('--soak-pages', values['soak-pages'], 1000);
  const workers = positiveInt('--workers', values.workers, 2);
  const sitePages = positiveInt('--site-pages', values['site-pages'], 20);
  const redis = values.redis ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const work = mkdtempSync(join(tmpdir(), 'eindex-soak-'));
  const siteCount = Math.ceil(total / sitePages);
  const sites = [];
  for (let s = 0; s < siteCount; s++) {
    const dir = join(work, `site-${s}`);
    generateSite(dir, 1000 + s, sitePages);
    sites.push(await serveStatic(dir));
  }
  const registry = join(work, 'soak.yaml');
  writeFileSync(registry, `targets:\n${sites.map((s, i) => `  - { id: soak-${i}, name: "Soak ${i}", group: municipality, url: "${s.url}", maxPages: ${sitePages}, private: true }`).join('\n')}\n`);
  const queue = `eindex-soak-${process.pid}`;
  const db = join(work, 'soak.sqlite');
  const procs: ChildProcess[] = [];
  say(`${siteCount} sites of ${sitePages} pages (${siteCount * sitePages} pages), full audit, through ${workers} BullMQ workers on ${redis}`);
  try {
    for (let i = 0; i < workers; i++) procs.push(spawn(process.execPath, [EINDEX, 'worker', '--redis', redis, '--queue', queue, '--no-checks', '--allow-private'], { stdio: ['ignore', 'ignore', 'inherit'] }));
    const cpu0 = cpuSeconds();
    const t0 = Date.now();
    const run = spawn(process.execPath, [EINDEX, 'run', registry, '--redis', redis, '--queue', queue, '--db', db, '--quiet', '--json', join(work, 'soak.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const ended = new Promise<number | null>((resolve) => run.once('exit', resolve));
    const samples: Sample[] = [];
    let done = false;
    void ended.then(() => (done = true));
    while (!done) {
      samples.push({ seconds: Math.round((Date.now() - t0) / 1000), pages: pagesDone(db), workersMb: procs.map((p) => treeRssMb(p.pid!)) });
      await Promise.race([ended, new Promise((r) => setTimeout(r, SAMPLE_MS))]);
    }
    const code = await ended;
    if (code !== 0 && code !== 1) throw new UserError(`the soak's eindex run ended with exit ${code}`, 1);
    const seconds = (Date.now() - t0) / 1000;
    const run0 = JSON.parse(readFileSync(join(work, 'soak.json'), 'utf8')) as { sites: { pages?: { status: string }[] }[] };
    const pages = run0.sites.reduce((n, s) => n + (s.pages?.length ?? 0), 0);
    const report = soakReport(samples, { pages, seconds, cpuSecondsPerPage: (cpuSeconds() - cpu0) / pages, workers, sites: siteCount });
    const file = join(values.out ?? join(PROJECT_ROOT, 'reports', 'bench'), `soak-${report.at.replace(/[:.]/g, '-')}.json`);
    writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`${soakTable(report)}\nwritten to ${file}`);
    return report.withinTwentyPercent ? 0 : 1;
  } finally {
    await Promise.all(procs.map((p) => stop(p)));
    await dropQueue(redis, queue);
    await Promise.all(sites.map((s) => s.close()));
    rmSync(work, { recursive: true, force: true });
  }
}

/** Pages stored so far (0 before the run has made its database). */
function pagesDone(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT COALESCE(SUM(pages_ok + pages_error), 0) AS n FROM site_results').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

/** The soak's queue is its own: left empty in Redis, not lying about. */
async function dropQueue(redis: string, name: string) {
  const { Queue } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const connection = new Redis(redis, { maxRetriesPerRequest: null, lazyConnect: true });
  const queue = new Queue(name, { connection });
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  connection.disconnect();
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
  await gone;
  clearTimeout(timer);
}

/** The memory curve of each worker: at start, after 100 pages, its peak, at the end; the end within 20 %. */
export function soakReport(samples: Sample[], run: { pages: number; seconds: number; cpuSecondsPerPage: number; workers: number; sites: number }) {
  // From the first site stored on: by then every worker is under way with its browser (before, a worker is
  // a node process that has not yet loaded anything).
  const busy = samples.filter((s) => s.pages > 0 && s.workersMb.every((mb) => mb > 0));
  if (!busy.length) throw new UserError('the soak stored no site while it was sampled: too few pages to measure', 1);
  const after100 = busy.find((s) => s.pages >= 100) ?? busy[busy.length - 1]!;
  const end = busy[busy.length - 1]!;
  const workers = Array.from({ length: run.workers }, (_, w) => {
    const at = (s: Sample) => s.workersMb[w]!;
    return { startMb: at(busy[0]!), after100Mb: at(after100), peakMb: Math.max(...busy.map(at)), endMb: at(end), endOverAfter100: Math.round((at(end) / at(after100)) * 100) / 100 };
  });
  // The curve, thinned to about 40 points: pages done and each worker's MB.
  const step = Math.max(1, Math.floor(busy.length / 40));
  return {
    at: new Date().toISOString(),
    run: { ...run, pagesPerMinute: Math.round((run.pages * 60 * 10) / run.seconds) / 10, cpuSecondsPerPage: Math.round(run.cpuSecondsPerPage * 100) / 100 },
    workers,
    withinTwentyPercent: workers.every((w) => w.endMb <= w.after100Mb * 1.2),
    curve: busy.filter((_, i) => i % step === 0 || i === busy.length - 1).map((s) => ({ seconds: s.seconds, pages: s.pages, mb: s.workersMb })),
  };
}

function soakTable(r: ReturnType<typeof soakReport>): string {
  return [
    `soak: ${r.run.pages} pages on ${r.run.sites} sites in ${Math.round(r.run.seconds)} s (${r.run.pagesPerMinute} pages/min, ${r.run.cpuSecondsPerPage} CPU-s/page) through ${r.run.workers} workers`,
    ...r.workers.map((w, i) => `worker ${i + 1}: start ${w.startMb} MB, after 100 pages ${w.after100Mb} MB, peak ${w.peakMb} MB, end ${w.endMb} MB (${w.endOverAfter100}x after 100)`),
    `end within 20 % of after 100 pages: ${r.withinTwentyPercent ? 'met' : 'NOT met'}`,
  ].join('\n');
}
