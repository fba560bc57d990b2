import { describe, expect, it } from 'vitest';
import { gradeSite, pageAccessibilityScore, siteAccessibilityScore } from '../../src/grading/accessibility.js';
import { missChance, pageWeights } from '../../src/grading/sample.js';
import { DEFAULT_METHODOLOGY as m, parseMethodology } from '../../src/grading/methodology.js';
import { mobileVerdicts, parseViewport, siteMobile, type MobileFacts } from '../../src/checks/mobile.js';
import { describeSample } from '../../src/grading/sample.js';
import { isStatementLink } from '../../src/checks/statement.js';
import type { AxeResult, AxeRuleResult } from '../../src/schema/result.js';

const rule = (id: string, impact: AxeRuleResult['impact'], nodes: number): AxeRuleResult => ({
  id, impact, description: '', help: '', helpUrl: '', tags: [], wcag: [],
  nodes: Array.from({ length: nodes }, (_, i) => ({ target: [`#n${i}`], html: '<x>' })),
});
const axe = (violations: AxeRuleResult[], passes: [string, AxeRuleResult['impact'], number][]): AxeResult => ({
  version: '4', tags: [], violations, needsReview: [], inapplicable: [],
  passes: passes.map(([id, impact, nodes]) => ({ id, impact, nodes })),
});

describe('accessibility score', () => {
  it('is 100 when every applicable rule passes and null when none applied', () => {
    expect(pageAccessibilityScore(axe([], [['image-alt', 'critical', 3], ['list', 'serious', 1]]), m)).toBe(100);
    expect(pageAccessibilityScore(axe([], []), m)).toBeNull();
  });
  it('weighs a failing rule by impact, and by how many of its elements fail', () => {
    const passes: [string, AxeRuleResult['impact'], number][] = [['list', 'serious', 1], ['image-alt', 'critical', 9]];
    const oneBadImage = pageAccessibilityScore(axe([rule('image-alt', 'critical', 1)], passes), m)!;
    const allBadImages = pageAccessibilityScore(axe([rule('image-alt', 'critical', 30)], [['list', 'serious', 1]]), m)!;
    const minorIssue = pageAccessibilityScore(axe([rule('x', 'minor', 1)], passes), m)!;
    // image-alt (10) + list (7): 9 of 10 images pass → 10 × 0.5 × 0.9 + 7 = 11.5 of 17.
    expect(oneBadImage).toBeCloseTo((100 * 11.5) / 17, 1);
    expect(allBadImages).toBeLessThan(oneBadImage);
    expect(minorIssue).toBeGreaterThan(oneBadImage);
  });
  it('site score is the mean over pages that could be scored', () => {
    expect(siteAccessibilityScore([100, 80, null, undefined])).toBe(90);
    expect(siteAccessibilityScore([])).toBeNull();
  });
});

describe('grading', () => {
  const g = (score: number | null, worstImpact: 'critical' | 'serious' | 'moderate' | null, criticalRules = 0, statementFound = true) =>
    gradeSite({ score, worstImpact, criticalRules, statementFound }, m).grade;
  it('never gives highest with a critical or serious violation, nor without a statement', () => {
    expect(g(99, null)).toBe('highest');
    expect(g(99, 'moderate')).toBe('highest');
    expect(g(99, 'serious')).toBe('high');
    expect(g(99, 'critical', 1)).toBe('medium');
    expect(g(99, null, 0, false)).toBe('high');
  });
  it('two kinds of critical violation, or a low score, make low', () => {
    expect(g(90, 'critical', 2)).toBe('low');
    expect(g(69, 'moderate')).toBe('low');
    expect(g(84, 'moderate')).toBe('medium');
  });
  it('explains a grade and refuses to grade nothing', () => {
    expect(gradeSite({ score: 99, worstImpact: 'serious', criticalRules: 0, statementFound: false }, m).reason).toMatch(/serious violations present, no accessibility statement/);
    expect(gradeSite({ score: null, worstImpact: null, criticalRules: 0, statementFound: true }, m).grade).toBeNull();
  });
  it('the methodology file is validated', () => {
    expect(() => parseMethodology({ ...m, version: 3 })).toThrow();
    expect(parseMethodology(JSON.parse(JSON.stringify(m))).version).toBe(m.version);
  });
});

