// `npm run bench`: eindex's throughput against the naive way (the lighthouse CLI plus axe-core in a fresh
// browser, per page), with CPU, memory and a long run for leaks. Writes reports/bench/<time>.json.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_METHODOLOGY } from '../grading/methodology.js';
import { chromium } from 'playwright-core';
import { defaultAuditOptions, type AuditOptions } from '../audit/options.js';
import { scanSite } from '../audit/site.js';
import { CHROMIUM_ARGS, findChromium } from '../gather/browser.js';
import { BrowserSession } from '../gather/session.js';
import type { PageResult, SiteResult } from '../schema/result.js';
import { UserError } from '../util/errors.js';
import { axeProfile, stepTimes, storingTime } from './breakdown.js';
import type { SoakValues } from './soak.js';
import { serveStatic, type StaticSite } from '../util/static-server.js';
import { writeFileAtomic } from '../util/files.js';
import { PROJECT_ROOT } from '../version.js';
import { positiveInt } from '../audit/option-defs.js';
import { generateSite } from './corpus.js';
import { cpuCgroup, memorySampler, treeCpuSeconds as procTreeCpuSeconds, treeRssMb } from './proc.js';

const require = createRequire(import.meta.url);
interface SiteUrls { site: StaticSite; urls: string[] }
interface Phase { pages: number; seconds: number; pagesPerMinute: number; cpuSecondsPerPage: number; peakMemoryMb: number }

/** The generated corpus: five sites of ten ordinary pages (the memory run's pages). */
export async function corpus(work: string): Promise<SiteUrls[]> {
  const out: SiteUrls[] = [];
  for (let s = 0; s < 5; s++) {
    const dir = join(work, `site-${s}`);
    const paths = generateSite(dir, s, 10);
    const site = await serveStatic(dir);
    out.push({ site, urls: paths.map((p) => site.url + p) });
  }
  return out;
}

/** `../shared/corpus` (or $EINDEX_CORPUS): the real pages written elsewhere. */
export function sharedCorpus(): string | undefined {
  return [process.env.EINDEX_CORPUS, join(PROJECT_ROOT, '..', 'shared', 'corpus')].find((p): p is string => !!p && existsSync(p));
}

/**
 * Real one-page sites, each on an origin of its own: W3C's before/after demo and CSS Zen Garden designs
 * (one document under a hundred designers' CSS), `n` in all.
 */
async function realOnePageSites(shared: string, n: number): Promise<SiteUrls[]> {
  const out: SiteUrls[] = [];
  for (const path of ['before/template.html', 'after/template.html'].slice(0, n)) {
    const site = await serveStatic(join(shared, 'bad'));
    out.push({ site, urls: [site.url + path] });
  }
  const designs = readdirSync(join(shared, 'zen-garden')).filter((d) => /^\d{3}$/.test(d)).sort();
  for (const d of spread(designs, n - out.length)) {
    const site = await serveStatic(join(shared, 'zen-garden'));
    out.push({ site, urls: [`${site.url}${d}/`] });
  }
  return out;
}

/** One process of the CLI, measured with everything it starts: wall time, CPU, peak memory. */
async function cliPhase(args: string[], json: string): Promise<{ seconds: number; cpu: number; peakMemoryMb: number; json: unknown }> {
  const mem = memorySampler();
  const cpu0 = treeCpuSeconds();
  const t0 = Date.now();
  const code = await new Promise<number | null>((resolve) => spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'eindex.js'), ...args, '--quiet', '--json', json], { stdio: ['ignore', 'ignore', 'inherit'] }).once('exit', resolve));
  const seconds = (Date.now() - t0) / 1000;
  const cpu = treeCpuSeconds() - cpu0;
  const peakMemoryMb = mem.stop();
  if (code !== 0 && code !== 1) throw new Error(`eindex ${args[0]} in the bench ended with exit ${code}`);
  return { seconds, cpu, peakMemoryMb, json: JSON.parse(readFileSync(json, 'utf8')) };
}

const phaseOf = (results: SiteResult[], m: { seconds: number; cpu: number; peakMemoryMb: number }): Measured => {
  const pages = results.reduce((n, r) => n + r.pages.length, 0);
  return { results, phase: { pages, seconds: round(m.seconds), pagesPerMinute: round((pages * 60) / m.seconds), cpuSecondsPerPage: round(m.cpu / pages), peakMemoryMb: m.peakMemoryMb } };
};

