// A grade that holds for the whole site: whole government websites of 300–450 pages built at test time
// from GOV.UK Frontend, NHS.UK frontend and USWDS (src/bench/whole-sites.ts), each with a rare template
// (1–5 % of its pages) that carries a critical failure. The census (`--census`: every page audited) is
// the truth; the default sample's grade must equal it in at least 95 % of seeds (each seed's sample graded
// from the census's own page results, as the audit grades it), and a real default audit must agree too.
// npm test runs one site; npm run test:long all three.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAccuracy, type SampleAccuracy } from '../../src/bench/sample-accuracy.js';
import { buildWholeSite, WHOLE_SITES } from '../../src/bench/whole-sites.js';
import { DEFAULT_METHODOLOGY } from '../../src/grading/methodology.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import { auditResult, LONG_TIER } from '../helpers.js';

const SEEDS = 40;

describe.each(LONG_TIER ? WHOLE_SITES : WHOLE_SITES.slice(0, 1))('the whole site: $name', (spec) => {
  let accuracy: SampleAccuracy;
  beforeAll(async () => {
    accuracy = await sampleAccuracy(spec, DEFAULT_METHODOLOGY, SEEDS, null);
  }, 600_000);

  it('the census audits every page, says so, and grades what the rare template carries', () => {
    const c = accuracy.census;
    expect(c.sample).toMatchObject({ census: true, complete: true, audited: accuracy.pages });
    expect(c.sample.statement).toBe(`Census complete: every page found audited (${accuracy.pages} pages).`);
    expect(c.sample.confidence).toMatchObject({ explored: accuracy.pages, exploredAll: true, audited: accuracy.pages, pagesCovered: 1 });
    expect(c.sample.confidence!.missChance.every((m) => m.chance === 0)).toBe(true);
    expect(c.summary.topProblems.find((p) => p.id === 'aria-allowed-attr')?.pages).toBe(accuracy.rarePages);
    expect(c.grade).toBe('medium');
  });

  it(`the default sample's grade is the whole site's in at least 95 % of ${SEEDS} seeds`, () => {
    expect(accuracy.agreeing / accuracy.seeds, JSON.stringify(accuracy.grades)).toBeGreaterThanOrEqual(0.95);
    expect(accuracy.rareReached).toBe(accuracy.seeds);
    expect(accuracy.sampleSizes.max).toBeLessThanOrEqual(DEFAULT_METHODOLOGY.sample.size.max);
  });
});

describe('a real default audit of a whole site', () => {
  const spec = WHOLE_SITES[1]!; // NHS: the rare template is 4 pages of 351 (1.1 %)
  let site: StaticSite;
  beforeAll(async () => {
    site = await serveStatic(buildWholeSite(spec).dir);
  });
  afterAll(() => site?.close());

  it('reaches the rare template, weighs each page by its share, and states what the grade stands on', async () => {
    const r = await auditResult([site.url, '--no-lighthouse', '--seed', '11']);
    expect(r.grade).toBe('medium');
    expect(r.pages.some((p) => p.url.includes('/about/consultations/') && p.url !== `${site.url}about/consultations/`)).toBe(true);
    const c = r.sample.confidence!;
    expect(c).toMatchObject({ explored: 351, exploredAll: true, templatesAudited: c.templates, pagesCovered: 1 });
    expect(c.missChance.map((m) => m.share)).toEqual([0.01, 0.05]);
    // The news section is about half the site: its pages stand for far more than the home page does.
    const standsFor = (path: string) => r.sample.pages!.find((p) => new URL(p.url).pathname.startsWith(path))!.standsFor!;
    expect(standsFor('/news/1')).toBeGreaterThan(10);
    expect(r.sample.pages!.find((p) => p.reason === 'home')!.standsFor).toBe(1);
    const news = r.sample.pages!.filter((p) => /\/news\/\d+\/$/.test(p.url)).length;
    expect(news / r.sample.pages!.length).toBeGreaterThan(0.15);
  });
});
