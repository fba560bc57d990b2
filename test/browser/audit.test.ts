// The audit command end to end: the real CLI, real Chromium, fixture sites served on 127.0.0.1.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import { siteResultSchema, type SiteResult } from '../../src/schema/result.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-audit-'));
const sites: Record<string, StaticSite> = {};

async function audit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; result: SiteResult }> {
  const json = join(tmp, `${Math.random().toString(36).slice(2)}.json`);
  const run = await runCli(['audit', '--quiet', '--json', json, ...args]);
  // Nothing on standard error but the one line --fail-under says when the grade is below it.
  expect(run.stderr.split('\n').filter((l) => l && !l.startsWith('eindex: --fail-under ')), run.stderr).toEqual([]);
  const result = siteResultSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
  return { ...run, result };
}

beforeAll(async () => {
  for (const name of ['accessible', 'inaccessible', 'fixed-width', 'no-viewport', 'hostile']) {
    sites[name] = await serveStatic(join(FIXTURES, name));
  }
});
afterAll(async () => {
  await Promise.all(Object.values(sites).map((s) => s.close()));
});

describe('an accessible, responsive site', () => {
  let r: SiteResult;
  let stdout: string;
  beforeAll(async () => {
    ({ result: r, stdout } = await audit(['--html', join(tmp, 'accessible.html'), sites.accessible!.url]));
  });

  it('earns the highest grade, is mobile-friendly and links its accessibility statement', () => {
    expect(r.grade).toBe('highest');
    expect(r.gradeLabel?.lv).toBe('Visaugstākā atbilstība');
    expect(r.mobileFriendly).toBe(true);
    expect(r.mobileScore).toBe(100);
    expect(r.accessibilityStatement).toMatchObject({ found: true, linkText: 'Piekļūstamības paziņojums' });
    expect(stdout).toContain('HIGHEST');
  });

  it('samples the start page, the statement, linked and sitemap-only pages, not robots-disallowed ones', () => {
    const paths = r.pages.map((p) => new URL(p.url).pathname);
    expect(paths[0]).toBe('/');
    expect(paths).toContain('/pieklustamibas-pazinojums.html');
    expect(paths).toContain('/tikai-karte.html');
    expect(r.pages.find((p) => p.url.endsWith('/tikai-karte.html'))?.source).toBe('sitemap');
    expect(paths.some((p) => p.startsWith('/private/'))).toBe(false);
    expect(r.discovery.excluded.map((e) => new URL(e.url).pathname)).toContain('/private/ieksejais.html');
    expect(r.discovery.robotsTxt).toBe('found');
    // The tracking parameter on a link does not make a second page of /pakalpojumi/iesniegums.html.
    expect(paths.filter((p) => p === '/pakalpojumi/iesniegums.html')).toHaveLength(1);
    expect(new Set(r.pages.map((p) => p.url)).size).toBe(r.pages.length);
  });

  it('lists the linked PDF as a document and never loads it as a page', () => {
    expect(r.discovery.documents.map((d) => [new URL(d.url).pathname, d.type])).toEqual([['/dokumenti/gada-parskats.pdf', 'pdf']]);
    expect(r.pages.some((p) => p.url.endsWith('.pdf'))).toBe(false);
  });

  it('runs Lighthouse in snapshot mode on the same page and records the emulation and tool versions', () => {
    for (const p of r.pages) {
      expect(p.status).toBe('ok');
      expect(p.lighthouse?.accessibility).toBe(100);
      expect(p.lighthouse?.audits.viewport?.score).toBe(1);
    }
    expect(r.emulation).toMatchObject({ width: 412, isMobile: true });
    expect(r.tool.lighthouse).toMatch(/^12\.8\./);
    expect(r.tool.axeCore).toMatch(/^4\./);
  });

  it('writes a self-contained HTML report', () => {
    const html = readFileSync(join(tmp, 'accessible.html'), 'utf8');
    expect(html).toContain('Highest compliance'); // the report's own institution section (--lang lv: Latvian)
    expect(html).toContain('Every page audited');
    expect(html).not.toMatch(/<script/i);
  });
});

