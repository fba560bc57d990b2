// The bench's arithmetic: where a page's time goes, and the soak's memory curve read from its samples.
import { describe, expect, it } from 'vitest';
import { stepTimes } from '../../src/bench/breakdown.js';
import { soakReport } from '../../src/bench/soak.js';
import type { PageResult, SiteResult } from '../../src/schema/result.js';

const page = (durationMs: number, timings?: PageResult['timings'], status: PageResult['status'] = 'ok') => ({ url: 'http://x/', status, durationMs, source: 'start', depth: 0, ...(timings ? { timings } : {}) }) as PageResult;
const site = (...pages: PageResult[]) => ({ pages }) as SiteResult;

describe('stepTimes', () => {
  it('averages each step over the audited pages with timings; the rest of their time is "other"', () => {
    const r = stepTimes([site(page(1000, { load: 200, axe: 300 }), page(600, { load: 100, axe: 100, lighthouse: 200 })), site(page(50, undefined, 'error'), page(900))]);
    expect(r).toMatchObject({ pages: 2, load: 150, axe: 200, lighthouse: 100, settle: 0, other: 350, page: 800 });
  });
  it('says no page when none was timed', () => {
    expect(stepTimes([site(page(10))])).toEqual({ pages: 0 });
  });
});

describe('soakReport', () => {
  const run = { pages: 300, seconds: 300, cpuSecondsPerPage: 1.234, workers: 2, sites: 15 };
  it('reads start, after 100 pages, peak and end per worker from the samples once a site is stored', () => {
    const samples = [
      { seconds: 0, pages: 0, workersMb: [5, 5] },
      { seconds: 10, pages: 20, workersMb: [600, 500] },
      { seconds: 20, pages: 100, workersMb: [700, 650] },
      { seconds: 30, pages: 200, workersMb: [900, 640] },
      { seconds: 40, pages: 300, workersMb: [800, 700] },
    ];
    const r = soakReport(samples, run);
    expect(r.workers).toEqual([
      { startMb: 600, after100Mb: 700, peakMb: 900, endMb: 800, endOverAfter100: 1.14 },
      { startMb: 500, after100Mb: 650, peakMb: 700, endMb: 700, endOverAfter100: 1.08 },
    ]);
    expect(r.withinTwentyPercent).toBe(true);
    expect(r.run).toMatchObject({ pagesPerMinute: 60, cpuSecondsPerPage: 1.23 });
    expect(r.curve[0]).toEqual({ seconds: 10, pages: 20, mb: [600, 500] });
  });
  it('fails the target when a worker ends more than 20 % above its size after 100 pages', () => {
    const r = soakReport([{ seconds: 1, pages: 100, workersMb: [500, 500] }, { seconds: 2, pages: 300, workersMb: [601, 590] }], run);
    expect(r.withinTwentyPercent).toBe(false);
  });
});
