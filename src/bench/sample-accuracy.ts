// How often a sample's grade is the whole site's: every page of a built whole site (whole-sites.ts) is
// audited once in the browser (the census, the truth), the site is explored over HTTP as an audit
// explores it, and for each seed the sample the methodology plans is graded from those same page
// results. The grade of a sample is a pure function of its pages' results, so this is the audit's own
// grading on the audit's own pages, without auditing each seed's pages again.
import { assignTemplates, planSample, templateSizes, type ExploredPage } from '../crawl/sample-plan.js';
import { ALLOW_ALL } from '../crawl/robots.js';
import { SiteSampler } from '../crawl/sampler.js';
import { pageKey } from '../crawl/url.js';
import { SiteExplorer } from '../audit/explore.js';
import { defaultAuditOptions } from '../audit/options.js';
import { scanSite } from '../audit/site.js';
import { BrowserSession } from '../gather/session.js';
import { buildSiteResult } from '../grading/site-result.js';
import type { Methodology } from '../grading/methodology.js';
import type { GatheredPage } from '../gather/page.js';
import type { Grade, SiteResult } from '../schema/result.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pacer } from '../util/time.js';
import { serveStatic } from '../util/static-server.js';
import { buildWholeSite, type WholeSiteSpec } from './whole-sites.js';

export interface SampleAccuracy {
  site: string;
  pages: number;
  rarePages: number;
  wholeGrade: Grade | null;
  /** The census's own result (every page, as `eindex audit --census` gives it). */
  census: SiteResult;
  explored: number;
  seeds: number;
  /** Seeds whose sample's grade equals the whole site's. */
  agreeing: number;
  /** Samples that held a page of the rare template. */
  rareReached: number;
  sampleSizes: { min: number; median: number; max: number };
  grades: Partial<Record<string, number>>;
  /** The census's wall time and CPU (the counter given: the bench's cgroup), exploring included. */
  censusSeconds: number;
  censusCpuSeconds: number | null;
}

/** Explores a served site over HTTP as an audit does, up to `limit` pages. */
export async function exploreSite(url: string, limit: number): Promise<{ explored: ExploredPage[]; statementUrl: string | null }> {
  const frontier = new SiteSampler(new URL(url), limit, ALLOW_ALL);
  const explorer = new SiteExplorer(frontier, { userAgent: 'eindex-bench', headers: {}, timeoutMs: 15_000, ignoreHttpsErrors: false }, new Pacer(0), 4);
  frontier.addGiven(url, 'start');
  await explorer.explore(limit, Date.now() + 300_000);
  return { explored: explorer.explored, statementUrl: explorer.statement?.link.href ?? null };
}

/** Every page of the site audited once by a census (`--census`: axe-core and the mobile checks), by URL. */
export async function censusPages(url: string, m: Methodology): Promise<{ byUrl: Map<string, GatheredPage>; whole: SiteResult }> {
  const session = new BrowserSession(false);
  const gathered: GatheredPage[] = [];
  try {
    const whole = await scanSite([new URL(url)], defaultAuditOptions({ census: true, lighthouse: false, screenshots: 0, methodology: m, siteTimeoutMs: 3_600_000 }), session, {
      onPage: (p) => void gathered.push(p),
    });
    return { byUrl: new Map(gathered.map((p) => [pageKey(p.candidate.url), p])), whole };
  } finally {
    await session.close();
  }
}

