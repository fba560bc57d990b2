// The report model and its renderers, from site results built by the real grading code (no browser).
import { describe, expect, it } from 'vitest';
import { buildSiteResult } from '../../src/grading/site-result.js';
import { gradeSite } from '../../src/grading/accessibility.js';
import { DEFAULT_METHODOLOGY } from '../../src/grading/methodology.js';
import { buildReport, criterionInfo, type ReportSite } from '../../src/report/model.js';
import { CSV_LOCALES, csvCell, renderInstitutionsCsv } from '../../src/report/csv.js';
import { formatPercent, formatPoints } from '../../src/report/i18n.js';
import { renderReportHtml } from '../../src/report/report-html.js';
import { inView, tableView, type TableView } from '../../src/server/pages.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { observedOn } from '../../src/checks/observed.js';
import { computeIndex } from '../../src/index/compute.js';
import { DEFAULT_INDEX_METHODOLOGY } from '../../src/index/methodology.js';
import { parseSurvey } from '../../src/index/survey.js';
import type { Impact } from '../../src/schema/result.js';
import type { Group } from '../../src/targets/targets.js';

type V = { id: string; impact: Impact; wcag: string[]; nodes?: number };

function site(id: string, group: Group, o: { violations?: V[]; statement?: boolean; wide?: boolean; name?: string; pages?: number } = {}): ReportSite {
  const url = `https://${id}.example.lv/`;
  const result = buildSiteResult({
    url, startedAt: new Date('2026-11-01T01:00:00Z'), finishedAt: new Date('2026-11-01T01:01:00Z'),
    tool: { name: 'eindex', version: '0', axeCore: '4', lighthouse: null, browser: 'x', playwright: '1' },
    emulation: { device: 'd', width: 412, height: 823, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
    axeTags: ['wcag2a'], statement: { found: !!o.statement, url: o.statement ? `${url}pieklustamiba` : null, linkText: null, foundOn: null },
    discovery: { robotsTxt: 'none', sitemaps: [], sitemapUrls: 0, linksSeen: 0, documents: [], excluded: [], notes: [] },
    sample: { planned: o.pages ?? 1, crawl: true, robotsTxt: 'none', disallowed: 0, deadlineReached: false },
    observed: observedOn([{ href: 'https://www.facebook.com/iestade', text: 'Facebook' }, { href: 'https://data.gov.lv/dati/lv/organization/iestade', text: 'Atvērtie dati' }]),
    pages: Array.from({ length: o.pages ?? 1 }, (_, n) => ({
      candidate: { url: n ? `${url}p${n}` : url, source: n ? 'link' : 'start', depth: n ? 1 : 0 }, links: [], durationMs: 5,
      axe: { version: '4', tags: [], needsReview: [], inapplicable: [], passes: [{ id: 'list', impact: 'serious', nodes: 3 }, { id: 'image-alt', impact: 'critical', nodes: 3 }],
        violations: (o.violations ?? []).map((v) => ({ id: v.id, impact: v.impact, description: v.id, help: `help for ${v.id}`, helpUrl: `https://dequeuniversity.com/rules/axe/4.14/${v.id}`,
          tags: v.wcag.map((sc) => `wcag${sc.replace(/\./g, '')}`), wcag: v.wcag, nodes: Array.from({ length: v.nodes ?? 1 }, (_, i) => ({ target: [`#n${i}`], html: `<b id="n${i}">` })) })) },
      mobileFacts: { viewportContent: o.wide ? null : 'width=device-width, initial-scale=1', contentWidth: o.wide ? 980 : 412, textCharsByFontPx: { 16: 100 }, targets: { checked: 0, failing: 0, examples: [] }, plugins: 0 },
    })),
  }, DEFAULT_METHODOLOGY);
  return { id, name: o.name ?? id.toUpperCase(), group, url, status: 'ok', error: null, result };
}

const run = (id: number) => ({ id, startedAt: `2026-11-0${id}T01:00:00Z`, finishedAt: null, status: 'done', methodologyVersion: DEFAULT_METHODOLOGY.version });
const critical: V = { id: 'image-alt', impact: 'critical', wcag: ['1.1.1'], nodes: 3 };
const contrast: V = { id: 'color-contrast', impact: 'serious', wcag: ['1.4.3'] };
const focus: V = { id: 'target-size', impact: 'serious', wcag: ['2.5.8'] };

describe('report model', () => {
  const now = [
    site('km', 'ministry', { statement: true }),
    site('fm', 'ministry', { violations: [contrast] }),
    site('em', 'ministry', { violations: [critical, contrast], wide: true }),
    site('csdd', 'state-institution', { statement: true }),
    site('liepaja', 'municipality', { violations: [focus], statement: true }),
    { id: 'aluksne', name: 'Alūksne', group: 'municipality' as const, url: 'https://aluksne.lv/', status: 'error' as const, error: 'DNS', result: null },
  ];
  const before = [
    site('km', 'ministry', { statement: true }),
    site('fm', 'ministry', { violations: [critical] }),
    site('em', 'ministry', { violations: [critical], wide: true }),
    site('csdd', 'state-institution', { violations: [critical] }),
  ];
  const report = buildReport({ run: run(2), sites: now, previous: { run: run(1), sites: before } });
  const count = (sites: ReportSite[], g: string) => sites.filter((s) => s.result?.grade === g).length;

  it('grade distribution per group is the share of audited sites at each grade', () => {
    const ministries = report.groups.find((g) => g.group === 'ministry')!;
    const ms = now.filter((s) => s.group === 'ministry');
    expect(ministries.audited).toBe(3);
    for (const g of ['highest', 'high', 'medium', 'low'] as const) {
      expect(ministries.grades[g]).toEqual({ count: count(ms, g), share: count(ms, g) / 3 });
    }
    expect(ministries.grades.highest.count).toBe(1); // no violations and a statement
    const municipalities = report.groups.find((g) => g.group === 'municipality')!;
    expect(municipalities).toMatchObject({ institutions: 2, audited: 1, notAudited: 1, statement: { count: 1, share: 1 } });
    expect(ministries.mobileFriendly).toEqual({ count: 2, share: 2 / 3 });
  });

  it('the three best are ordered by grade, then score; the change is measured against the previous run', () => {
    const ministries = report.groups.find((g) => g.group === 'ministry')!;
    expect(ministries.best.map((b) => b.id)).toEqual(['km', 'fm', 'em']);
    const wasHighest = count(before.filter((s) => s.group === 'ministry'), 'highest') / 3;
    expect(ministries.change!.grades.highest).toBeCloseTo(1 / 3 - wasHighest);
    expect(report.groups.find((g) => g.group === 'municipality')!.change).toBeNull(); // no earlier audited municipality
  });

  it('per institution: violations by WCAG criterion with the EN 301 549 clause, new and fixed since the previous run', () => {
    const fm = report.institutions.find((i) => i.id === 'fm')!;
    expect(fm.criteria.map((c) => [c.sc, c.en301549])).toEqual([['1.4.3', '9.1.4.3']]);
    expect(fm.criteria[0]!.rules[0]).toMatchObject({ id: 'color-contrast', isNew: true });
    expect(fm.fixed.map((f) => f.id)).toEqual(['image-alt']);
    const em = report.institutions.find((i) => i.id === 'em')!;
    expect(em.fixFirst.map((r) => [r.id, r.isNew])).toEqual([['image-alt', false], ['color-contrast', true]]);
    expect(em.fixFirst[0]!.hint.lv).toMatch(/alt tekstu/);
    expect(em.failedMobileChecks.map((c) => c.check)).toContain('fitsScreen');
    const liepaja = report.institutions.find((i) => i.id === 'liepaja')!;
    expect(liepaja.previous).toBeNull();
    expect(liepaja.criteria[0]).toMatchObject({ sc: '2.5.8', en301549: null }); // WCAG 2.2: no EN 301 549 V3.2.1 clause
    expect(liepaja.criteria[0]!.rules[0]!.isNew).toBeNull();
  });

  it('numbers and percentages in the locale of the report (the 2019 report writes 44,55 %)', () => {
    expect(formatPercent('lv', 0.4455, 2)).toBe('44,55\u00a0%');
    expect(formatPercent('en', 0.4455, 2)).toBe('44.55%');
    expect(formatPoints('lv', -0.125)).toBe('-12,5\u00a0p.p.');
    expect(formatPercent('lv', null)).toBe('–');
  });

  it('HTML escapes what came from audited sites and carries only validated screenshots', () => {
    const evil = site('evil', 'ministry', { name: '<script>alert(1)</script>', violations: [critical] });
    const node = evil.result!.pages[0]!.axe!.violations[0]!.nodes[0]!;
    node.html = '<img src=x onerror=alert(2)>';
    node.screenshot = 'data:image/jpeg;base64,AAAA" onerror="alert(3)';
    const html = renderReportHtml(buildReport({ run: run(3), sites: [evil], previous: null }), 'lv');
    expect(html).not.toMatch(/<script>alert|<img src=x|onerror="alert/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<html lang="lv">');
  });

  it('CSV: one row per institution, every text cell quoted, and no cell can become a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('-1+2')).toBe(`"'-1+2"`);
    // Leading white space or control characters, and full-width signs, do not hide a formula.
    for (const evil of ['\r=1+1', ' =HYPERLINK("x")', '\u0000+1', '\u00a0@SUM(A1)', '＝1+1', '＋1', '－1', '＠SUM(A1)', '\n=1']) {
      expect(fieldsUnder(',', csvCell(evil)).every(safe), JSON.stringify(evil)).toBe(true);
    }
    expect(csvCell('Rīga')).toBe('"Rīga"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,b')).toBe('"a,b"');
    const lines = renderInstitutionsCsv(report, 'en').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(1 + now.length);
    expect(lines[0]!.split(',')).toContain('"grade"');
    expect(lines.find((l) => l.startsWith('"aluksne",'))).toContain('DNS');
    // In Latvian, as a Latvian Excel reads it: ";", decimal commas, Latvian headers, jā / nē (it had English headers, yes/no, "," and ".").
    const lv = renderInstitutionsCsv(report, 'lv').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lv[0]!.split(';')).toEqual(expect.arrayContaining(['"vērtējums"', '"piekļūstamības punkti"', '"piemērota mobilajām ierīcēm"']));
    const em = lv.find((l) => l.startsWith('"em";'))!.split(';');
    const col = (name: string) => em[lv[0]!.split(';').indexOf(`"${name}"`)];
    expect(col('piemērota mobilajām ierīcēm')).toBe('nē');
    expect(col('piekļūstamības punkti')).toMatch(/^\d+(,\d+)?$/);
    expect(lv.join('\n')).not.toMatch(/(^|;)(yes|no)(;|$)/m);
    expect(csvCell(12.5, CSV_LOCALES.lv)).toBe('12,5');
  });

  it('CSV: a formula cannot hide behind a delimiter the spreadsheet chooses (a Latvian Excel splits on ";")', () => {
    // Snippets an audited page controls, as a violation's html ends up in report.csv?detail=1.
    const snippets = ['<a href="/q;=1+2;">x</a>', '<p title=";=HYPERLINK(0);">', 'a,=1', 'a\t@SUM(A1)', 'a|+1', 'a; "=cmd"', "a;'-1", 'a,  ＝1'];
    const row = ['inst', ...snippets].map(csvCell).join(',');
    for (const delimiter of [',', ';', '\t', '|']) {
      const fields = fieldsUnder(delimiter, row);
      expect(fields.every(safe), `${JSON.stringify(delimiter)}: ${JSON.stringify(fields.filter((f) => !safe(f)))}`).toBe(true);
    }
  });
});

