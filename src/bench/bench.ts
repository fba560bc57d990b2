// `npm run bench`: eindex's throughput against the naive way (the lighthouse CLI plus axe-core in a fresh
// browser, per page), with CPU, memory and a long run for leaks. Writes reports/bench/<time>.json.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { defaultAuditOptions, type AuditOptions } from '../audit/options.js';
import { scanSite } from '../audit/site.js';
import { CHROMIUM_ARGS, findChromium } from '../gather/browser.js';
import { BrowserSession } from '../gather/session.js';
import type { SiteResult } from '../schema/result.js';
import { serveStatic, type StaticSite } from '../util/static-server.js';
import { writeFileAtomic } from '../util/files.js';
import { PROJECT_ROOT } from '../version.js';
import { positiveInt } from '../audit/option-defs.js';
import { generateSite } from './corpus.js';
import { cpuCgroup, memorySampler, treeCpuSeconds as procTreeCpuSeconds, treeRssMb } from './proc.js';

const require = createRequire(import.meta.url);
interface SiteUrls { site: StaticSite; urls: string[] }
interface Phase { pages: number; seconds: number; pagesPerMinute: number; cpuSecondsPerPage: number; peakMemoryMb: number }

export async function corpus(work: string): Promise<SiteUrls[]> {
  const out: SiteUrls[] = [];
  for (let s = 0; s < 5; s++) {
    const dir = join(work, `site-${s}`);
    const paths = generateSite(dir, s, 10);
    const site = await serveStatic(dir);
    out.push({ site, urls: paths.map((p) => site.url + p) });
  }
  const shared = [process.env.EINDEX_CORPUS, join(PROJECT_ROOT, '..', 'shared', 'corpus')].find((p) => p && existsSync(p));
  if (shared) {
    const blog = await serveStatic(join(shared, 'clean-blog'));
    out.push({ site: blog, urls: ['index.html', 'about.html', 'post.html', 'contact.html'].map((p) => blog.url + p) });
    const bad = await serveStatic(join(shared, 'bad'));
    out.push({ site: bad, urls: ['before/template.html', 'after/template.html'].map((p) => bad.url + p) });
    const zen = await serveStatic(join(shared, 'zen-garden'));
    const designs = readdirSync(join(shared, 'zen-garden')).filter((d) => /^\d{3}$/.test(d)).sort().slice(0, 20);
    out.push({ site: zen, urls: designs.map((d) => `${zen.url}${d}/`) });
  }
  return out;
}

/** Audits the sites as `eindex run` does: `slots` sites at once, one browser per slot. */
async function phase(sites: SiteUrls[], options: AuditOptions, slots: number): Promise<{ phase: Phase; results: SiteResult[] }> {
  const sessions = Array.from({ length: slots }, () => new BrowserSession(options.lighthouse));
  const mem = memorySampler();
  const cpu0 = treeCpuSeconds();
  const t0 = Date.now();
  const results: SiteResult[] = [];
  const queue = [...sites];
  try {
    await Promise.all(sessions.map(async (session) => {
      for (let s = queue.shift(); s; s = queue.shift()) results.push(await scanSite(s.urls.map((u) => new URL(u)), options, session));
    }));
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
  const seconds = (Date.now() - t0) / 1000;
  const pages = results.reduce((n, r) => n + r.pages.length, 0);
  return {
    results,
    phase: { pages, seconds: round(seconds), pagesPerMinute: round((pages * 60) / seconds), cpuSecondsPerPage: round((treeCpuSeconds() - cpu0) / pages), peakMemoryMb: mem.stop() },
  };
}

/** The naive way, per page: the lighthouse CLI (its own fresh Chrome), then axe-core in a fresh browser. */
async function naive(url: string, tags: string[], emulation: AuditOptions['methodology']['mobile']['device']) {
  const out = join(mkdtempSync(join(tmpdir(), 'eindex-naive-')), 'lh.json');
  const cli = join(PROJECT_ROOT, 'node_modules', 'lighthouse', 'cli', 'index.js');
  await new Promise<void>((resolve, reject) => execFile(process.execPath, [cli, url, '--only-categories=accessibility', '--output=json', `--output-path=${out}`, '--quiet',
    `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`], { env: { ...process.env, CHROME_PATH: findChromium() }, timeout: 180_000 }, (err) => (err ? reject(err) : resolve())));
  const lighthouse = Math.round(JSON.parse(readFileSync(out, 'utf8')).categories.accessibility.score * 100);
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: emulation.width, height: emulation.height }, deviceScaleFactor: emulation.deviceScaleFactor, isMobile: emulation.isMobile, hasTouch: emulation.hasTouch });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    for (const frame of page.frames()) await frame.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async (values) => {
      const r = await (window as any).axe.run(document, { runOnly: { type: 'tag', values } });
      return r.violations.map((v: any) => `${v.id}:${v.nodes.length}`).sort() as string[];
    }, tags);
    return { lighthouse, violations };
  } finally {
    await browser.close();
  }
}

