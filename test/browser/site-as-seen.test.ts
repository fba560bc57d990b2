// The site its visitors see, on sites built at test time (test/built-sites.ts): frames audited frame by
// frame within the page's budget, links read where the browser has them (shadow roots, custom elements),
// a meta-refresh root followed, a sample made after WCAG-EM (common pages, templates, forms, languages,
// a seeded random part), and a statement recognised by what it says.
import { mkdtempSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditResult, runCli } from '../helpers.js';
import type { SiteResult } from '../../src/schema/result.js';
import { framesPages, gcdsSite, municipalitySite, serveSite, type BuiltSite } from '../built-sites.js';
import { selectedRules } from '../../src/gather/axe.js';
import { DEFAULT_METHODOLOGY } from '../../src/grading/methodology.js';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const path = (u: string) => new URL(u).pathname;

describe('a frame that fails to load', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await serveSite(new Map([['/', `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>Map</title></head>
<body><main><h1>Where we are</h1><iframe title="Map" src="http://127.0.0.1:9/map"></iframe></main></body></html>`]]));
  });
  afterAll(() => site.close());

  it('is skipped, not audited: the browser\'s error page is not the site\'s content', async () => {
    const r = await auditResult(['--no-crawl', '--no-lighthouse', site.url]);
    const frames = r.pages[0]!.axe!.frames!;
    expect(frames).toEqual([{ url: 'http://127.0.0.1:9/map', status: 'skipped', reason: 'failed to load' }]);
  });
});

describe('a redirect loop by script', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    const page = (to: string) => `<!doctype html><html lang="en"><title>Moving</title><script>location.href = '${to}'</script></html>`;
    // A router that rewrites its own address on load (replaceState, pushState) is no loop: no document is asked for.
    const router = `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>App</title></head><body><main><h1>App</h1></main>
<script>for (let i = 0; i < 5; i++) { history.replaceState(null, '', location.href); history.pushState({ i }, '', location.pathname); }</script></body></html>`;
    site = await serveSite(new Map([['/j1', page('/j2')], ['/j2', page('/j1')], ['/app', router]]));
  });
  afterAll(() => site.close());

  it('is said at once as a loop, not at the page budget (was: "did not finish within 60 s")', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'eindex-loop-')), 'loop.json');
    const run = await runCli(['audit', '--quiet', '--no-crawl', '--no-lighthouse', '--page-timeout', '60', '--json', json, `${site.url}j1`]);
    expect(run.code).toBe(2); // nothing audited: not graded
    const page = (JSON.parse(readFileSync(json, 'utf8')) as SiteResult).pages[0]!;
    expect(page).toMatchObject({ status: 'error', errorCode: 'redirect-loop' });
    expect(page.durationMs).toBeLessThan(20_000);
    const app = await auditResult(['--no-crawl', '--no-lighthouse', `${site.url}app`]);
    expect(app.pages[0]).toMatchObject({ status: 'ok', title: 'App' });
  });
});

describe('a page of example iframes, nine of them lazy', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await serveSite(framesPages());
  });
  afterAll(() => site.close());

  it('is audited in seconds with every frame\'s content, as axe-core run across the frames finds it', async () => {
    const r = await auditResult(['--no-crawl', '--page-timeout', '60', site.url]);
    const page = r.pages[0]!;
    expect(page.status, page.error).toBe('ok');
    // The page's own time, Lighthouse included (was: "did not finish within 60 s"; 2-6 s here alone).
    expect(page.durationMs).toBeLessThan(15_000);
    // Where that time went: each step timed, within the page's time.
    const t = page.timings!;
    for (const step of ['load', 'read', 'axe', 'mobile', 'lighthouse'] as const) expect(t[step], step).toBeGreaterThan(0);
    expect(Object.values(t).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(page.durationMs);
    expect(page.axe!.frames!.filter((f) => f.status === 'audited').map((f) => path(f.url)).sort()).toEqual([...Array(10).fill('/example.html'), '/resizing.html']);
    expect(page.lighthouse?.accessibility).not.toBeNull();

    // The reference: axe-core's own run over every frame (axe injected into each loaded frame, axe.run
    // from the top), with the same rules.
    const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
      const tab = await context.newPage();
      await tab.goto(site.url, { waitUntil: 'load' });
      await tab.evaluate(() => document.querySelectorAll('iframe').forEach((f) => (f.loading = 'eager')));
      await tab.waitForFunction(() => [...document.querySelectorAll('iframe')].every((f) => f.contentDocument?.readyState === 'complete' && f.contentDocument.URL !== 'about:blank'));
      const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
      for (const frame of tab.frames()) await frame.evaluate(source);
      const rules = [...selectedRules({ tags: DEFAULT_METHODOLOGY.axe.tags, rules: { 'target-size': true } })];
      const expected = await tab.evaluate(async (values) => {
        const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
        const res = await axe.run(document, { runOnly: { type: 'rule', values } });
        return res.violations.filter((v) => v.id !== 'target-size').flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}`)).sort();
      }, rules);
      const ours = page.axe!.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}`)).sort();
      expect(ours).toEqual(expected);
      expect(ours.filter((v) => v.startsWith('image-alt'))).toHaveLength(10); // one in each example frame
    } finally {
      await browser.close();
    }
  });
});