describe('mobile verdicts', () => {
  const good: MobileFacts = { viewportContent: 'width=device-width, initial-scale=1', contentWidth: 412, textCharsByFontPx: { 16: 1000, 11: 50 }, targets: { checked: 20, failing: 0, examples: [] }, plugins: 0 };
  it('a fitting page with legible text and sized targets is mobile-friendly with 100', () => {
    expect(mobileVerdicts(good, m)).toMatchObject({ mobileFriendly: true, score: 100 });
  });
  it('each blocking failure fails the page and lowers the score', () => {
    const cases: Partial<MobileFacts>[] = [
      { viewportContent: null }, { viewportContent: 'initial-scale=0.5' }, { viewportContent: 'width=1024', contentWidth: 1024 },
      { contentWidth: 980 }, { textCharsByFontPx: { 10: 800, 16: 200 } }, { targets: { checked: 10, failing: 5, examples: [] } }, { plugins: 1 },
    ];
    for (const c of cases) {
      const v = mobileVerdicts({ ...good, ...c }, m);
      expect(v.mobileFriendly, JSON.stringify(c)).toBe(false);
      expect(v.score, JSON.stringify(c)).toBeLessThan(100);
    }
  });
  it('a few crowded targets fail the check (as axe-core and Lighthouse say) and cost score, but do not block', () => {
    const v = mobileVerdicts({ ...good, targets: { checked: 15, failing: 2, examples: ['<a>Cookies</a>'] } }, m);
    expect(v.tapTargets).toMatchObject({ pass: false, blocking: false, total: 15, tooSmall: 2, source: 'axe-core target-size (WCAG 2.5.8)' });
    expect(v.mobileFriendly).toBe(true);
    expect(v.score).toBeLessThan(100);
    expect(mobileVerdicts({ ...good, targets: { checked: 15, failing: 4, examples: [] } }, m).mobileFriendly).toBe(false);
  });
  it('content a little wider than the screen fits (the phone zooms out imperceptibly); a fixed layout does not', () => {
    expect(mobileVerdicts({ ...good, contentWidth: 421 }, m).fitsScreen.pass).toBe(true);
    expect(mobileVerdicts({ ...good, contentWidth: 434 }, m).fitsScreen.pass).toBe(false);
  });
  it("Lighthouse's viewport and font-size audits are the verdict where Lighthouse ran", () => {
    const v = mobileVerdicts(good, m, { viewport: { score: 1 }, 'font-size': { score: 0 } });
    expect(v.legibleText).toMatchObject({ pass: false, blocking: true, source: 'Lighthouse font-size' });
    expect(v.viewport.source).toBe('Lighthouse viewport');
    // Without Lighthouse, the same rules read from the page: no viewport means text shown zoomed out.
    const none = mobileVerdicts({ ...good, viewportContent: null }, m);
    expect(none.legibleText.pass).toBe(false);
    expect(none.viewport.source).toMatch(/^eindex/);
  });
  it("zoom limits are reported (axe-core's meta-viewport grades them), maximum-scale below 2 counting as disabling", () => {
    const v = mobileVerdicts({ ...good, viewportContent: 'width=device-width, user-scalable=no' }, m);
    expect(v.viewport).toMatchObject({ pass: true, zoomDisabled: true });
    expect(mobileVerdicts({ ...good, viewportContent: 'width=device-width, maximum-scale=1.5' }, m).viewport.zoomDisabled).toBe(true);
    expect(mobileVerdicts({ ...good, viewportContent: 'width=device-width, maximum-scale=5' }, m).viewport.zoomDisabled).toBe(false);
    expect(parseViewport('width = device-width ; initial-scale=1')).toEqual({ width: 'device-width', 'initial-scale': '1' });
  });
  it('a site is mobile-friendly when at least the methodology share of its pages is', () => {
    const ok = mobileVerdicts(good, m);
    const bad = mobileVerdicts({ ...good, contentWidth: 800 }, m);
    expect(m.mobile.site.minFriendlyPageShare).toBe(0.8);
    expect(siteMobile([ok, ok, ok, ok, bad], m).mobileFriendly).toBe(true);
    expect(siteMobile([ok, ok, ok, bad, bad], m).mobileFriendly).toBe(false);
    expect(siteMobile([ok, bad], m).mobileFriendly).toBe(false);
    expect(siteMobile([], m)).toEqual({ mobileFriendly: null, mobileScore: null });
  });
});