/**
 * A registry of sites through `eindex run` itself, in a process of its own (counted with everything it
 * starts): discovery, browser contexts, storing, all the per-site costs a registry run pays.
 */
async function registryPhase(sites: SiteUrls[], w: Workload, name: string, lighthouse: boolean): Promise<Measured> {
  const { work } = w;
  const file = `${name}-${lighthouse ? 'full' : 'axe'}`;
  const registry = join(work, `${file}.yaml`);
  writeFileSync(registry, `targets:\n${sites.map((s, i) => `  - { id: bench-${i}, name: "Bench ${i}", group: municipality, url: "${s.urls[0]}", maxPages: ${s.urls.length}, private: true }`).join('\n')}\n`);
  const m = await cliPhase(['run', registry, '--db', join(work, `${file}.sqlite`), '--concurrency', String(w.sitesAtOnce), ...cliFlags(w.base, lighthouse)], join(work, `${file}.json`));
  const run = m.json as { sites: (SiteResult | { error: string })[] };
  const results = run.sites.filter((s): s is SiteResult => 'pages' in s);
  if (results.length !== sites.length) throw new Error(`the bench registry run audited ${results.length} of ${sites.length} sites`);
  return phaseOf(results, m);
}

/** One site's given pages through `eindex audit --no-crawl`, in a process of its own. */
async function auditPhase(site: SiteUrls, w: Workload, lighthouse: boolean): Promise<Measured> {
  const json = join(w.work, `audit-${lighthouse ? 'full' : 'axe'}.json`);
  const m = await cliPhase(['audit', ...site.urls, '--no-crawl', '--concurrency', String(w.base.concurrency), ...cliFlags(w.base, lighthouse)], json);
  return phaseOf([m.json as SiteResult], m);
}

/** The bench's settings as the CLI takes them: Lighthouse or not, screenshots or not. */
const cliFlags = (base: AuditOptions, lighthouse: boolean) => [...(lighthouse ? [] : ['--no-lighthouse']), ...(base.screenshots ? [] : ['--no-screenshots'])];

/**
 * A national design system's site of full pages, built from the npm packages: the ONS Design System's
 * full-page examples and GOV.UK Frontend's pages (their files do not overlap: one site of both), 20 pages.
 */