/** The bench's settings, as `eindex bench` takes them (strings from the command line). */
/** One-page sites: what a home-page-only registry (the GSA style of national scanning) looks like. */
async function onePageSites(work: string, n: number): Promise<SiteUrls[]> {
  const out: SiteUrls[] = [];
  for (let s = 0; s < n; s++) {
    const dir = join(work, `one-page-${s}`);
    generateSite(dir, 100 + s, 1);
    const site = await serveStatic(dir);
    out.push({ site, urls: [site.url] });
  }
  return out;
}

/**
 * A registry of sites through `eindex run` itself, in a process of its own (counted with everything it
 * starts): discovery, browser contexts, storing, all the per-site costs a registry run pays.
 */
async function registryPhase(sites: SiteUrls[], work: string, lighthouse: boolean): Promise<{ phase: Phase; results: SiteResult[] }> {
  const name = `registry-${lighthouse ? 'full' : 'axe'}`;
  const registry = join(work, `${name}.yaml`);
  writeFileSync(registry, `targets:\n${sites.map((s, i) => `  - { id: bench-${i}, name: "Bench ${i}", group: municipality, url: "${s.site.url}", private: true }`).join('\n')}\n`);
  const json = join(work, `${name}.json`);
  const mem = memorySampler();
  const cpu0 = treeCpuSeconds();
  const t0 = Date.now();
  const args = [join(PROJECT_ROOT, 'bin', 'eindex.js'), 'run', registry, '--db', join(work, `${name}.sqlite`), '--quiet', '--json', json, ...(lighthouse ? [] : ['--no-lighthouse'])];
  const code = await new Promise<number | null>((resolve) => spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] }).once('exit', resolve));
  const seconds = (Date.now() - t0) / 1000;
  const cpu = treeCpuSeconds() - cpu0;
  const peakMemoryMb = mem.stop();
  if (code !== 0 && code !== 1) throw new Error(`eindex run of the bench registry ended with exit ${code}`);
  const run = JSON.parse(readFileSync(json, 'utf8')) as { sites: (SiteResult | { error: string })[] };
  const results = run.sites.filter((s): s is SiteResult => 'pages' in s);
  const pages = results.reduce((n, r) => n + r.pages.length, 0);
  if (results.length !== sites.length) throw new Error(`the bench registry run audited ${results.length} of ${sites.length} sites`);
  return { results, phase: { pages, seconds: round(seconds), pagesPerMinute: round((pages * 60) / seconds), cpuSecondsPerPage: round(cpu / pages), peakMemoryMb } };
}

/** Real component libraries' pages (GOV.UK Frontend, USWDS: large DOMs, real JavaScript), as one site. */
async function heavySite(rounds: number): Promise<{ site: SiteUrls; dirs: string[] }> {
  // Built from devDependencies: the bench runs from a development checkout.
  const { buildGovukSite, buildUswdsSite, GOVUK_PAGES, USWDS_PAGES } = await import('./design-systems.js');
  const dirs = [buildGovukSite(), buildUswdsSite()];
  cpSync(dirs[1]!, dirs[0]!, { recursive: true }); // their files do not overlap: one site of both
  const site = await serveStatic(dirs[0]!);
  const paths = [...GOVUK_PAGES.map((p) => site.url + p.path), ...USWDS_PAGES.map((p) => `${site.url}${p.split('/')[0]}/`)];
  // Each round a distinct URL, as a site's pages are: the page is loaded and audited again, its assets cached.
  const urls = Array.from({ length: rounds }, (_, r) => paths.map((u) => (r ? `${u}?r=${r}` : u))).flat();
  return { site: { site, urls }, dirs };
}

