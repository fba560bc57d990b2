// Our Lighthouse shortcut (snapshot mode on the already loaded page, no machine benchmark, no full-page
// screenshot) must give the same accessibility score as Lighthouse's own navigation run with its mobile
// defaults. Run on the fixture pages and, when present, on real pages of the corpus.
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { navigation } from 'lighthouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, CORPUS, FIXTURES, waitFor } from '../helpers.js';
import { launchBrowser, type LaunchedBrowser } from '../../src/gather/browser.js';
import { LighthouseRunner } from '../../src/gather/lighthouse.js';
import { newAuditContext } from '../../src/gather/page.js';
import { defaultAuditOptions } from '../../src/audit/options.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';

let launched: LaunchedBrowser;
let runner: LighthouseRunner;
const served: StaticSite[] = [];

beforeAll(async () => {
  launched = await launchBrowser({ lighthouse: true });
  runner = new LighthouseRunner(launched.debuggingUrl!);
  for (const name of ['accessible', 'inaccessible', 'fixed-width', 'no-viewport']) served.push(await serveStatic(join(FIXTURES, name)));
  if (CORPUS) {
    served.push(await serveStatic(join(CORPUS, 'bad')));
    served.push(await serveStatic(join(CORPUS, 'clean-blog')));
  }
});
afterAll(async () => {
  await runner?.close();
  await launched?.browser.close();
  await Promise.all(served.map((s) => s.close()));
});

async function snapshotScore(url: string, measureBenchmark: boolean, on: { browser: LaunchedBrowser; runner: LighthouseRunner } = { browser: launched, runner }) {
  const o = defaultAuditOptions();
  const emulation = { device: 'd', ...o.methodology.mobile.device };
  const context = await newAuditContext(on.browser.browser, { emulation, userAgent: o.userAgent, headers: {}, ignoreHttpsErrors: false });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    on.runner.measureBenchmark = measureBenchmark;
    return await on.runner.audit(page);
  } finally {
    on.runner.measureBenchmark = false;
    await context.close();
  }
}

async function navigationScore(url: string) {
  const browser = await puppeteer.connect({ browserURL: launched.debuggingUrl!, defaultViewport: null });
  const page = await browser.newPage();
  try {
    const r = await navigation(page as never, url, { config: { extends: 'lighthouse:default', settings: { onlyCategories: ['accessibility'], formFactor: 'mobile' } }, flags: { logLevel: 'error' } });
    return Math.round(r!.lhr.categories.accessibility!.score! * 100);
  } finally {
    await page.close();
    await browser.disconnect();
  }
}

describe('Lighthouse accessibility score: our snapshot equals a navigation run', () => {
  const pages = () => [
    ...served.slice(0, 4).map((s) => s.url),
    ...(CORPUS ? [`${served[4]!.url}before/template.html`, `${served[4]!.url}after/template.html`, `${served[5]!.url}index.html`, `${served[5]!.url}post.html`] : []),
  ];
  it('on every page', async () => {
    const rows: string[] = [];
    for (const url of pages()) {
      const fast = await snapshotScore(url, false);
      const measured = await snapshotScore(url, true);
      const nav = await navigationScore(url);
      rows.push(`${url} snapshot=${fast.accessibility} benchmarked=${measured.accessibility} navigation=${nav}`);
      expect(fast.error).toBeUndefined();
      expect(fast.accessibility, rows.join('\n')).toBe(nav);
      expect(measured.accessibility).toBe(fast.accessibility);
      expect(fast.audits).toEqual(measured.audits);
    }
    expect(new Set(rows.map((r) => r.split(' ')[1])).size).toBeGreaterThan(1); // the pages really differ
  }, 600_000);
});

describe('the Lighthouse process of each browser', () => {
  it('two browsers run Lighthouse at the same time with the same scores; a killed process is replaced; none is left', async () => {
    const [a, b] = served.slice(0, 2).map((s) => s.url) as [string, string];
    const second = await launchBrowser({ lighthouse: true });
    const other = new LighthouseRunner(second.debuggingUrl!);
    try {
      const alone = [await snapshotScore(a, false), await snapshotScore(b, false, { browser: second, runner: other })];
      // Two Lighthouse runs in one process crash; here each browser has its own process.
      const together = await Promise.all([snapshotScore(a, false), snapshotScore(b, false, { browser: second, runner: other })]);
      expect(together.map((r) => r.accessibility)).toEqual(alone.map((r) => r.accessibility));
      expect(together.every((r) => r.error === undefined && r.accessibility !== null)).toBe(true);
      expect(runner.pid).not.toBe(other.pid);

      // Killed mid-audit: that audit fails with a reason, the next one gets a new process. A runner's
      // process starts with its first request, so a fresh runner's pid means a request is under way.
      const first = other.pid!;
      await other.close();
      expect(alive(first)).toBe(false);
      const fresh = new LighthouseRunner(second.debuggingUrl!);
      try {
        const killed = snapshotScore(b, false, { browser: second, runner: fresh });
        const before = await waitFor('the audit to be under way', () => fresh.pid);
        process.kill(before, 'SIGKILL');
        await expect(killed).rejects.toThrow(/Lighthouse process ended/);
        const again = await snapshotScore(b, false, { browser: second, runner: fresh });
        expect(again.accessibility).toBe(alone[1]!.accessibility);
        expect(fresh.pid).not.toBe(before);
        const last = fresh.pid!;
        await fresh.close();
        expect(alive(last)).toBe(false);
      } finally {
        await fresh.close();
      }
    } finally {
      await other.close();
      await second.browser.close();
    }
  }, 180_000);
});