async function designSystemSite(pages: number): Promise<{ site: SiteUrls; dirs: string[] }> {
  // Built from devDependencies: the bench runs from a development checkout.
  const { buildGovukSite, buildOnsSite, GOVUK_PAGES } = await import('./design-systems.js');
  const ons = buildOnsSite();
  const govuk = buildGovukSite();
  cpSync(govuk, ons.dir, { recursive: true });
  const site = await serveStatic(ons.dir);
  const paths = [...ons.pages, ...GOVUK_PAGES.map((p) => p.path)];
  const urls = Array.from({ length: pages }, (_, i) => `${site.url}${paths[i % paths.length]}${i >= paths.length ? `?r=${Math.floor(i / paths.length)}` : ''}`);
  return { site: { site, urls }, dirs: [ons.dir, govuk] };
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

export interface BenchValues extends SoakValues { sites?: string; concurrency?: string; 'naive-pages'?: string; 'registry-sites'?: string; 'design-pages'?: string; 'long-pages'?: string; out?: string; 'no-screenshots'?: boolean }

/** The bench's CPU counter: its cgroup where it can make one, else /proc's process tree (an undercount). */
let cgroup: ReturnType<typeof cpuCgroup> = null;
const treeCpuSeconds = () => cgroup?.cpuSeconds() ?? procTreeCpuSeconds();

export async function benchCommand(values: BenchValues, args: string[] = []): Promise<number> {
  if (args.length > 1 || (args[0] && args[0] !== 'soak' && args[0] !== 'sample')) throw new UserError(`eindex bench takes no argument but "soak" or "sample" (got "${args.join(' ')}")`);
  cgroup = cpuCgroup();
  try {
    if (args[0] === 'soak') return await (await import('./soak.js')).soak(values as SoakValues, treeCpuSeconds);
    if (args[0] === 'sample') {
      const { benchSample } = await import('./sample-accuracy.js');
      const { WHOLE_SITES } = await import('./whole-sites.js');
      await benchSample(DEFAULT_METHODOLOGY, 40, values.out ?? join('reports', 'bench'), treeCpuSeconds, WHOLE_SITES, say);
      return 0;
    }
    return await bench(values);
  } finally {
    cgroup?.close();
    cgroup = null;
  }
}

const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

/** `base`: the audit options (its concurrency is the pages at once of a site); `sitesAtOnce`: eindex run's. */
interface Workload { onePage: SiteUrls[]; real: SiteUrls[]; design: SiteUrls; long: SiteUrls; work: string; base: AuditOptions; sitesAtOnce: number }
type Measured = { phase: Phase; results: SiteResult[] };

async function bench(values: BenchValues): Promise<number> {
  const naivePages = positiveInt('--naive-pages', values['naive-pages'], 4);
  const longPages = positiveInt('--long-pages', values['long-pages'], 300);
  const registrySites = positiveInt('--registry-sites', values['registry-sites'], 24);
  const designPages = positiveInt('--design-pages', values['design-pages'], 20);
  const shared = sharedCorpus();
  if (!shared) throw new UserError('the bench needs the real pages of ../shared/corpus (or $EINDEX_CORPUS): CSS Zen Garden and W3C\'s before/after demo');
  const work = mkdtempSync(join(tmpdir(), 'eindex-bench-'));
  const sites = await corpus(work);
  const onePage = await onePageSites(work, registrySites);
  const real = await realOnePageSites(shared, registrySites);
  const design = await designSystemSite(designPages);
  const base = defaultAuditOptions({ crawl: false, concurrency: positiveInt('--concurrency', values.concurrency, 2), ...(values['no-screenshots'] ? { screenshots: 0 } : {}) });
  // eindex run's defaults: two sites at once, each with two pages under way.
  const w: Workload = { onePage, real, design: design.site, long: sites[0]!, work, base, sitesAtOnce: positiveInt('--sites', values.sites, 2) };
  try {
    say(`${onePage.length} generated one-page sites, ${real.length} real one-page sites (W3C demo, Zen Garden), a design-system site of ${design.site.urls.length} pages; memory at start ${treeRssMb()} MB`);
    const ours = await eindexPhases(w);
    const longPhase = await longRun(w.long, longPages, base);
    const naive = await naivePhases(w, ours, naivePages);
    say('where the time goes: axe-core by rule group, storing…');
    const where = {
      steps: Object.fromEntries(Object.entries(ours).map(([k, m]) => [k, stepTimes(m.results)])),
      axeByRuleGroup: await axeProfile(spread([...real.map((s) => s.urls[0]!), ...design.site.urls.slice(0, 20)], 8), base),
      storing: storingTime(ours.real.results),
    };
    const report = benchReport(w, ours, naive, longPhase, where);
    const file = join(values.out ?? join(PROJECT_ROOT, 'reports', 'bench'), `${report.at.replace(/[:.]/g, '-')}.json`);
    writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`${benchTable(report)}\nwritten to ${file}`);
    return 0;
  } finally {
    await Promise.all([...sites, ...onePage, ...real, design.site].map((s) => s.site.close()));
    for (const dir of [work, ...design.dirs]) rmSync(dir, { recursive: true, force: true });
  }
}