export interface BenchValues { sites?: string; concurrency?: string; 'naive-pages'?: string; 'registry-sites'?: string; 'long-pages'?: string; out?: string; 'no-screenshots'?: boolean }

/** The bench's CPU counter: its cgroup where it can make one, else /proc's process tree (an undercount). */
let cgroup: ReturnType<typeof cpuCgroup> = null;
const treeCpuSeconds = () => cgroup?.cpuSeconds() ?? procTreeCpuSeconds();

export async function benchCommand(values: BenchValues): Promise<number> {
  cgroup = cpuCgroup();
  try {
    return await bench(values);
  } finally {
    cgroup?.close();
    cgroup = null;
  }
}

const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

interface Workload { sites: SiteUrls[]; onePage: SiteUrls[]; heavy: SiteUrls; work: string; base: AuditOptions; slots: number }
type Measured = { phase: Phase; results: SiteResult[] };

async function bench(values: BenchValues): Promise<number> {
  const naivePages = positiveInt('--naive-pages', values['naive-pages'], 4);
  const longPages = positiveInt('--long-pages', values['long-pages'], 300);
  const registrySites = positiveInt('--registry-sites', values['registry-sites'], 24);
  const work = mkdtempSync(join(tmpdir(), 'eindex-bench-'));
  const sites = await corpus(work);
  const onePage = await onePageSites(work, registrySites);
  const heavy = await heavySite(2);
  // eindex run's defaults: two sites at once, each with two pages under way.
  const slots = positiveInt('--sites', values.sites, 2);
  const base = defaultAuditOptions({ crawl: false, concurrency: positiveInt('--concurrency', values.concurrency, 2), ...(values['no-screenshots'] ? { screenshots: 0 } : {}) });
  const w: Workload = { sites, onePage, heavy: heavy.site, work, base, slots };
  try {
    say(`${sites.reduce((n, s) => n + s.urls.length, 0)} pages on ${sites.length} local sites, ${onePage.length} one-page sites, ${heavy.site.urls.length} design-system pages; memory at start ${treeRssMb()} MB`);
    const ours = await eindexPhases(w);
    const longPhase = await longRun(sites[0]!, longPages, base);
    const naive = await naivePhases(w, ours, naivePages);
    const report = benchReport(w, ours, naive, longPhase);
    const file = join(values.out ?? join(PROJECT_ROOT, 'reports', 'bench'), `${report.at.replace(/[:.]/g, '-')}.json`);
    writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`${benchTable(report)}\nwritten to ${file}`);
    return 0;
  } finally {
    await Promise.all([...sites, ...onePage, heavy.site].map((s) => s.site.close()));
    for (const dir of [work, ...heavy.dirs]) rmSync(dir, { recursive: true, force: true });
  }
}

/** eindex on each kind of page: one-page sites through eindex run, the design-system site, the corpus. */
async function eindexPhases(w: Workload) {
  const { onePage, heavy, sites, work, base, slots } = w;
  const told = async (what: string, run: () => Promise<Measured>, cpu = true) => {
    say(what);
    const m = await run();
    say(`  ${m.phase.pagesPerMinute} pages/min${cpu ? `, ${m.phase.cpuSecondsPerPage} CPU-s/page` : ''}`);
    return m;
  };
  const registry = await told(`registry run: ${onePage.length} one-page sites through eindex run (full audit)…`, () => registryPhase(onePage, work, true));
  const registryFast = await told('the same, --no-lighthouse…', () => registryPhase(onePage, work, false));
  const heavyFull = await told(`heavier pages: one site of ${heavy.urls.length} GOV.UK Frontend and USWDS pages (full audit)…`, () => phase([heavy], { ...base, lighthouse: true }, 1));
  const heavyFast = await told('the same, --no-lighthouse…', () => phase([heavy], { ...base, lighthouse: false }, 1));
  const full = await told('full audit (axe + mobile + Lighthouse) of the generated corpus, in-process…', () => phase(sites, { ...base, lighthouse: true }, slots), false);
  const fast = await told('axe + mobile only (--no-lighthouse)…', () => phase(sites, { ...base, lighthouse: false }, slots), false);
  return { registry, registryFast, heavyFull, heavyFast, full, fast };
}
type Ours = Awaited<ReturnType<typeof eindexPhases>>;