export async function sampleAccuracy(spec: WholeSiteSpec, m: Methodology, seeds: number, sampleSize: number | null, cpuSeconds?: () => number): Promise<SampleAccuracy> {
  const built = buildWholeSite(spec);
  const site = await serveStatic(built.dir);
  try {
    const t0 = Date.now();
    const cpu0 = cpuSeconds?.() ?? null;
    const { byUrl, whole: census } = await censusPages(site.url, m);
    const censusSeconds = Math.round((Date.now() - t0) / 100) / 10;
    const censusCpuSeconds = cpu0 === null ? null : Math.round((cpuSeconds!() - cpu0) * 10) / 10;
    const s = m.sample;
    const { explored, statementUrl } = await exploreSite(site.url, s.exploreMax);
    const statement = { found: !!statementUrl, url: statementUrl, linkText: null, foundOn: null };
    const templates = assignTemplates(explored, s.templateSimilarity);
    const planFacts = { explored: explored.length, templates: new Set(templates.values()).size, templateOf: (u: string) => templates.get(pageKey(u)) ?? null,
      templateSizes: templateSizes(templates), exploredAll: true, census: false };
    const grade = (pages: GatheredPage[], planned: number, seed: number | null) => buildSiteResult({ ...census, startedAt: new Date(census.startedAt), finishedAt: new Date(census.finishedAt),
      exclusions: census.exclusions!, statement, pages, sample: { planned, crawl: true, robotsTxt: 'none', disallowed: 0, deadlineReached: false }, plan: seed === null ? null : { ...planFacts, seed } }, m);
    const whole = grade([...byUrl.values()], byUrl.size, null);
    const home = byUrl.get(pageKey(site.url))!;
    const rare = new Set(built.rarePaths.map((p) => pageKey(new URL(p, site.url))));
    const grades: Record<string, number> = {};
    const sizes: number[] = [];
    let agreeing = 0;
    let rareReached = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const { pages: picks, size } = planSample({ taken: [{ url: site.url, reason: 'home' }], explored, size: sampleSize ?? 'auto', seed, statementUrl, method: s });
      const pages = [home, ...picks.map((p) => byUrl.get(pageKey(p.url))).filter((p): p is GatheredPage => !!p)]
        .map((g, i) => ({ ...g, candidate: { ...g.candidate, reason: i === 0 ? 'home' as const : picks[i - 1]!.reason } }));
      sizes.push(pages.length);
      const result = grade(pages, size, seed);
      grades[String(result.grade)] = (grades[String(result.grade)] ?? 0) + 1;
      if (result.grade === whole.grade) agreeing++;
      if (pages.some((p) => rare.has(pageKey(p.candidate.url)))) rareReached++;
    }
    sizes.sort((a, b) => a - b);
    return {
      site: spec.name, pages: built.paths.length, census, rarePages: built.rarePaths.length, wholeGrade: whole.grade, explored: explored.length, seeds, agreeing, rareReached,
      sampleSizes: { min: sizes[0]!, median: sizes[Math.floor(sizes.length / 2)]!, max: sizes.at(-1)! }, grades, censusSeconds, censusCpuSeconds,
    };
  } finally {
    await site.close();
  }
}

/**
 * `eindex bench sample`: each whole site's census (pages, time, CPU) and how often the default sample's
 * grade is the census's over `seeds` seeds; written as JSON beside the bench's other reports.
 */
export async function benchSample(m: Methodology, seeds: number, out: string, cpuSeconds: () => number, sites: WholeSiteSpec[], say: (line: string) => void): Promise<SampleAccuracy[]> {
  const results: SampleAccuracy[] = [];
  for (const spec of sites) {
    say(`${spec.name}: census, then ${seeds} seeds of the default sample…`);
    const r = await sampleAccuracy(spec, m, seeds, null, cpuSeconds);
    say(`  ${r.pages} pages in ${r.censusSeconds} s (${Math.round((r.pages * 60) / r.censusSeconds)} pages/min, ${r.censusCpuSeconds ?? '?'} CPU-s); grade ${r.wholeGrade}; the sample's grade the same in ${r.agreeing} of ${r.seeds} seeds (${r.sampleSizes.min}–${r.sampleSizes.max} pages)`);
    results.push(r);
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'sample.json'), `${JSON.stringify(results.map(({ census: _census, ...r }) => r), null, 2)}\n`);
  return results;
}