describe('an inaccessible site', () => {
  let r: SiteResult;
  let code: number | null;
  let stderr = '';
  beforeAll(async () => {
    ({ result: r, code, stderr } = await audit(['--no-lighthouse', '--fail-under', 'high', sites.inaccessible!.url]));
  });

  it('is graded low, with every violation kept with impact, WCAG criteria and nodes', () => {
    expect(r.grade).toBe('low');
    const home = r.pages[0]!;
    const alt = home.axe!.violations.find((v) => v.id === 'image-alt')!;
    expect(alt.impact).toBe('critical');
    expect(alt.wcag).toContain('1.1.1');
    expect(alt.nodes.map((n) => n.html)).toContain('<img src="/banner.png">');
    expect(home.axe!.violations.map((v) => v.id)).toEqual(expect.arrayContaining(['button-name', 'label', 'color-contrast', 'html-has-lang', 'meta-viewport']));
    expect(r.summary.topProblems[0]!.impact).toBe('critical');
  });

  it('exits 1 under --fail-under, with the line that says which grade, which was required and why', () => {
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^eindex: --fail-under high: the site is graded low \(not highest: score [\d.]+ < 95, .*\)$/);
  });

  it('is not mobile-friendly: tiny text, crowded small targets; disabled zoom reported and graded by axe-core', () => {
    const m = r.pages[0]!.mobile!;
    // Lighthouse's viewport audit passes a tag with a width; the zoom limit is an accessibility failure,
    // which axe-core's meta-viewport rule counts in the grade.
    expect(m.viewport).toMatchObject({ pass: true, zoomDisabled: true, blocking: false });
    expect(r.pages[0]!.axe!.violations.map((v) => v.id)).toContain('meta-viewport');
    expect(m.legibleText.pass).toBe(false);
    expect(m.tapTargets.tooSmall).toBeGreaterThan(2);
    expect(r.mobileFriendly).toBe(false);
  });
});

describe('mobile layouts', () => {
  it('a fixed-width design with a viewport meta is judged against the device width, not innerWidth', async () => {
    const { result: r } = await audit(['--no-lighthouse', '--no-crawl', sites['fixed-width']!.url]);
    const m = r.pages[0]!.mobile!;
    expect(m.viewport.pass).toBe(true);
    expect(m.fitsScreen).toMatchObject({ pass: false, deviceWidth: 412 });
    expect(m.fitsScreen.contentWidth).toBeGreaterThanOrEqual(800);
    expect(m.legibleText.pass).toBe(false);
    expect(r.mobileFriendly).toBe(false);
  });

  it('a page without a viewport meta is laid out 980 px wide and fails', async () => {
    const { result: r } = await audit(['--no-lighthouse', '--no-crawl', sites['no-viewport']!.url]);
    const m = r.pages[0]!.mobile!;
    expect(m.viewport).toMatchObject({ pass: false, content: null });
    expect(m.fitsScreen.pass).toBe(false);
    expect(m.fitsScreen.contentWidth).toBeGreaterThanOrEqual(980);
    expect(r.mobileFriendly).toBe(false);
  });
});

describe('faults and bad input', () => {
  it('a page that spins forever is stopped by its deadline; the other pages are audited; exit 0', async () => {
    const base = sites.hostile!.url;
    const started = Date.now();
    const { result: r, code } = await audit(['--no-lighthouse', '--no-crawl', '--page-timeout', '8', `${base}spin.html`, base, `${base}missing.html`]);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const byPath = Object.fromEntries(r.pages.map((p) => [new URL(p.url).pathname, p]));
    expect(byPath['/spin.html']).toMatchObject({ status: 'error', errorCode: 'timeout' });
    expect(byPath['/missing.html']).toMatchObject({ status: 'error', errorCode: 'http', httpStatus: 404 });
    expect(byPath['/']!.status).toBe('ok');
  });

  it('hostile page content is escaped in the HTML report', async () => {
    const html = join(tmp, 'hostile.html');
    const { result: r } = await audit(['--no-lighthouse', '--no-crawl', '--html', html, sites.hostile!.url]);
    expect(r.pages[0]!.title).toContain('<script>');
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/<img src=x/i);
    expect(text).not.toContain('href="javascript:');
    expect(text).toContain('&lt;script&gt;window.pwned=1');
  });

  it.each([
    [['audit', 'not a url'], /invalid URL/],
    [['audit', 'ftp://example.lv/'], /unsupported URL scheme "ftp"/],
    [['audit'], /missing required argument 'url'/],
    [['audit', 'https://x.lv', '--max-pages', 'zero'], /--max-pages must be/],
    [['audit', 'https://x.lv', '--fail-under', 'best'], /--fail-under must be one of/],
    [['audit', 'https://x.lv', '--bogus'], /unknown option '--bogus'/],
    [['nonsense'], /unknown command/],
  ])('bad input %j: one line, exit 2, no stack trace', async (args, message) => {
    const run = await runCli(args as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message as RegExp);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a site that cannot be reached at all: one line, exit 2', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const run = await runCli(['audit', '--no-lighthouse', '--quiet', `http://127.0.0.1:${port}/`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