/** One long scan of a site's pages over and over: memory after 50 pages and at the end. */
async function longRun(longSite: SiteUrls, longPages: number, base: AuditOptions) {
  say(`long run: ${longPages} pages (--no-lighthouse), memory after 50 and after ${longPages}…`);
  const longUrls = Array.from({ length: longPages }, (_, i) => `${longSite.urls[i % longSite.urls.length]}?r=${i}`);
  const memory: Record<string, number> = { start: treeRssMb() };
  const session = new BrowserSession(false);
  const longMem = memorySampler();
  const t0 = Date.now();
  await scanSite(longUrls.map((u) => new URL(u)), { ...base, lighthouse: false, maxPages: longPages }, session, {
    onPage: (_p, done) => {
      if (done === 50) memory.after50 = treeRssMb();
      if (done === longPages) memory[`after${longPages}`] = treeRssMb();
    },
  });
  await session.close();
  return { pages: longPages, seconds: round((Date.now() - t0) / 1000), peakMemoryMb: longMem.stop(), memoryMb: memory, browserLaunches: session.launches };
}

/** The naive way on pages of each kind, and whether it agrees with eindex page by page. */
async function naivePhases(w: Workload, ours: Ours, naivePages: number) {
  const byUrl = new Map([...ours.registry.results, ...ours.heavyFull.results, ...ours.full.results].flatMap((r) => r.pages.map((p) => [p.url, p] as const)));
  const agreement: { url: string; naiveLighthouse: number; eindexLighthouse: number | null; sameLighthouse: boolean; sameAxe: boolean }[] = [];
  const naiveOn = async (kind: string, urls: string[]) => {
    say(`naive baseline on ${urls.length} ${kind} (lighthouse CLI + axe in a fresh browser)…`);
    const cpu0 = treeCpuSeconds();
    const t1 = Date.now();
    for (const url of urls) {
      const n = await naive(url, w.base.axeTags, w.base.methodology.mobile.device);
      const page = byUrl.get(url);
      const ourViolations = (page?.axe?.violations ?? []).map((v) => `${v.id}:${v.nodes.length}`).sort();
      agreement.push({ url, naiveLighthouse: n.lighthouse, eindexLighthouse: page?.lighthouse?.accessibility ?? null, sameLighthouse: n.lighthouse === page?.lighthouse?.accessibility, sameAxe: JSON.stringify(n.violations) === JSON.stringify(ourViolations) });
    }
    const seconds = (Date.now() - t1) / 1000;
    return { pages: urls.length, seconds: round(seconds), pagesPerMinute: round((urls.length * 60) / seconds), cpuSecondsPerPage: round((treeCpuSeconds() - cpu0) / urls.length) };
  };
  const onePage = await naiveOn('one-page sites', spread(w.onePage.map((s) => s.urls[0]!), naivePages));
  const heavy = await naiveOn('design-system pages', spread(w.heavy.urls.slice(0, w.heavy.urls.length / 2), naivePages));
  const corpusPages = await naiveOn('corpus pages', spread(w.sites.flatMap((s) => s.urls), naivePages));
  return { onePage, heavy, corpus: corpusPages, agreement };
}
type Naive = Awaited<ReturnType<typeof naivePhases>>;

