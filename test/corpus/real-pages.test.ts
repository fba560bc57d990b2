// Real pages written elsewhere, with known expectations (../shared/corpus): W3C's before/after demo,
// CSS Zen Garden's fixed-width designs, a responsive Bootstrap site.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditResult, CORPUS, runCli, tierSample } from '../helpers.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';

const audit = (args: string[]) => auditResult(args);
const tmp = mkdtempSync(join(tmpdir(), 'eindex-real-pages-'));

describe.skipIf(!CORPUS)('real pages', () => {
  const served: Record<string, StaticSite> = {};
  beforeAll(async () => {
    for (const name of ['bad', 'zen-garden', 'clean-blog']) served[name] = await serveStatic(join(CORPUS!, name));
  });
  afterAll(async () => {
    await Promise.all(Object.values(served).map((s) => s.close()));
  });

  it('W3C before/after demo: before is graded low, after high or highest; neither is mobile-friendly', async () => {
    const before = await audit(['--no-crawl', `${served.bad!.url}before/template.html`]);
    const after = await audit(['--no-crawl', `${served.bad!.url}after/template.html`]);
    expect(before.grade).toBe('low');
    expect(['high', 'highest']).toContain(after.grade);
    expect(after.accessibilityScore!).toBeGreaterThan(before.accessibilityScore!);
    expect(before.mobileFriendly).toBe(false);
    expect(after.mobileFriendly).toBe(false);
    // Lighthouse agrees on the direction.
    expect(after.pages[0]!.lighthouse!.accessibility!).toBeGreaterThan(before.pages[0]!.lighthouse!.accessibility!);
  });

  for (const lang of ['lv', 'en'] as const) {
    it(`the ${lang} report of W3C's before page passes eindex: mobile-friendly, no serious or critical violation (it was 481 px wide on 412)`, async () => {
      const html = join(tmp, `before-${lang}.html`);
      const run = await runCli(['audit', '--quiet', '--no-lighthouse', '--no-crawl', '--html', html, '--lang', lang, `${served.bad!.url}before/template.html`]);
      expect(run.code, run.stderr).toBe(0);
      const report = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(html)));
      await new Promise<void>((r) => report.listen(0, '127.0.0.1', r));
      try {
        const self = await audit(['--no-crawl', '--no-lighthouse', `http://127.0.0.1:${(report.address() as { port: number }).port}/`]);
        expect(self.mobileFriendly, JSON.stringify(self.pages[0]!.mobile?.fitsScreen)).toBe(true);
        expect(self.pages[0]!.axe!.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      } finally {
        await new Promise((r) => report.close(r));
      }
    });
  }

  it('CSS Zen Garden: (almost) all designs are not mobile-friendly', async () => {
    // Every design in the long tier; one in four in npm test.
    const designs = tierSample(readdirSync(join(CORPUS!, 'zen-garden')).filter((d) => /^\d{3}$/.test(d)).sort(), 4);
    const r = await audit(['--no-crawl', '--no-lighthouse', ...designs.map((d) => `${served['zen-garden']!.url}${d}/`)]);
    const ok = r.pages.filter((p) => p.status === 'ok');
    expect(ok.length).toBe(designs.length);
    const friendly = ok.filter((p) => p.mobile!.mobileFriendly);
    expect(friendly.length / ok.length).toBeLessThan(0.05);
    expect(r.mobileFriendly).toBe(false);
  }, 600_000); // a hundred designs: about 100 s alone on 2 cores, more beside another suite

  it('the responsive Bootstrap blog is mobile-friendly on every page', async () => {
    const r = await audit(['--no-lighthouse', served['clean-blog']!.url]);
    expect(r.pages.length).toBeGreaterThanOrEqual(4);
    expect(r.pages.every((p) => p.status === 'ok' && p.mobile!.mobileFriendly)).toBe(true);
    expect(r.mobileFriendly).toBe(true);
  });
});