/** How a spreadsheet reads one CSV line with this delimiter: a field is quoted only if it starts with a quote. */
function fieldsUnder(delimiter: string, line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length && !(line[i] === '"' && line[i + 1] !== '"')) value += line[i] === '"' ? (i++, '"') : line[i], i++;
      i++;
      const end = line.indexOf(delimiter, i);
      value += end < 0 ? line.slice(i) : line.slice(i, end);
      out.push(value);
      i = end < 0 ? line.length + 1 : end + delimiter.length;
    } else {
      const end = line.indexOf(delimiter, i);
      out.push(end < 0 ? line.slice(i) : line.slice(i, end));
      i = end < 0 ? line.length + 1 : end + delimiter.length;
    }
  }
  return out;
}

/** A field a spreadsheet would not run: after white space, control characters and quotes, no formula sign. */
const safe = (field: string) => !/^[\s\u0000-\u001f\u007f-\u009f\u00a0\u3000\ufeff"]*[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(field);

describe('grade reasons in Latvian', () => {
  it('come from the same grading code as the English ones', () => {
    const s = site('zva', 'state-institution', { violations: [critical, contrast] });
    const report = buildReport({ run: run(4), sites: [s], previous: null });
    const why = report.institutions[0]!.gradeReason!;
    expect(why.en).toBe(s.result!.gradeReason);
    expect(why.lv).toMatch(/^nav „Visaugstākā atbilstība”: vērtējums \d+(,\d)? < 95, ir kritiski pārkāpumi/);
    expect(why.lv).toContain('nav saites uz piekļūstamības paziņojumu');
    expect(why.lv.split('; ')).toHaveLength(why.en.split('; ').length);
  });
});

describe('the terminal summary', () => {
  it('gives every grade the site missed in full, a line each, the next grade up last', () => {
    const s = site('vid', 'state-institution', { violations: [critical, { ...critical, id: 'button-name' }, { ...critical, id: 'label' }, contrast] });
    const misses = s.result!.gradeReason.split('; ');
    expect(misses.length).toBeGreaterThanOrEqual(3);
    const lines = renderTerminal(s.result!).split('\n');
    const first = lines.findIndex((l) => l.startsWith('  Why:'));
    const why = lines.slice(first, first + misses.length).map((l) => l.slice(17));
    expect(why).toEqual(misses);
    expect(why.at(-1)).toMatch(/^not medium: /);
  });
});

describe('the Latvian report reads as the 2019 edition', () => {
  const sites = [
    site('km', 'ministry', { statement: true, violations: [contrast], pages: 3 }),
    site('fm', 'ministry', { violations: [{ ...critical, nodes: 21 }, { ...contrast, nodes: 2 }, { id: 'list', impact: 'serious', wcag: ['1.3.1'], nodes: 1 }] }),
    site('csp', 'state-institution', { statement: true, wide: true }),
    site('liepaja', 'municipality', { statement: true }),
  ];
  const surveyed = DEFAULT_INDEX_METHODOLOGY.dimensions.flatMap((d) => d.criteria).filter((c) => c.source === 'survey').map((c) => c.id);
  const survey = parseSurvey(`id,${surveyed.join(',')}\nkm,${surveyed.map(() => '60').join(',')}\nfm,${surveyed.map(() => '40').join(',')}\ncsp,${surveyed.map(() => '50').join(',')}\nliepaja,${surveyed.map((_, i) => (i ? '30' : '')).join(',')}\n`, DEFAULT_INDEX_METHODOLOGY, 's.csv');
  const index = computeIndex({
    institutions: sites.map((s) => ({ id: s.id, name: s.name, group: s.group, measured: { accessibilityScore: s.result!.accessibilityScore, mobileScore: s.result!.mobileScore } })),
    survey, surveyFile: 's.csv', run: { id: 7, startedAt: '2026-11-07T01:00:00Z' },
  }, DEFAULT_INDEX_METHODOLOGY);
  const report = buildReport({ run: run(7), sites, previous: null, index });
  const html = renderReportHtml(report, 'lv');
  const text = html.replace(/<[^>]+>/g, ' ').replace(/[ \t\r\n]+/g, ' ');

  it('the headline: the e-index per group as a percentage beside 2019\'s 44,55 % and 28,60 %', () => {
    expect(report.headline!.institutions.eIndex2019).toBe(44.55);
    expect(report.headline!.municipalities.eIndex2019).toBe(28.6);
    expect(report.headline!.municipalities.eIndex).toBeNull(); // Liepāja's survey row has a gap
    const inst = report.headline!.institutions.eIndex!;
    expect(text).toContain(`Kopējais iestāžu e-indekss ${formatPercent('lv', inst / 100, 2)} 44,55\u00a0%`);
    expect(text).toMatch(/Kopējais pašvaldību e-indekss – 28,60\u00a0% 0 \/ 1/);
    expect(renderReportHtml(report, 'en')).toContain('44.55%');
    // The 2019 best three of each dimension beside today's.
    expect(text).toContain('2019: Centrālā statistikas pārvalde, Lauku atbalsta dienests, Centrālā finanšu un līgumu aģentūra');
    expect(text).toContain('2019: Kultūras ministrija, Finanšu ministrija, Ekonomikas ministrija');
    const csv = renderInstitutionsCsv(report, 'lv');
    expect(csv.split('\r\n')[0]).toContain('"e-indekss, %"');
    expect(renderInstitutionsCsv(report, 'en').split('\r\n')[0]).toContain('e_index_percent');
  });

  it('captions say what each figure is, and what is comparable with 2019', () => {
    expect(text).toContain('Tīmekļvietņu piekļūstamība 2019. gadā (salīdzinājumam)');
    expect(text).not.toContain('2019. gada e-indekss salīdzinājumam');
    expect(text).toContain('Piekļūstamības atbilstība (īpatsvars auditēto tīmekļvietņu vidū)');
    expect(text).toContain('Auditētās tīmekļvietnes');
    expect(text).toMatch(/Tieši nav salīdzināmi: šī gada atbilstības līmeņus/);
  });

  it('Latvian grammar: agreement with ietekme, number agreement, terms and quotation marks', () => {
    // The reason of a grade reached names the worst impact in agreement with "ietekme".
    expect(gradeSite({ score: 97, worstImpact: 'moderate', criticalRules: 0, statementFound: true }, DEFAULT_METHODOLOGY, 'lv').reason).toBe('vērtējums 97, smagākā ietekme: mērena');
    expect(gradeSite({ score: 97, worstImpact: 'minor', criticalRules: 0, statementFound: true }, DEFAULT_METHODOLOGY, 'lv').reason).toBe('vērtējums 97, smagākā ietekme: neliela');
    expect(text).toContain('smagākā ietekme: nav pārkāpumu');
    expect(text).not.toMatch(/smagākā ietekme: (nopietni|kritiski|mēreni|nelieli)/);
    expect(text).toContain('21 elements');
    expect(text).toContain('2 elementi');
    expect(text).toContain('1 elements');
    expect(text).not.toMatch(/\b1 elementi|lapā\(s\)/);
    expect(text).toContain('lapās: 3');
    expect(text).toContain('(nepilnīgi dati)');
    expect(text).not.toContain('(nepilnīgs)');
    expect(text).toContain('Tālāk norādītās problēmas');
    expect(text).toContain('kas sastopamas visvairāk lapās');
    expect(text).toContain('Neizturētās mobilā atbalsta pārbaudes');
    expect(text).toContain('„jāpārbauda”');
    expect(text).not.toMatch(/Zemāk norādītās|Neizpildītās|"jāpārbauda"|Auditētas vietnes/);
  });

  it('what the site shows beside the survey value it bears on, as evidence only', () => {
    const km = report.institutions.find((i) => i.id === 'km')!;
    expect(km.observed!.find((o) => o.kind === 'social')).toEqual({ kind: 'social', criterion: 'communication.social', urls: ['https://www.facebook.com/iestade'], surveyValue: 60 });
    expect(km.observed!.find((o) => o.kind === 'participation')!.urls).toEqual([]);
    expect(text).toContain('Sociālo tīklu profili ( communication.social ; aptauja: 60):');
    expect(index.institutions.find((i) => i.id === 'km')!.criteria['communication.social']).toBe(60); // never replaced
  });
});

describe('evidence on the site', () => {
  it('sorts links into social profiles, open data, participation and e-services; share buttons are not profiles', () => {
    const o = observedOn([
      { href: 'https://www.facebook.com/VIDLatvija', text: 'Facebook' },
      { href: 'https://www.facebook.com/sharer/sharer.php?u=x', text: 'Dalīties' },
      { href: 'https://x.com/intent/tweet?text=a', text: 'Share' },
      { href: 'https://www.youtube.com/@csp', text: 'YouTube' },
      { href: 'https://data.gov.lv/dati/lv/dataset/budzets', text: 'Budžets' },
      { href: 'https://www.vid.gov.lv/lv/atvertie-dati', text: 'Atvērtie dati' },
      { href: 'https://manabalss.lv/', text: 'ManaBalss' },
      { href: 'https://www.vid.gov.lv/lv/sabiedribas-lidzdaliba', text: 'Sabiedrības līdzdalība' },
      { href: 'https://latvija.gov.lv/Services/123', text: 'Pieteikties' },
      { href: 'https://eds.vid.gov.lv/', text: 'E-pakalpojumi' },
      { href: 'https://www.vid.gov.lv/lv/kontakti', text: 'Kontakti' },
      { href: 'mailto:a@b.lv', text: 'e-pasts' },
    ]);
    expect(o).toEqual({
      social: ['https://www.facebook.com/VIDLatvija', 'https://www.youtube.com/@csp'],
      openData: ['https://data.gov.lv/dati/lv/dataset/budzets', 'https://www.vid.gov.lv/lv/atvertie-dati'],
      participation: ['https://manabalss.lv/', 'https://www.vid.gov.lv/lv/sabiedribas-lidzdaliba'],
      eServices: ['https://latvija.gov.lv/Services/123', 'https://eds.vid.gov.lv/'],
    });
  });
});

describe('fixed since the previous run', () => {
  it('counts a rule as fixed only on pages audited both times; a page that failed to load now is "not re-checked"', () => {
    const before = site('vid', 'state-institution', { violations: [critical, contrast], pages: 2 });
    // Now: the start page could not be loaded, the second page was audited and is clean.
    const now = site('vid', 'state-institution', { pages: 2 });
    const [start, second] = before.result!.pages;
    start!.axe!.violations = start!.axe!.violations.filter((v) => v.id === 'image-alt');
    second!.axe!.violations = second!.axe!.violations.filter((v) => v.id === 'color-contrast');
    const failed = now.result!.pages[0]!;
    Object.assign(failed, { status: 'error', error: 'timeout', errorCode: 'timeout', axe: undefined, mobile: undefined });
    const report = buildReport({ run: run(9), sites: [now], previous: { run: run(8), sites: [before] } });
    const vid = report.institutions[0]!;
    expect(vid.fixed.map((f) => f.id)).toEqual(['color-contrast']);
    expect(vid.notRechecked.map((f) => f.id)).toEqual(['image-alt']);
    const html = renderReportHtml(report, 'en');
    expect(html).toMatch(/Fixed since[^<]*:<\/strong> <code>color-contrast<\/code>/);
    expect(html).toMatch(/Not re-checked[^<]*:<\/strong> <code>image-alt<\/code>/);
  });

  it('counts a problem as new only on a page audited in both runs (a page new to the sample brings no new problem)', () => {
    const before = site('vid', 'state-institution', { pages: 2 });
    const now = site('vid', 'state-institution', { violations: [contrast], pages: 3 });
    const [, second, third] = now.result!.pages;
    // Now: color-contrast fails on the second page (audited before, clean then) and on a third page the last run did not audit.
    now.result!.pages[0]!.axe!.violations = [];
    third!.url = `${third!.url}-new-in-sample`;
    const onBoth = buildReport({ run: run(9), sites: [now], previous: { run: run(8), sites: [before] } });
    expect(onBoth.institutions[0]!.criteria.flatMap((c) => c.rules).find((r) => r.id === 'color-contrast')!.isNew).toBe(true);
    second!.axe!.violations = [];
    const onlyNewPage = buildReport({ run: run(9), sites: [now], previous: { run: run(8), sites: [before] } });
    expect(onlyNewPage.institutions[0]!.criteria.flatMap((c) => c.rules).find((r) => r.id === 'color-contrast')!.isNew).toBeNull();
  });
});

describe('WCAG criteria named in reports', () => {
  it('a level AAA criterion axe-core tags a rule with has its title and says it has no EN 301 549 clause (it read "2.1.3 … no clause (WCAG 2.2)")', () => {
    expect(criterionInfo('2.1.3')).toMatchObject({ level: 'AAA', en301549: null, en: 'Keyboard (No Exception)' });
    expect(criterionInfo('1.4.6')).toMatchObject({ level: 'AAA', en: 'Contrast (Enhanced)' });
    expect(criterionInfo('2.1.1')).toMatchObject({ level: 'A', en301549: '9.2.1.1' });
  });
});

describe('one violation, shown once', () => {
  it('a rule under two criteria shows its elements once: fix-first the first, the first criterion the rest, the second points there', () => {
    const twice: V = { id: 'aria-allowed-attr', impact: 'critical', wcag: ['4.1.2', '1.3.1'], nodes: 2 };
    const s = site('dup', 'ministry', { violations: [twice], pages: 1 });
    const html = renderReportHtml(buildReport({ run: run(3), sites: [s], previous: null }), 'en');
    const target = s.result!.pages[0]!.axe!.violations[0]!.nodes[0]!.target.join(' ');
    const shown = html.split(`<code>${target}</code>`).length - 1;
    expect(shown).toBe(1);
    expect(html).toContain('Its elements are shown under WCAG 1.3.1');
  });
});

describe('the dashboard\'s table of institutions', () => {
  const view = (over: Partial<TableView>): TableView => ({ ...tableView(new URLSearchParams()), ...over });
  const kekava = { id: 'kekava', name: 'Ķekavas novads', group: 'municipality' as const, url: 'https://www.kekava.lv/', grade: 'high' as const, mobileFriendly: true };
  const down = { id: 'down', name: 'Iestāde', group: 'state-institution' as const, url: 'https://down.lv/', grade: null, mobileFriendly: null };

  it('search folds diacritics and case: "kekava" and "ĶEKAVAS" find Ķekavas novads', () => {
    for (const q of ['kekava', 'ķekava', 'ĶEKAVAS', 'Kekavas nov']) expect(inView(kekava, view({ q })), q).toBe(true);
    expect(inView(kekava, view({ q: 'bauska' }))).toBe(false);
  });

  it('the mobile filter lists no site that could not be audited, under yes or no', () => {
    expect(inView(down, view({ mobile: 'no' }))).toBe(false);
    expect(inView(down, view({ mobile: 'yes' }))).toBe(false);
    expect(inView({ ...kekava, mobileFriendly: false }, view({ mobile: 'no' }))).toBe(true);
    expect(inView(down, view({}))).toBe(true);
  });
});