/** eindex on each kind of page, full and --no-lighthouse, as its users run it. */
async function eindexPhases(w: Workload) {
  const { onePage, real, design } = w;
  const told = async (what: string, run: () => Promise<Measured>) => {
    say(what);
    const m = await run();
    say(`  ${m.phase.pagesPerMinute} pages/min, ${m.phase.cpuSecondsPerPage} CPU-s/page`);
    return m;
  };
  const registry = await told(`${onePage.length} generated one-page sites through eindex run (full audit)…`, () => registryPhase(onePage, w, 'generated', true));
  const registryFast = await told('the same, --no-lighthouse…', () => registryPhase(onePage, w, 'generated', false));
  const realFull = await told(`${real.length} real one-page sites (W3C demo, Zen Garden) through eindex run (full audit)…`, () => registryPhase(real, w, 'real', true));
  const realFast = await told('the same, --no-lighthouse…', () => registryPhase(real, w, 'real', false));
  const designFull = await told(`a design-system site of ${design.urls.length} full pages (ONS, GOV.UK) through eindex audit --no-crawl…`, () => auditPhase(design, w, true));
  const designFast = await told('the same, --no-lighthouse…', () => auditPhase(design, w, false));
  return { registry, registryFast, real: realFull, realFast, design: designFull, designFast };
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

const axeKey = (p: PageResult | undefined) => (p?.axe?.violations ?? []).map((v) => `${v.id}:${v.nodes.length}`).sort();

/** The naive way on pages of each kind, and whether it agrees with eindex page by page. */
async function naivePhases(w: Workload, ours: Ours, naivePages: number) {
  const byUrl = new Map([...ours.registry.results, ...ours.real.results, ...ours.design.results].flatMap((r) => r.pages.map((p) => [p.url, p] as const)));
  const agreement: { url: string; naiveLighthouse: number; eindexLighthouse: number | null; sameLighthouse: boolean; sameAxe: boolean }[] = [];
  const naiveOn = async (kind: string, urls: string[]) => {
    say(`naive baseline on ${urls.length} ${kind} (lighthouse CLI + axe in a fresh browser)…`);
    const cpu0 = treeCpuSeconds();
    const t1 = Date.now();
    for (const url of urls) {
      const n = await naive(url, w.base.axeTags, w.base.methodology.mobile.device);
      const page = byUrl.get(url);
      agreement.push({ url, naiveLighthouse: n.lighthouse, eindexLighthouse: page?.lighthouse?.accessibility ?? null, sameLighthouse: n.lighthouse === page?.lighthouse?.accessibility, sameAxe: JSON.stringify(n.violations) === JSON.stringify(axeKey(page)) });
    }
    const seconds = (Date.now() - t1) / 1000;
    return { pages: urls.length, seconds: round(seconds), pagesPerMinute: round((urls.length * 60) / seconds), cpuSecondsPerPage: round((treeCpuSeconds() - cpu0) / urls.length) };
  };
  const onePage = await naiveOn('generated one-page sites', spread(w.onePage.map((s) => s.urls[0]!), naivePages));
  const real = await naiveOn('real one-page sites', spread(w.real.map((s) => s.urls[0]!), naivePages));
  const design = await naiveOn('design-system pages', spread(w.design.urls, naivePages));
  return { onePage, real, design, agreement };
}
type Naive = Awaited<ReturnType<typeof naivePhases>>;

/** The full and the --no-lighthouse runs of each kind gave every page the same violations and mobile verdict. */
function sameBothWays(ours: Ours): { pages: number; same: number; differing: string[] } {
  const pairs: [Measured, Measured][] = [[ours.registry, ours.registryFast], [ours.real, ours.realFast], [ours.design, ours.designFast]];
  let pages = 0;
  const differing: string[] = [];
  for (const [full, fast] of pairs) {
    const other = new Map(fast.results.flatMap((r) => r.pages.map((p) => [p.url, p] as const)));
    for (const p of full.results.flatMap((r) => r.pages)) {
      pages++;
      const q = other.get(p.url);
      if (JSON.stringify(axeKey(p)) !== JSON.stringify(axeKey(q)) || p.mobile?.mobileFriendly !== q?.mobile?.mobileFriendly) differing.push(p.url);
    }
  }
  return { pages, same: pages - differing.length, differing };
}

type Where = { steps: Record<string, Record<string, number>>; axeByRuleGroup: Awaited<ReturnType<typeof axeProfile>>; storing: ReturnType<typeof storingTime> };

function benchReport(w: Workload, ours: Ours, naive: Naive, longPhase: Awaited<ReturnType<typeof longRun>>, where: Where) {
  const ratio = (a: Phase, b: { pagesPerMinute: number }) => round(a.pagesPerMinute / b.pagesPerMinute);
  const ratios = {
    registryFull: ratio(ours.registry.phase, naive.onePage),
    registryNoLighthouse: ratio(ours.registryFast.phase, naive.onePage),
    realFull: ratio(ours.real.phase, naive.real),
    realNoLighthouse: ratio(ours.realFast.phase, naive.real),
    designFull: ratio(ours.design.phase, naive.design),
    designNoLighthouse: ratio(ours.designFast.phase, naive.design),
  };
  const phases = Object.values(ours).map((p) => p.phase);
  const memory = longPhase.memoryMb;
  const { agreement } = naive;
  const bothWays = sameBothWays(ours);
  return {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    cpuMeasuredBy: cgroup ? 'cgroup' : 'process tree (no cgroup could be made: Chromium renderers partly missed)',
    settings: { sitesAtOnce: w.sitesAtOnce, pagesAtOncePerSite: w.base.concurrency, registrySites: w.onePage.length, realSites: w.real.length, designPages: w.design.urls.length },
    registry: { full: ours.registry.phase, noLighthouse: ours.registryFast.phase, naive: naive.onePage },
    real: { full: ours.real.phase, noLighthouse: ours.realFast.phase, naive: naive.real },
    design: { full: ours.design.phase, noLighthouse: ours.designFast.phase, naive: naive.design },
    ratios,
    where,
    agreement,
    bothWays,
    longRun: longPhase,
    targets: {
      registryFullAtLeast12x: ratios.registryFull >= 12,
      realFullAtLeast15x: ratios.realFull >= 15,
      designFullAtLeast15x: ratios.designFull >= 15,
      designNoLighthouseAtLeast30x: ratios.designNoLighthouse >= 30,
      peakUnder1500Mb: Math.max(...phases.map((p) => p.peakMemoryMb), longPhase.peakMemoryMb) < 1500,
      noLeak: memory[`after${longPhase.pages}`]! <= memory.after50! * 1.1,
      sameLighthouseScore: agreement.every((a) => a.sameLighthouse),
      sameAxeViolations: agreement.every((a) => a.sameAxe),
      sameWithoutLighthouse: bothWays.differing.length === 0,
    },
  };
}

function benchTable(report: ReturnType<typeof benchReport>): string {
  const { registry, real, design, ratios, agreement, longRun: long, where } = report;
  const row = (name: string, p: { pages: number; pagesPerMinute: number; cpuSecondsPerPage: number; peakMemoryMb?: number }, r?: number) =>
    `${name.padEnd(40)} ${pad(p.pages)} ${pad(p.pagesPerMinute, 10)} ${pad(p.cpuSecondsPerPage, 11)} ${pad(p.peakMemoryMb ?? '', 8)} ${pad(r === undefined ? '' : `${r}x`, 7)}`;
  const kind = (title: string, k: typeof registry, full: number, fast: number, targets: string[]) => [
    `${row(title, k.full, full)}   ${targets[0] ?? ''}`,
    `${row('  the same, --no-lighthouse', k.noLighthouse, fast)}   ${targets[1] ?? ''}`,
    row('  naive (LH CLI + axe)', k.naive),
  ].map((l) => l.trimEnd()).join('\n');
  const steps = Object.entries(where.steps).map(([k, v]) => `  ${k.padEnd(14)} ${Object.entries(v).map(([s, ms]) => `${s} ${ms}`).join(', ')}`).join('\n');
  return `
                                         pages  pages/min  CPU s/page  peak MB   ratio
${kind(`${report.settings.registrySites} generated one-page sites, eindex run`, registry, ratios.registryFull, ratios.registryNoLighthouse, ['target 12x'])}
${kind(`${report.settings.realSites} real one-page sites, eindex run`, real, ratios.realFull, ratios.realNoLighthouse, ['target 15x'])}
${kind(`design-system site, eindex audit`, design, ratios.designFull, ratios.designNoLighthouse, ['target 15x', 'target 30x'])}
CPU measured by ${report.cpuMeasuredBy}
where a page's time goes (mean wall ms per audited page; pages audited side by side share the CPU):
${steps}
  axe-core by rule group (mean ms per page, ${where.axeByRuleGroup.pages} pages, one at a time): ${Object.entries(where.axeByRuleGroup.meanMs).map(([g, ms]) => `${g} ${ms}`).join(', ')}
  storing in SQLite: ${where.storing.msPerSite} ms per site, ${where.storing.msPerPage} ms per page
same Lighthouse score ${agreement.filter((a) => a.sameLighthouse).length}/${agreement.length}, same axe violations ${agreement.filter((a) => a.sameAxe).length}/${agreement.length} (eindex vs the naive way, page by page)
same violations and mobile verdict with and without Lighthouse: ${report.bothWays.same}/${report.bothWays.pages} pages
long run: ${long.pages} pages in ${long.seconds} s, memory ${JSON.stringify(long.memoryMb)} MB, peak ${long.peakMemoryMb} MB
targets: ${Object.entries(report.targets).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}`;
}

export function spread<T>(items: T[], n: number): T[] {
  const step = items.length / n;
  return Array.from({ length: Math.min(n, items.length) }, (_, i) => items[Math.floor(i * step)]!);
}
const round = (n: number) => Math.round(n * 10) / 10;
const pad = (v: unknown, w = 5) => String(v).padStart(w);
