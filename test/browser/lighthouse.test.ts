// Our Lighthouse shortcut (snapshot mode on the already loaded page, no machine benchmark, no full-page
// screenshot) must give the same accessibility score as Lighthouse's own navigation run with its mobile
// defaults. Run on the fixture pages and, when present, on real pages of the corpus.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { navigation } from 'lighthouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, CORPUS, FIXTURES, tierSample, waitFor } from '../helpers.js';
import { launchBrowser, type LaunchedBrowser } from '../../src/gather/browser.js';
import { LighthouseRunner } from '../../src/gather/lighthouse.js';
import { runAxe } from '../../src/gather/axe.js';
import { buildGovukSite, buildUswdsSite, USWDS_PAGES } from '../../src/bench/design-systems.js';
import { newAuditContext } from '../../src/gather/page.js';
import { defaultAuditOptions } from '../../src/audit/options.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';

let launched: LaunchedBrowser;
let runner: LighthouseRunner;
const served: StaticSite[] = [];
const designSystems: StaticSite[] = [];
const built: string[] = [];

beforeAll(async () => {
  launched = await launchBrowser({ lighthouse: true });
  runner = new LighthouseRunner(launched.debuggingUrl!);
  for (const name of ['accessible', 'inaccessible', 'fixed-width', 'no-viewport']) served.push(await serveStatic(join(FIXTURES, name)));
  if (CORPUS) {
    served.push(await serveStatic(join(CORPUS, 'bad')));
    served.push(await serveStatic(join(CORPUS, 'clean-blog')));
  }
  // Real government design systems, built from their npm packages: large DOMs and real JavaScript.
  built.push(buildGovukSite(), buildUswdsSite());
  designSystems.push(await serveStatic(built[0]!), await serveStatic(built[1]!));
});
afterAll(async () => {
  await runner?.close();
  await launched?.browser.close();
  await Promise.all([...served, ...designSystems].map((s) => s.close()));
  for (const dir of built) rmSync(dir, { recursive: true, force: true });
});

/** Lighthouse on a page as eindex audits it: with `shared`, its accessibility audits read eindex's axe run. */
async function snapshotScore(url: string, measureBenchmark: boolean, on: { browser: LaunchedBrowser; runner: LighthouseRunner } = { browser: launched, runner }, shared = false) {
  const o = defaultAuditOptions();
  const emulation = { device: 'd', ...o.methodology.mobile.device };
  const context = await newAuditContext(on.browser.browser, { emulation, userAgent: o.userAgent, headers: {}, ignoreHttpsErrors: false });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    on.runner.measureBenchmark = measureBenchmark;
    const accessibility = shared ? (await runAxe(page, o.axeTags, { lighthouse: true })).lighthouseArtifact : null;
    return { ...(await on.runner.audit(page, { accessibility })), frames: page.frames().length };
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
  // Every page in the long tier; one in three, spread over the kinds, in npm test.
  const pages = () => tierSample([
    ...served.slice(0, 4).map((s) => s.url),
    ...(CORPUS ? [`${served[4]!.url}before/template.html`, `${served[4]!.url}after/template.html`, `${served[5]!.url}index.html`, `${served[5]!.url}post.html`] : []),
    `${designSystems[0]!.url}index.html`, `${designSystems[0]!.url}apply.html`,
    ...USWDS_PAGES.slice(0, 3).map((p) => `${designSystems[1]!.url}${p.split('/')[0]}/`),
  ], 3);
  it('on every page', async () => {
    const rows: string[] = [];
    let sharedPages = 0;
    for (const url of pages()) {
      const shared = await snapshotScore(url, false, undefined, true);
      const fast = await snapshotScore(url, false);
      const measured = await snapshotScore(url, true);
      const nav = await navigationScore(url);
      rows.push(`${url} shared=${shared.accessibility} (${shared.accessibilityFrom}) snapshot=${fast.accessibility} benchmarked=${measured.accessibility} navigation=${nav}`);
      expect(fast.error).toBeUndefined();
      expect(fast.accessibilityFrom).toBe('lighthouse-axe-run');
      expect(fast.accessibility, rows.join('\n')).toBe(nav);
      expect(measured.accessibility).toBe(fast.accessibility);
      expect(fast.audits).toEqual(measured.audits);
      // One axe run serves both: the same score and mobile audits as Lighthouse's own axe run. A page
      // with frames is left to Lighthouse's own run (its axe-core never reaches into frames; ours does).
      expect(shared.accessibilityFrom, rows.join('\n')).toBe(shared.frames > 1 ? 'lighthouse-axe-run' : 'eindex-axe-run');
      expect(shared.accessibility, rows.join('\n')).toBe(nav);
      expect(shared.audits).toEqual(fast.audits);
      if (shared.frames === 1) sharedPages++;
    }
    expect(new Set(rows.map((r) => r.split(' ')[1])).size).toBeGreaterThan(1); // the pages really differ
    expect(sharedPages).toBeGreaterThanOrEqual(pages().length - 1);
    console.log(rows.join('\n'));
  }, 1_200_000);
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
