// Latvian throughout: a Latvian text (title and one-line fix) for every axe-core rule of the default tag
// set, every mobile check's detail and every refusal of the check form; Latvian numbers in charts.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../../src/grading/methodology.js';
import { GROUP_LABELS, IMPACT_LABELS, LABELS, MOBILE_CHECK_LABELS, OBSERVED_LABELS, SAMPLE_PAGE_REASONS, mobileDetail, refusalText } from '../../src/report/i18n.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';
import { LATVIAN_RULE_TEXTS } from '../../src/report/model.js';
import { trendChart } from '../../src/report/charts.js';
import { failureText, formatNumber } from '../../src/report/i18n.js';
import { buildReport } from '../../src/report/model.js';
import { renderReportHtml } from '../../src/report/report-html.js';
import type { MobileResult } from '../../src/schema/result.js';

const require = createRequire(import.meta.url);
const axe = require('axe-core') as { getRules(tags?: string[]): { ruleId: string; tags: string[] }[] };

describe('the Latvian catalogue', () => {
  it('has every label of every surface in both languages, in one catalogue (report/i18n.ts)', () => {
    const catalogues = { LABELS, GROUP_LABELS, IMPACT_LABELS, MOBILE_CHECK_LABELS, OBSERVED_LABELS, SAMPLE_PAGE_REASONS };
    const missing = Object.entries(catalogues).flatMap(([name, c]) => Object.entries(c as Record<string, { en?: string; lv?: string }>)
      .flatMap(([key, l]) => (['en', 'lv'] as const).filter((lang) => !l[lang]?.trim()).map((lang) => `${name}.${key}.${lang}`)));
    expect(missing).toEqual([]);
    expect(Object.keys(LABELS).length).toBeGreaterThan(100);
    // The HTML surfaces take their words from the catalogue, not from a language test of their own.
    const surfaces = ['src/report/report-html.ts', 'src/report/charts.ts', 'src/report/pdf.ts', 'src/server/pages.ts'];
    const inline = surfaces.filter((f) => /lang === 'lv' \? ['`][^'`]{3,}/.test(readFileSync(join(ROOT, f), 'utf8'))); // a text, not a language code
    expect(inline).toEqual([]);
  });

  it('has a title and a fix for every rule of the default tag set, and target-size', () => {
    const rules = [...axe.getRules(DEFAULT_METHODOLOGY.axe.tags).filter((r) => !r.tags.includes('experimental') && !r.tags.includes('deprecated')).map((r) => r.ruleId), 'target-size'];
    expect(rules.length).toBeGreaterThan(60);
    expect(rules.filter((id) => !LATVIAN_RULE_TEXTS.help[id])).toEqual([]);
    expect(rules.filter((id) => !LATVIAN_RULE_TEXTS.fix[id])).toEqual([]);
    // Latvian, not English left in place: each has a Latvian letter or word, none is axe-core's English.
    for (const id of rules) expect(LATVIAN_RULE_TEXTS.help[id], id).not.toMatch(/\b(must|should|the)\b/);
  });

  const verdict = (over: Partial<Record<keyof MobileResult, unknown>>): MobileResult => ({
    viewport: { pass: true, blocking: false, source: 'x', detail: 'viewport set for phones, zoom allowed', content: 'width=device-width', zoomDisabled: false },
    fitsScreen: { pass: false, blocking: true, source: 'x', detail: 'content is 801 px wide on a 412 px screen: horizontal scrolling', contentWidth: 801, deviceWidth: 412 },
    legibleText: { pass: true, blocking: false, source: 'x', detail: '3 % of the visible text is smaller than 12 px', smallTextShare: 0.03, textChars: 1000 },
    tapTargets: { pass: false, blocking: false, source: 'x', detail: '2 of 40 tap targets…', total: 10400, tooSmall: 2, examples: [] },
    noPlugins: { pass: true, blocking: false, source: 'x', detail: 'no plugins', count: 0 },
    mobileFriendly: false, score: 70, ...over,
  }) as MobileResult;

  it('says every mobile check\'s detail in Latvian, with Latvian numbers', () => {
    const m = verdict({});
    expect(mobileDetail('lv', 'fitsScreen', m)).toBe('saturs ir 801 px plats 412 px ekrānā: jāritina horizontāli');
    expect(mobileDetail('lv', 'tapTargets', m)).toBe('2 no 10\u00a0400 skārienmērķiem ir mazāki par 24 px un pārblīvēti (WCAG 2.5.8)');
    for (const check of ['viewport', 'fitsScreen', 'legibleText', 'tapTargets', 'noPlugins'] as const) {
      expect(mobileDetail('lv', check, m)).not.toBe(m[check].detail);
      expect(mobileDetail('en', check, m)).toBe(m[check].detail);
    }
  });

  it('says every refusal of the check form in Latvian', () => {
    for (const en of ['give the address of a website, e.g. https://www.example.lv/', 'the address is too long', 'not a web address', 'only http and https addresses can be checked, not ftp',
      'addresses with a user name or password cannot be checked', 'port 22 is not allowed', 'x.lv does not resolve', 'intranet.lv resolves to an internal address',
      'at most 20 checks an hour from one address; try again later', 'at most 2 checks at once from one address; wait for one to finish', 'too many checks are waiting; try again in a few minutes']) {
      expect(refusalText('lv', en), en).not.toBe(en);
      expect(refusalText('en', en)).toBe(en);
    }
  });

  it('writes chart values as the surface writes numbers (51,2 in Latvian)', () => {
    const svg = trendChart('Tendence', ['#1', '#2'], [{ name: 'Piekļūstamība', color: '#000', values: [51.2, 60] }], (v) => formatNumber('lv', v)).markup;
    expect(svg).toContain(': 51,2</title>');
    expect(svg).not.toContain('51.2');
  });
});

describe('failures in Latvian', () => {
  it('what eindex says of a failure reads in Latvian on Latvian surfaces (it read "Neizdevās auditēt: cannot reach …")', () => {
    expect(failureText('lv', 'cannot reach https://x.lv/: the server refused the connection (nothing listens on that port?)'))
      .toBe('nevar sasniegt https://x.lv/: serveris atteica savienojumu (vai šajā portā nekas nedarbojas?)');
    expect(failureText('lv', 'cannot reach https://x.lv/: the page could not be loaded (ERR_HTTP_RESPONSE_CODE_FAILURE)'))
      .toBe('nevar sasniegt https://x.lv/: lapu neizdevās ielādēt (ERR_HTTP_RESPONSE_CODE_FAILURE)');
    expect(failureText('lv', 'page https://x.lv/a did not finish within 60 s')).toBe('lapa https://x.lv/a netika pabeigta 60 s laikā');
    expect(failureText('lv', 'the page redirects in a loop (by script or meta refresh)')).toBe('lapa pāradresē pa apli (ar skriptu vai meta refresh)');
    expect(failureText('en', 'cannot reach https://x.lv/: the server did not answer in time')).toBe('cannot reach https://x.lv/: the server did not answer in time');
    const html = renderReportHtml(buildReport({ run: { id: 1, startedAt: '2026-11-01T01:00:00Z', finishedAt: null, status: 'done', methodologyVersion: DEFAULT_METHODOLOGY.version },
      sites: [{ id: 'x', name: 'X', group: 'ministry', url: 'https://x.lv/', status: 'error', error: 'cannot reach https://x.lv/: the host name does not resolve (is it spelled right?)', result: null }], previous: null }), 'lv');
    expect(html).toContain('nevar sasniegt https://x.lv/: resursdatora nosaukumu neizdodas atrisināt');
    expect(html).not.toContain('cannot reach');
  });
});
