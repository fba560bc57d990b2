// On every W3C ACT test case in the corpus, eindex must report exactly the violations axe-core reports
// when run directly on the page with the same tags and the same emulation. The reference below is the
// plainest direct run: load, inject axe-core's own file into every frame, axe.run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CORPUS, LONG_TIER, runCli, tierSample } from '../helpers.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import { findChromium } from '../../src/gather/browser.js';
import { DEFAULT_METHODOLOGY } from '../../src/grading/methodology.js';
import type { SiteResult } from '../../src/schema/result.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const tags = DEFAULT_METHODOLOGY.axe.tags;
const device = DEFAULT_METHODOLOGY.mobile.device;

describe.skipIf(!CORPUS)('W3C ACT test cases: eindex reports what axe-core reports', () => {
  let site: StaticSite;
  let browser: Browser;
  let cases: { rule: string; expected: string; path: string }[];
  let result: SiteResult;

  beforeAll(async () => {
    site = await serveStatic(join(CORPUS!, 'act', 'www'));
    browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
    // All 338 cases in the long tier; one in four, spread over the rules, in npm test.
    cases = tierSample(readFileSync(join(CORPUS!, 'act', 'expected.tsv'), 'utf8').trim().split('\n').slice(1)
      .map((line) => line.split('\t')).map((c) => ({ rule: c[1]!, expected: c[3]!, path: c[5]! })), 4);
    const out = join(mkdtempSync(join(tmpdir(), 'eindex-act-')), 'act.json');
    const run = await runCli(['audit', '--no-crawl', '--no-lighthouse', '--quiet', '--json', out, ...cases.map((c) => new URL(c.path, site.url).href)], { timeoutMs: 1_200_000 });
    expect(run.stderr).toBe('');
    result = JSON.parse(readFileSync(out, 'utf8'));
  }, 1_300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('audits every test case', () => {
    expect(result.pages.length).toBe(cases.length);
    expect(result.pages.filter((p) => p.status !== 'ok').map((p) => `${p.url}: ${p.error}`)).toEqual([]);
  });

  it('reports exactly the rule violations and nodes of a direct axe-core run, page by page', async () => {
    const context = await browser.newContext({ viewport: { width: device.width, height: device.height }, deviceScaleFactor: device.deviceScaleFactor, isMobile: device.isMobile, hasTouch: device.hasTouch });
    const mismatches: string[] = [];
    let violations = 0;
    const directRun = async (url: string) => {
      const page = await context.newPage();
      try {
        await page.goto(url, { waitUntil: 'load' });
        for (const frame of page.frames()) await frame.addScriptTag({ path: axePath }).catch(() => {});
        for (const frame of page.frames()) await frame.evaluate(() => (window as any).axe?.configure({ allowedOrigins: ['<unsafe_all_origins>'] })).catch(() => {});
        return await page.evaluate(async (values) => {
          const r = await (window as any).axe.run(document, { runOnly: { type: 'tag', values } });
          return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => JSON.stringify(n.target)).sort().join(' ')}`).sort() as string[];
        }, tags);
      } finally {
        await page.close();
      }
    };
    const pages = [...result.pages];
    const worker = async () => {
      for (let p = pages.shift(); p; p = pages.shift()) {
        const direct = await directRun(p.url);
        const ours = p.axe!.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target.map((t) => t.includes(' >>> ') ? t.split(' >>> ') : t))).sort().join(' ')}`).sort();
        violations += ours.length;
        if (JSON.stringify(ours) !== JSON.stringify(direct)) mismatches.push(`${p.url}\n  eindex: ${ours.join(' | ')}\n  direct: ${direct.join(' | ')}`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    await context.close();
    expect(mismatches).toEqual([]);
    expect(violations).toBeGreaterThan(LONG_TIER ? 50 : 12); // the corpus has many failing cases: an empty run is not a pass
  }, 1_200_000);

  it('finds a violation of the case\'s rule on most ACT "failed" cases', () => {
    // Not every ACT failure is in axe's A/AA tag set (and W3C's own record shows axe disagreeing on some),
    // so this is a floor that catches a broken pipeline, not a claim of ACT conformance.
    const byUrl = new Map(result.pages.map((p) => [p.url, p]));
    const failed = cases.filter((c) => c.expected === 'failed');
    const caught = failed.filter((c) => {
      const page = byUrl.get(new URL(c.path, site.url).href);
      return page?.axe?.violations.some((v) => c.rule.split(';').map((s) => s.trim()).includes(v.id));
    });
    expect(caught.length / failed.length).toBeGreaterThan(0.5);
  });
});
