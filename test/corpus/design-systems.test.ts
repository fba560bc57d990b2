// Verdicts on real government design systems (GOV.UK Frontend, USWDS, NHS.UK frontend, the ONS Design
// System), built at test time from their npm packages: each is responsive and WCAG-conscious, so each
// must be mobile-friendly, with eindex's mobile checks agreeing with Lighthouse's and axe-core's own
// measurements on every page. Beside them, pages built for a desktop (no viewport meta, a fixed 960 px
// layout) must not be.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditResult } from '../helpers.js';
import { buildGovukSite, buildNhsSite, buildOnsSite, buildUswdsSite, NHS_PAGES, USWDS_PAGES } from '../../src/bench/design-systems.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import type { PageResult, SiteResult } from '../../src/schema/result.js';

const audit = (args: string[]) => auditResult(args);

/** What Lighthouse and axe-core themselves say about the page's mobile fitness. */
function references(p: PageResult) {
  const lh = p.lighthouse!.audits;
  const targetSize = p.axe!.violations.find((v) => v.id === 'target-size');
  return { viewport: lh.viewport!.score === 1, fontSize: lh['font-size']!.score === 1, lhTargets: lh['target-size']!.score === 1, axeTargets: !targetSize };
}

function expectAgreement(p: PageResult) {
  const ref = references(p);
  const m = p.mobile!;
  expect.soft(m.viewport.pass, `${p.url} viewport`).toBe(ref.viewport);
  expect.soft(m.legibleText.pass, `${p.url} legible text`).toBe(ref.fontSize);
  expect.soft(m.tapTargets.pass, `${p.url} tap targets`).toBe(ref.axeTargets);
  expect.soft(m.tapTargets.pass, `${p.url} tap targets (Lighthouse)`).toBe(ref.lhTargets);
}

function expectAllMobileFriendly(r: SiteResult, pages: number) {
  expect(r.pages.length).toBe(pages);
  for (const p of r.pages) {
    expect(p.status).toBe('ok');
    expectAgreement(p);
    expect.soft(p.mobile!.mobileFriendly, `${p.url}: ${JSON.stringify(p.mobile)}`).toBe(true);
  }
  expect(r.mobileFriendly).toBe(true);
}

describe('government design systems', () => {
  const dirs: string[] = [];
  const served: Record<string, StaticSite> = {};
  let onsPages: string[] = [];
  beforeAll(async () => {
    const govuk = buildGovukSite();
    const uswds = buildUswdsSite();
    const nhs = buildNhsSite();
    const ons = buildOnsSite();
    onsPages = ons.pages;
    const desktop = mkdtempSync(join(tmpdir(), 'eindex-desktop-'));
    // A desktop-only site of the kind the index must not call mobile-friendly.
    writeFileSync(join(desktop, 'index.html'), `<!doctype html><html lang="en"><head><title>Ministry</title>
      <style>body{width:960px;margin:0 auto;font:13px Arial} nav a{margin-right:8px}</style></head>
      <body><a href="#main">Skip to content</a><nav><a href="/">Home</a><a href="/fixed.html">News</a></nav>
      <main id="main"><h1>Ministry of Examples</h1><p>${'Text of a fixed-width desktop page. '.repeat(40)}</p></main></body></html>`);
    writeFileSync(join(desktop, 'fixed.html'), `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>News</title>
      <style>.page{width:960px}</style></head><body><div class="page"><main><h1>News</h1><p>${'A fixed 960 px layout behind a viewport tag. '.repeat(30)}</p></main></div></body></html>`);
    dirs.push(govuk, uswds, nhs, ons.dir, desktop);
    served.govuk = await serveStatic(govuk);
    served.uswds = await serveStatic(uswds);
    served.nhs = await serveStatic(nhs);
    served.ons = await serveStatic(ons.dir);
    served.desktop = await serveStatic(desktop);
  });
  afterAll(async () => {
    await Promise.all(Object.values(served).map((s) => s.close()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('GOV.UK Frontend: every page mobile-friendly, as Lighthouse and axe-core measure it; graded on its merits', async () => {
    const r = await audit([served.govuk!.url, '--max-pages', '4']);
    expectAllMobileFriendly(r, 4);
    expect(r.accessibilityStatement.found).toBe(true);
    expect(r.sample.complete).toBe(true);
    expect(['highest', 'high']).toContain(r.grade);
  });

  it('USWDS page templates: every page mobile-friendly, as Lighthouse and axe-core measure it', async () => {
    const r = await audit(['--no-crawl', ...USWDS_PAGES.map((n) => `${served.uswds!.url}${n.split('/')[0]}/`)]);
    expectAllMobileFriendly(r, USWDS_PAGES.length);
    expect(r.grade).not.toBeNull();
  });

  it('NHS.UK frontend: every page mobile-friendly as the references measure it; no violation, so the highest grade', async () => {
    const r = await audit([served.nhs!.url, '--max-pages', String(NHS_PAGES.length)]);
    expectAllMobileFriendly(r, NHS_PAGES.length);
    expect(r.pages.flatMap((p) => p.axe!.violations.map((v) => `${p.url} ${v.id}`))).toEqual([]);
    expect(r.accessibilityStatement.found).toBe(true);
    expect(r.grade).toBe('highest');
  });

  it('the ONS Design System\'s own full-page examples: every page mobile-friendly as the references measure it', async () => {
    expect(onsPages.length).toBeGreaterThanOrEqual(10);
    const r = await audit(['--no-crawl', '--max-pages', String(onsPages.length), ...onsPages.map((n) => `${served.ons!.url}${n}`)]);
    expectAllMobileFriendly(r, onsPages.length);
    // Heroes on five backgrounds and coloured panels: axe-core finds no contrast failure in the designers' palette.
    expect(r.pages.flatMap((p) => p.axe!.violations.filter((v) => v.id === 'color-contrast').map((v) => `${p.url} ${v.nodes[0]?.target}`))).toEqual([]);
  });

  it('desktop-only pages (no viewport meta; a fixed 960 px layout) are not mobile-friendly', async () => {
    const r = await audit(['--no-crawl', served.desktop!.url, `${served.desktop!.url}fixed.html`]);
    const noViewport = r.pages.find((p) => !p.url.endsWith('fixed.html'));
    const fixed = r.pages.find((p) => p.url.endsWith('fixed.html'));
    expect(noViewport!.mobile!.viewport.pass).toBe(false);
    expect(noViewport!.lighthouse!.audits.viewport!.score).toBe(0);
    expect(fixed!.mobile!.fitsScreen.pass).toBe(false);
    expect(fixed!.mobile!.fitsScreen.contentWidth).toBeGreaterThanOrEqual(960);
    expect(noViewport!.mobile!.mobileFriendly).toBe(false);
    expect(fixed!.mobile!.mobileFriendly).toBe(false);
    expect(r.mobileFriendly).toBe(false);
  });
});
