import { describe, expect, it } from 'vitest';
import { gradeSite, pageAccessibilityScore, siteAccessibilityScore } from '../../src/grading/accessibility.js';
import { DEFAULT_METHODOLOGY as m, parseMethodology } from '../../src/grading/methodology.js';
import { mobileVerdicts, parseViewport, siteMobile, type MobileFacts } from '../../src/checks/mobile.js';
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
  const good: MobileFacts = { viewportContent: 'width=device-width, initial-scale=1', contentWidth: 412, textCharsByFontPx: { 16: 1000, 11: 50 }, targets: { total: 20, tooSmall: 0, examples: [] }, plugins: 0 };
  it('a fitting page with legible text and sized targets is mobile-friendly with 100', () => {
    expect(mobileVerdicts(good, m)).toMatchObject({ mobileFriendly: true, score: 100 });
  });
  it('each failing check fails the page and lowers the score', () => {
    const cases: Partial<MobileFacts>[] = [
      { viewportContent: null }, { viewportContent: 'width=device-width, user-scalable=no' }, { viewportContent: 'width=1024' },
      { contentWidth: 980 }, { textCharsByFontPx: { 10: 800, 16: 200 } }, { targets: { total: 10, tooSmall: 5, examples: [] } }, { plugins: 1 },
    ];
    for (const c of cases) {
      const v = mobileVerdicts({ ...good, ...c }, m);
      expect(v.mobileFriendly, JSON.stringify(c)).toBe(false);
      expect(v.score, JSON.stringify(c)).toBeLessThan(100);
    }
  });
  it('maximum-scale below 2 counts as disabling zoom, as axe-core\'s meta-viewport rule does', () => {
    expect(mobileVerdicts({ ...good, viewportContent: 'width=device-width, maximum-scale=1.5' }, m).viewport.zoomDisabled).toBe(true);
    expect(mobileVerdicts({ ...good, viewportContent: 'width=device-width, maximum-scale=5' }, m).viewport.zoomDisabled).toBe(false);
    expect(parseViewport('width = device-width ; initial-scale=1')).toEqual({ width: 'device-width', 'initial-scale': '1' });
  });
  it('a site is mobile-friendly only when all its audited pages are', () => {
    const ok = mobileVerdicts(good, m);
    const bad = mobileVerdicts({ ...good, contentWidth: 800 }, m);
    expect(siteMobile([ok, ok]).mobileFriendly).toBe(true);
    expect(siteMobile([ok, bad]).mobileFriendly).toBe(false);
    expect(siteMobile([])).toEqual({ mobileFriendly: null, mobileScore: null });
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
