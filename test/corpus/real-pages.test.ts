// Real pages written elsewhere, with known expectations (../shared/corpus): W3C's before/after demo,
// CSS Zen Garden's fixed-width designs, a responsive Bootstrap site.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditResult, CORPUS } from '../helpers.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';

const audit = (args: string[]) => auditResult(args);

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

  it('CSS Zen Garden: (almost) all designs are not mobile-friendly', async () => {
    const designs = readdirSync(join(CORPUS!, 'zen-garden')).filter((d) => /^\d{3}$/.test(d)).sort();
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
