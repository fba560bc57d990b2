// `npm run bench`: eindex's throughput against the naive way (the lighthouse CLI plus axe-core in a fresh
// browser, per page), with CPU, memory and a long run for leaks. Writes reports/bench/<time>.json.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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
import { memorySampler, treeCpuSeconds, treeRssMb } from './proc.js';

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
export interface BenchValues { sites?: string; concurrency?: string; 'naive-pages'?: string; 'long-pages'?: string; out?: string; 'no-screenshots'?: boolean }

export async function benchCommand(values: BenchValues): Promise<number> {
  const naivePages = positiveInt('--naive-pages', values['naive-pages'], 4);
  const longPages = positiveInt('--long-pages', values['long-pages'], 300);
  const work = mkdtempSync(join(tmpdir(), 'eindex-bench-'));
  const sites = await corpus(work);
  const total = sites.reduce((n, s) => n + s.urls.length, 0);
  const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
  // eindex run's defaults: two sites at once, each with two pages under way.
  const slots = positiveInt('--sites', values.sites, 2);
  const base = defaultAuditOptions({ crawl: false, concurrency: positiveInt('--concurrency', values.concurrency, 2), ...(values['no-screenshots'] ? { screenshots: 0 } : {}) });
  try {
    say(`${total} pages on ${sites.length} local sites; memory at start ${treeRssMb()} MB`);
    say('full audit (axe + mobile + Lighthouse), in-process…');
    const full = await phase(sites, { ...base, lighthouse: true }, slots);
    say(`  ${full.phase.pagesPerMinute} pages/min`);
    say('axe + mobile only (--no-lighthouse)…');
    const fast = await phase(sites, { ...base, lighthouse: false }, slots);
    say(`  ${fast.phase.pagesPerMinute} pages/min`);

    say(`long run: ${longPages} pages (--no-lighthouse), memory after 50 and after ${longPages}…`);
    const longSite = sites[0]!;
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
    const longPhase = { pages: longPages, seconds: round((Date.now() - t0) / 1000), peakMemoryMb: longMem.stop(), memoryMb: memory, browserLaunches: session.launches };

    say(`naive baseline on ${naivePages} pages (lighthouse CLI + axe in a fresh browser)…`);
    const sample = spread(sites.flatMap((s) => s.urls), naivePages);
    const byUrl = new Map(full.results.flatMap((r) => r.pages.map((p) => [p.url, p] as const)));
    const cpu0 = treeCpuSeconds();
    const t1 = Date.now();
    const agreement = [];
    for (const url of sample) {
      const n = await naive(url, base.axeTags, base.methodology.mobile.device);
      const ours = byUrl.get(url);
      const ourViolations = (ours?.axe?.violations ?? []).map((v) => `${v.id}:${v.nodes.length}`).sort();
      agreement.push({ url, naiveLighthouse: n.lighthouse, eindexLighthouse: ours?.lighthouse?.accessibility ?? null, sameLighthouse: n.lighthouse === ours?.lighthouse?.accessibility, sameAxe: JSON.stringify(n.violations) === JSON.stringify(ourViolations) });
    }
    const naiveSeconds = (Date.now() - t1) / 1000;
    const naivePhase = { pages: sample.length, seconds: round(naiveSeconds), pagesPerMinute: round((sample.length * 60) / naiveSeconds), cpuSecondsPerPage: round((treeCpuSeconds() - cpu0) / sample.length) };

    const report = {
      at: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      corpusPages: total,
      settings: { sitesAtOnce: slots, pagesAtOncePerSite: base.concurrency },
      full: full.phase,
      noLighthouse: fast.phase,
      naive: naivePhase,
      ratio: round(full.phase.pagesPerMinute / naivePhase.pagesPerMinute),
      agreement,
      longRun: longPhase,
      targets: {
        fullAtLeast10xNaive: full.phase.pagesPerMinute >= 10 * naivePhase.pagesPerMinute,
        noLighthouseAtLeast80PerMinute: fast.phase.pagesPerMinute >= 80,
        peakUnder1500Mb: Math.max(full.phase.peakMemoryMb, fast.phase.peakMemoryMb, longPhase.peakMemoryMb) < 1500,
        noLeak: memory[`after${longPages}`]! <= memory.after50! * 1.1,
      },
    };
    const file = join(values.out ?? join(PROJECT_ROOT, 'reports', 'bench'), `${report.at.replace(/[:.]/g, '-')}.json`);
    writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`
                       pages  pages/min  CPU s/page  peak MB
full audit (eindex)    ${pad(full.phase.pages)} ${pad(full.phase.pagesPerMinute, 10)} ${pad(full.phase.cpuSecondsPerPage, 11)} ${pad(full.phase.peakMemoryMb, 8)}
axe + mobile only      ${pad(fast.phase.pages)} ${pad(fast.phase.pagesPerMinute, 10)} ${pad(fast.phase.cpuSecondsPerPage, 11)} ${pad(fast.phase.peakMemoryMb, 8)}
naive (LH CLI + axe)   ${pad(naivePhase.pages)} ${pad(naivePhase.pagesPerMinute, 10)} ${pad(naivePhase.cpuSecondsPerPage, 11)}
ratio full/naive: ${report.ratio}x; same Lighthouse score ${agreement.filter((a) => a.sameLighthouse).length}/${agreement.length}, same axe violations ${agreement.filter((a) => a.sameAxe).length}/${agreement.length}
long run: ${longPages} pages in ${longPhase.seconds} s, memory ${JSON.stringify(memory)} MB, peak ${longPhase.peakMemoryMb} MB
targets: ${Object.entries(report.targets).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}
written to ${file}`);
    return 0;
  } finally {
    await Promise.all(sites.map((s) => s.site.close()));
  }
}

function spread<T>(items: T[], n: number): T[] {
  const step = items.length / n;
  return Array.from({ length: Math.min(n, items.length) }, (_, i) => items[Math.floor(i * step)]!);
}
const round = (n: number) => Math.round(n * 10) / 10;
const pad = (v: unknown, w = 5) => String(v).padStart(w);