function benchReport(w: Workload, ours: Ours, naive: Naive, longPhase: Awaited<ReturnType<typeof longRun>>) {
  const ratio = (a: Phase, b: { pagesPerMinute: number }) => round(a.pagesPerMinute / b.pagesPerMinute);
  const ratios = {
    registryFull: ratio(ours.registry.phase, naive.onePage),
    registryNoLighthouse: ratio(ours.registryFast.phase, naive.onePage),
    heavyFull: ratio(ours.heavyFull.phase, naive.heavy),
    heavyNoLighthouse: ratio(ours.heavyFast.phase, naive.heavy),
    corpusFull: ratio(ours.full.phase, naive.corpus),
    corpusNoLighthouse: ratio(ours.fast.phase, naive.corpus),
  };
  const phases = Object.values(ours).map((p) => p.phase);
  const memory = longPhase.memoryMb;
  const { agreement } = naive;
  return {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    cpuMeasuredBy: cgroup ? 'cgroup' : 'process tree (no cgroup could be made: Chromium renderers partly missed)',
    corpusPages: w.sites.reduce((n, s) => n + s.urls.length, 0),
    settings: { sitesAtOnce: w.slots, pagesAtOncePerSite: w.base.concurrency, registrySites: w.onePage.length },
    registry: { full: ours.registry.phase, noLighthouse: ours.registryFast.phase, naive: naive.onePage },
    heavy: { full: ours.heavyFull.phase, noLighthouse: ours.heavyFast.phase, naive: naive.heavy },
    full: ours.full.phase,
    noLighthouse: ours.fast.phase,
    naive: naive.corpus,
    ratios,
    agreement,
    longRun: longPhase,
    targets: {
      registryFullAtLeast12x: ratios.registryFull >= 12,
      heavyFullAtLeast15x: ratios.heavyFull >= 15,
      noLighthouseAtLeast30x: ratios.heavyNoLighthouse >= 30,
      peakUnder1500Mb: Math.max(...phases.map((p) => p.peakMemoryMb), longPhase.peakMemoryMb) < 1500,
      noLeak: memory[`after${longPhase.pages}`]! <= memory.after50! * 1.1,
      sameLighthouseScore: agreement.every((a) => a.sameLighthouse),
      sameAxeViolations: agreement.every((a) => a.sameAxe),
    },
  };
}

function benchTable(report: ReturnType<typeof benchReport>): string {
  const { registry, heavy, ratios, agreement, longRun: long } = report;
  const row = (name: string, p: { pages: number; pagesPerMinute: number; cpuSecondsPerPage: number; peakMemoryMb?: number }, r?: number) =>
    `${name.padEnd(34)} ${pad(p.pages)} ${pad(p.pagesPerMinute, 10)} ${pad(p.cpuSecondsPerPage, 11)} ${pad(p.peakMemoryMb ?? '', 8)} ${pad(r === undefined ? '' : `${r}x`, 7)}`;
  return `
                                   pages  pages/min  CPU s/page  peak MB   ratio
${row(`${report.settings.registrySites} one-page sites, eindex run`, registry.full, ratios.registryFull)}   target 12x
${row('  the same, --no-lighthouse', registry.noLighthouse, ratios.registryNoLighthouse)}
${row('  naive (LH CLI + axe)', registry.naive)}
${row('heavier pages (GOV.UK, USWDS)', heavy.full, ratios.heavyFull)}   target 15x
${row('  the same, --no-lighthouse', heavy.noLighthouse, ratios.heavyNoLighthouse)}   target 30x
${row('  naive (LH CLI + axe)', heavy.naive)}
${row('generated corpus, full audit', report.full, ratios.corpusFull)}
${row('  the same, --no-lighthouse', report.noLighthouse, ratios.corpusNoLighthouse)}
${row('  naive (LH CLI + axe)', report.naive)}
CPU measured by ${report.cpuMeasuredBy}
same Lighthouse score ${agreement.filter((a) => a.sameLighthouse).length}/${agreement.length}, same axe violations ${agreement.filter((a) => a.sameAxe).length}/${agreement.length} (eindex vs the naive way, page by page)
long run: ${long.pages} pages in ${long.seconds} s, memory ${JSON.stringify(long.memoryMb)} MB, peak ${long.peakMemoryMb} MB
targets: ${Object.entries(report.targets).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}`;
}

function spread<T>(items: T[], n: number): T[] {
  const step = items.length / n;
  return Array.from({ length: Math.min(n, items.length) }, (_, i) => items[Math.floor(i * step)]!);
}
const round = (n: number) => Math.round(n * 10) / 10;
const pad = (v: unknown, w = 5) => String(v).padStart(w);