describe('a bilingual site built from web components behind a meta-refresh root', () => {
  let site: BuiltSite;
  let r: Awaited<ReturnType<typeof auditResult>>;
  beforeAll(async () => {
    const { pages, assets } = gcdsSite();
    site = await serveSite(pages, assets);
    r = await auditResult(['--no-lighthouse', '--seed', '11', site.url]);
  });
  afterAll(() => site.close());

  it('follows the meta refresh: the page it lands on is the home page', () => {
    expect(r.pages[0]).toMatchObject({ reason: 'home', status: 'ok' });
    expect(path(r.pages[0]!.finalUrl!)).toBe('/en/');
  });

  it('finds the links inside the components and samples both languages in full', () => {
    expect(r.sample.complete).toBe(true);
    expect(r.pages).toHaveLength(10);
    const paths = r.pages.map((p) => path(p.finalUrl ?? p.url));
    expect(paths.some((p) => p.startsWith('/fr/'))).toBe(true);
    expect(r.pages.find((p) => p.reason === 'language')).toBeDefined();
    expect(paths.some((p) => /^\/en\/(services|news)\/\d\/$/.test(p))).toBe(true);
  });

  it('recognises the statement linked only as "Accessibility" in the footer\'s shadow root', () => {
    expect(r.accessibilityStatement).toMatchObject({ found: true, linkText: 'Accessibility' });
    expect(path(r.accessibilityStatement.url!)).toBe('/en/accessibility/');
    expect(r.pages.find((p) => p.reason === 'statement')).toBeDefined();
  });
});

describe('a municipality of 38 pages in five templates', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await serveSite(municipalitySite());
  });
  afterAll(() => site.close());

  it('the default sample: the home page, every common page, each template, a form, a table, the English version, the random part', async () => {
    const r = await auditResult(['--no-lighthouse', '--seed', '3', site.url]);
    const byReason = Object.fromEntries(r.pages.map((p) => [p.reason, path(p.url)]));
    // The size the site needs (methodology sample.size): its structured part and a quarter at random.
    expect(r.pages.length).toBeGreaterThanOrEqual(10);
    expect(r.sample.planned).toBe(r.pages.length);
    expect(r.sample.confidence).toMatchObject({ exploredAll: true, templatesAudited: r.sample.templates, pagesCovered: 1 });
    expect(byReason).toMatchObject({
      home: '/', statement: '/pieklustamiba/', contact: '/kontakti/', privacy: '/privatuma-politika/', sitemap: '/vietnes-karte/',
      language: expect.stringMatching(/^\/en\//), table: expect.stringMatching(/^\/statistika\/.+/),
    });
    expect(['/pakalpojumi/1/', '/pakalpojumi/2/']).toContain(byReason.form);
    expect(r.pages.filter((p) => p.reason === 'random').length).toBeGreaterThanOrEqual(Math.ceil(r.pages.length * 0.25) - 1);
    // Each template has a page: the home page, an index of cards, an article, a form, a table.
    const paths = r.pages.map((p) => path(p.url));
    expect(paths.some((p) => ['/pakalpojumi/', '/jaunumi/', '/par-novadu/', '/statistika/'].includes(p))).toBe(true);
    expect(r.sample.templates).toBeGreaterThanOrEqual(5);
    expect(new Set(r.sample.pages!.map((p) => p.template)).size).toBeGreaterThanOrEqual(5);
    expect(r.sample.seed).toBe(3);
    expect(r.sample.makeup).toMatch(/seed 3$/);
    expect(r.accessibilityStatement).toMatchObject({ found: true, linkText: 'Piekļūstamība' });
    expect(r.grade, `${r.gradeReason} ${JSON.stringify(r.summary.topProblems.map((t) => [t.id, t.example.url]))}`).toBe('highest');

    // The same seed, the same sample; the structured part does not depend on the seed.
    const again = await auditResult(['--no-lighthouse', '--seed', '3', site.url]);
    expect(again.pages.map((p) => `${p.reason} ${p.url}`).sort()).toEqual(r.pages.map((p) => `${p.reason} ${p.url}`).sort());
    const other = await auditResult(['--no-lighthouse', '--seed', '4', site.url]);
    expect(other.pages.filter((p) => p.reason !== 'random').map((p) => p.url).sort()).toEqual(r.pages.filter((p) => p.reason !== 'random').map((p) => p.url).sort());
  });
});

describe('one page under several URLs', () => {
  it('"/" and "/index.html", and a page whose canonical link drops a parameter, are one page each; the whole site says so', async () => {
    const page = (title: string, extra = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${extra}</head><body><main><h1>${title}</h1><p><a href="/index.html">Home</a> <a href="/news?sort=asc">News</a> <a href="/news">News again</a></p></main></body></html>`;
    const pages = new Map([['/', page('Home')], ['/index.html', page('Home')], ['/news', page('News', '<link rel="canonical" href="/news">')]]);
    const server = await serveSite(pages);
    // The server answers /news?sort=asc with the same page, which names /news as its own.
    try {
      const r = await auditResult(['--no-lighthouse', '--max-pages', '5', server.url]);
      expect(r.pages.map((p) => path(p.url) + new URL(p.url).search).sort()).toEqual(['/', '/news']);
      expect(r.sample).toMatchObject({ complete: true, wholeSite: true, statement: 'Sample complete: the whole site (2 pages).' });
    } finally {
      await server.close();
    }
  });
});