describe('the sample, stated', () => {
  const base = { planned: 5, attempted: 5, audited: 5, crawl: true, robotsTxt: 'found' as const, disallowed: 0, deadlineReached: false };
  it('a full sample is complete and the grade stands', () => {
    const { sample, provisional } = describeSample(base, m);
    expect(sample).toMatchObject({ planned: 5, audited: 5, complete: true, reasons: [] });
    expect(provisional).toBe(false);
  });
  it('robots.txt unavailable (5xx): one page of five, the grade provisional, and why', () => {
    const { sample, provisional } = describeSample({ ...base, attempted: 1, audited: 1, robotsTxt: 'error', robotsProblem: 'HTTP 503' }, m);
    expect(sample.complete).toBe(false);
    expect(sample.reasons.map((r) => r.code)).toEqual(['robots-unavailable']);
    expect(sample.statement).toMatch(/1 of 5 planned pages audited.*HTTP 503.*provisional/);
    expect(provisional).toBe(true);
  });
  it('pages disallowed or failed make it provisional below the share; a small site audited whole does not', () => {
    expect(describeSample({ ...base, attempted: 2, audited: 2, disallowed: 7 }, m).provisional).toBe(true);
    expect(describeSample({ ...base, attempted: 5, audited: 2 }, m)).toMatchObject({ provisional: true, sample: { reasons: [{ code: 'pages-failed' }] } });
    expect(describeSample({ ...base, attempted: 5, audited: 3 }, m).provisional).toBe(false); // 60 %: at the line
    const small = describeSample({ ...base, attempted: 2, audited: 2 }, m);
    // The whole site, audited: complete, and said so (it read "Sample incomplete: 2 of 5 planned").
    expect(small).toMatchObject({ provisional: false, sample: { complete: true, wholeSite: true, reasons: [], statement: 'Sample complete: the whole site (2 pages).' } });
    expect(describeSample({ ...base, attempted: 3, audited: 2 }, m).sample).toMatchObject({ complete: false, reasons: [{ code: 'pages-failed' }, { code: 'too-few-pages' }] });
    expect(describeSample({ ...base, attempted: 2, audited: 2, deadlineReached: true }, m).sample.reasons.map((r) => r.code)).toEqual(['deadline']);
  });
  it('one link disallowed by robots.txt does not make a small site audited whole provisional; most of it disallowed does', () => {
    const one = describeSample({ ...base, attempted: 4, audited: 4, disallowed: 1 }, m);
    expect(one).toMatchObject({ provisional: false, sample: { complete: true, wholeSite: true, reasons: [{ code: 'robots-disallowed' }] } });
    expect(one.sample.statement).toBe('Sample complete: the whole site (4 pages; 1 page found is disallowed by robots.txt).');
    expect(describeSample({ ...base, attempted: 2, audited: 2, disallowed: 7 }, m)).toMatchObject({ provisional: true, sample: { wholeSite: true } });
  });
  it('never a one-page whole site from a start page whose links were not read', () => {
    const unread = describeSample({ ...base, attempted: 1, audited: 1, linksRead: false }, m);
    expect(unread).toMatchObject({ provisional: true, sample: { complete: false, reasons: [{ code: 'links-unread' }] } });
    expect(unread.sample.wholeSite).toBeUndefined();
    expect(describeSample({ ...base, attempted: 1, audited: 1, linksRead: true }, m).sample.wholeSite).toBe(true);
  });
  it('nothing audited: no grade, and the line says so', () => {
    expect(describeSample({ ...base, attempted: 1, audited: 0 }, m).sample.statement).toMatch(/^No page could be audited.*No grade\.$/);
  });
});

describe('accessibility statement link', () => {
  it.each([
    ['Piekļūstamības paziņojums', 'https://x.lv/lv/page'],
    ['PIEKĻŪSTAMĪBAS PAZIŅOJUMS', 'https://x.lv/a'],
    ['Paziņojums par piekļūstamību', 'https://x.lv/a'],
    ['Accessibility statement', 'https://x.lv/en/a'],
    ['Read more', 'https://x.lv/pieklustamibas-pazinojums'],
    ['', 'https://x.lv/lv/piek%C4%BC%C5%ABstam%C4%ABbas-pazi%C5%86ojums'],
  ])('%j → %s is a statement link', (text, href) => {
    expect(isStatementLink({ text, href })).toBe(true);
  });
  it.each([['Piekļūstamība', 'https://x.lv/a'], ['Privātuma politika', 'https://x.lv/privatums'], ['Accessibility', 'https://x.lv/a']])('%j is not', (text, href) => {
    expect(isStatementLink({ text, href })).toBe(false);
  });
});

describe('what a sample stands for (methodology 2026.4)', () => {
  const plan = (sizes: [number, number][]) => ({
    seed: 1, explored: sizes.reduce((a, [, n]) => a + n, 0), templates: sizes.length, exploredAll: true, census: false,
    templateSizes: new Map(sizes), templateOf: (u: string) => Number(new URL(u).pathname.split('/')[1]) || null,
  });

  it('a page stands for its template\'s share of the pages explored; a page not audited for nothing', () => {
    const p = plan([[1, 200], [2, 12], [3, 1]]);
    const w = pageWeights([
      { url: 'https://x.lv/1/a', ok: true }, { url: 'https://x.lv/1/b', ok: true }, { url: 'https://x.lv/2/a', ok: true },
      { url: 'https://x.lv/3/a', ok: true }, { url: 'https://x.lv/1/c', ok: false }, { url: 'https://x.lv/x/unread', ok: true },
    ], p);
    expect(w).toEqual([100, 100, 12, 1, 0, 1]);
    expect(pageWeights([{ url: 'https://x.lv/1/a', ok: true }, { url: 'https://x.lv/1/b', ok: false }])).toEqual([1, 0]);
  });

  it('the weighted score: a failing page of a big template weighs more than a perfect page of a small one', () => {
    expect(siteAccessibilityScore([60, 100], [100, 1])).toBe(60.4);
    expect(siteAccessibilityScore([60, 100])).toBe(80);
  });

  it('the chance a failure on a share of the pages is missed: hypergeometric, none for a census', () => {
    expect(missChance(400, 20, 0.05)).toBeCloseTo(Math.pow(380 / 400, 20), 1);
    expect(missChance(400, 20, 0.05)).toBeLessThan(Math.pow(380 / 400, 20));
    expect(missChance(400, 400, 0.01)).toBe(0);
    expect(missChance(100, 1, 0.01)).toBe(0.99);
  });
});
