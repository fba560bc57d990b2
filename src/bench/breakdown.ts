// Where a page's time goes, for the bench: the steps every audited page times (its result's `timings`),
// axe-core's own time by rule group (a profile run with axe's performance timer), and storing the results.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { AuditOptions } from '../audit/options.js';
import { CHROMIUM_ARGS, findChromium } from '../gather/browser.js';
import type { PageResult, SiteResult } from '../schema/result.js';
import { Store } from '../store/db.js';

const require = createRequire(import.meta.url);
const STEPS = ['load', 'settle', 'read', 'axe', 'mobile', 'lighthouse', 'screenshots'] as const;
const round = (n: number) => Math.round(n);

/** The mean wall time of each step over the pages audited, in ms; `other` is the rest of the page's time. */
export function stepTimes(results: SiteResult[]): Record<string, number> {
  const pages = results.flatMap((r) => r.pages).filter((p): p is PageResult & { timings: NonNullable<PageResult['timings']> } => p.status === 'ok' && !!p.timings);
  const out: Record<string, number> = { pages: pages.length };
  if (!pages.length) return out;
  let timed = 0;
  for (const step of STEPS) {
    const total = pages.reduce((n, p) => n + (p.timings[step] ?? 0), 0);
    timed += total;
    out[step] = round(total / pages.length);
  }
  out.other = round((pages.reduce((n, p) => n + p.durationMs, 0) - timed) / pages.length);
  out.page = round(pages.reduce((n, p) => n + p.durationMs, 0) / pages.length);
  return out;
}

/** The group a rule's time is counted under: the usual suspects by name, the rest by axe's category tag. */
function groupOf(id: string, tags: string[]): string {
  if (id === 'color-contrast' || id === 'target-size' || id === 'region') return id;
  return tags.find((t) => t.startsWith('cat.'))?.slice(4) ?? 'other';
}

/**
 * axe-core's time on each page by rule group, in ms, from a profile run (`performanceTimer`: axe marks
 * each rule's start and end) with the audit's tags under the audit's emulation, one page at a time in a
 * browser of its own. `setup` is what axe spends outside its rules (the flattened tree, the results).
 */
export async function axeProfile(urls: string[], options: AuditOptions): Promise<{ pages: number; meanMs: Record<string, number> }> {
  const e = options.methodology.mobile.device;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const sums: Record<string, number> = {};
  try {
    for (const url of urls) {
      const context = await browser.newContext({ viewport: { width: e.width, height: e.height }, deviceScaleFactor: e.deviceScaleFactor, isMobile: e.isMobile, hasTouch: e.hasTouch });
      try {
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load' });
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const times = await page.evaluate(async (values) => {
          const axe = (window as any).axe;
          const tagsOf = new Map<string, string[]>(axe.getRules().map((r: { ruleId: string; tags: string[] }) => [r.ruleId, r.tags]));
          const t0 = performance.now();
          await axe.run(document, { runOnly: { type: 'tag', values }, performanceTimer: true, resultTypes: ['violations'] });
          const total = performance.now() - t0;
          const rules = performance.getEntriesByType('measure').filter((m) => /^rule_[^#]+$/.test(m.name)).map((m) => ({ id: m.name.slice(5), ms: m.duration, tags: tagsOf.get(m.name.slice(5)) ?? [] }));
          return { total, rules };
        }, options.axeTags);
        let inRules = 0;
        for (const r of times.rules) {
          const g = groupOf(r.id, r.tags);
          sums[g] = (sums[g] ?? 0) + r.ms;
          inRules += r.ms;
        }
        sums.setup = (sums.setup ?? 0) + Math.max(0, times.total - inRules);
        sums.total = (sums.total ?? 0) + times.total;
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  const meanMs = Object.fromEntries(Object.entries(sums).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v / urls.length)]));
  return { pages: urls.length, meanMs };
}

/** Storing the sites' results in a new SQLite database as a registry run does: ms per site and per page. */
export function storingTime(results: SiteResult[]): { sites: number; msPerSite: number; msPerPage: number } {
  const dir = mkdtempSync(join(tmpdir(), 'eindex-bench-store-'));
  const store = new Store(join(dir, 'bench.sqlite'));
  try {
    const targets = results.map((r, i) => ({ id: `bench-${i}`, name: `Bench ${i}`, group: 'municipality' as const, url: r.url }));
    const runId = store.createRun({ mode: 'bench', targetsFile: 'bench', targets, options: {}, methodologyVersion: 'bench' });
    const t0 = process.hrtime.bigint();
    results.forEach((r, i) => store.saveSite(runId, targets[i]!, { status: 'ok', result: r }));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const pages = results.reduce((n, r) => n + r.pages.length, 0);
    return { sites: results.length, msPerSite: Math.round((ms / results.length) * 10) / 10, msPerPage: Math.round((ms / pages) * 10) / 10 };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
