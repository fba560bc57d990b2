// Reports and the e-index on runs this test makes: two nightly runs of local fixture sites, one of which
// changes between them. The numbers are checked against the stored results, the PDF by its text, the
// HTML in Chromium (no script runs, and the report passes axe-core itself).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, CHROMIUM_ARGS } from '../../src/gather/browser.js';
import type { IndexResult } from '../../src/index/compute.js';
import type { Report } from '../../src/report/model.js';
import { Store } from '../../src/store/db.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import { FIXTURES, runCli } from '../helpers.js';

const HAS_PDFINFO = !spawnSync('pdfinfo', ['-v']).error;

const tmp = mkdtempSync(join(tmpdir(), 'eindex-report-'));
const db = join(tmp, 'db.sqlite');
const changing = join(tmp, 'changing');
const page = (body: string) => `<!doctype html><html lang="lv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Mainīgā pašvaldība</title></head><body><main><h1>Sveiki</h1>${body}</main></body></html>`;
let sites: StaticSite[] = [];

async function pdfText(file: string): Promise<{ pages: number; text: string }> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), disableFontFace: true }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) text += `${(await (await doc.getPage(i)).getTextContent()).items.map((x) => ('str' in x ? x.str : '')).join(' ')}\n`;
  return { pages: doc.numPages, text: text.replace(/\s+/g, ' ') };
}

beforeAll(async () => {
  cpSync(join(FIXTURES, 'accessible'), join(tmp, 'accessible'), { recursive: true });
  cpSync(join(FIXTURES, 'fixed-width'), join(tmp, 'fixed'), { recursive: true });
  cpSync(join(FIXTURES, 'hostile'), join(tmp, 'hostile'), { recursive: true });
  // Run 1: an image without alt text. Run 2 fixes it and adds a field without a label.
  cpSync(join(FIXTURES, 'inaccessible'), join(tmp, 'inaccessible'), { recursive: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(changing, { recursive: true }));
  writeFileSync(join(changing, 'index.html'), page('<img src="/foto.png">'));
  sites = await Promise.all(['accessible', 'inaccessible', 'fixed', 'hostile'].map((d) => serveStatic(join(tmp, d))).concat(serveStatic(changing)));
  const [acc, inacc, fixed, hostile, change] = sites.map((s) => s.url);
  writeFileSync(join(tmp, 'targets.yaml'), `targets:
  - { private: true, id: km, name: "Kultūras ministrija", group: ministry, url: "${acc}" }
  - { private: true, id: fm, name: "<script>window.pwned=9</script>Finanšu ministrija", group: ministry, url: "${hostile}" }
  - { private: true, id: zva, name: "Zāļu valsts aģentūra", group: state-institution, url: "${inacc}" }
  - { private: true, id: carnikava, name: "Carnikavas pašvaldība", group: municipality, url: "${fixed}" }
  - { private: true, id: aluksne, name: "Alūksnes novads", group: municipality, url: "${change}" }
`);
  const args = ['run', join(tmp, 'targets.yaml'), '--db', db, '--no-lighthouse', '--max-pages', '2', '--page-timeout', '20', '--quiet'];
  expect((await runCli(args)).code).toBe(0);
  writeFileSync(join(changing, 'index.html'), page('<img src="/foto.png" alt="Dome"><input type="text" name="q">'));
  expect((await runCli(args)).code).toBe(0);
}, 240_000);

afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
});

describe('eindex report and eindex index on stored runs', () => {
  it('JSON: the grade distribution, shares and best three match the stored results; new and fixed are found', async () => {
    const out = join(tmp, 'r.json');
    expect((await runCli(['report', '--db', db, '--format', 'json', '--out', out])).code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const store = new Store(db);
    const rows = store.sites(2);
    store.close();
    expect(report.run.id).toBe(2);
    expect(report.previousRun?.id).toBe(1);
    for (const g of report.groups) {
      const mine = rows.filter((r) => r.grp === g.group && r.status === 'ok');
      expect(g.audited).toBe(mine.length);
      for (const grade of ['highest', 'high', 'medium', 'low'] as const) {
        expect(g.grades[grade].count).toBe(mine.filter((r) => r.grade === grade).length);
        expect(g.grades[grade].share).toBeCloseTo(mine.filter((r) => r.grade === grade).length / mine.length);
      }
      expect(g.mobileFriendly.count).toBe(mine.filter((r) => r.mobile_friendly === 1).length);
      expect(g.statement.count).toBe(mine.filter((r) => r.statement === 1).length);
    }
    const ministries = report.groups.find((g) => g.group === 'ministry')!;
    expect(ministries.best[0]).toMatchObject({ id: 'km', grade: 'highest' });
    expect(report.institutions.find((i) => i.id === 'zva')!.grade).toBe('low');
    const aluksne = report.institutions.find((i) => i.id === 'aluksne')!;
    expect(aluksne.fixed.map((f) => f.id)).toContain('image-alt');
    const label = aluksne.criteria.flatMap((c) => c.rules).find((r) => r.id === 'label')!;
    expect(label.isNew).toBe(true);
    expect(label.evidence[0]!.screenshot).toMatch(/^data:image\/jpeg;base64,/);
    expect(aluksne.criteria.map((c) => c.en301549)).toContain('9.4.1.2'); // axe tags label with WCAG 4.1.2
  });

  it('PDF in Latvian: A4 pages with page numbers, and the text says what to fix first', async () => {
    const out = join(tmp, 'r.pdf');
    const r = await runCli(['report', '--db', db, '--lang', 'lv', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text } = await pdfText(out);
    expect(pages).toBeGreaterThanOrEqual(6); // the overview, then one institution a page at least
    expect(text).toContain(`Lapa 1 no ${pages}`);
    for (const s of ['Kopsavilkums pa grupām', 'Labākie rezultāti', 'Ko labot vispirms', 'Zema atbilstība', 'Visaugstākā atbilstība', 'Zāļu valsts aģentūra',
      'Katram veidlapas laukam', 'Novērsti kopš iepriekšējā audita', 'EN 301 549 9.1.1.1', '100 %']) expect(text).toContain(s);
    expect(text).toContain('<script>window.pwned=9</script>'); // shown as text
  });

  for (const lang of ['lv', 'en'] as const) {
    // pdfinfo (poppler-utils) reads the tags: a machine without it skips this locally (CI installs it).
    it.skipIf(!HAS_PDFINFO)(`PDF in ${lang} is an accessible document: tagged, its language and title set, an outline, every chart with alternative text`, async () => {
      const out = join(tmp, `tagged-${lang}.pdf`);
      expect((await runCli(['report', '--db', db, '--lang', lang, '--out', out])).code).toBe(0);
      const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
      expect(info).toMatch(/^Tagged:\s+yes$/m);
      expect(info).toMatch(lang === 'lv' ? /^Title:\s+Tīmekļvietņu piekļūstamība/m : /^Title:\s+Website accessibility/m);
      expect(readFileSync(out).toString('latin1')).toContain(`/Lang (${lang})`);
      const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await getDocument({ data: new Uint8Array(readFileSync(out)), disableFontFace: true }).promise;
      const outline = await doc.getOutline();
      expect(outline?.length).toBeGreaterThan(0);
      type Node = { role?: string; alt?: string; children?: Node[] };
      const roles: Node[] = [];
      const walk = (n: Node | null) => {
        if (!n) return;
        roles.push(n);
        for (const c of n.children ?? []) if (c && typeof c === 'object' && 'role' in c) walk(c);
      };
      for (let i = 1; i <= doc.numPages; i++) walk((await (await doc.getPage(i)).getStructTree()) as Node);
      // pdfjs shows each figure as a Figure inside a Figure: the innermost carries the alternative text.
      const figures = roles.filter((n) => n.role === 'Figure' && !(n.children ?? []).some((c) => c && typeof c === 'object' && c.role === 'Figure'));
      expect(figures.length).toBeGreaterThan(0);
      expect(figures.every((f) => (f.alt ?? '').trim().length > 0), JSON.stringify(figures.filter((f) => !f.alt))).toBe(true);
      expect(roles.some((n) => n.role === 'TH')).toBe(true);
      expect(roles.some((n) => /^H[1-6]$/.test(n.role ?? ''))).toBe(true);
    });
  }

  it('HTML in Chromium: no script from audited sites runs, no console errors, and the report passes axe-core', async () => {
    const out = join(tmp, 'r.html');
    expect((await runCli(['report', '--db', db, '--lang', 'en', '--out', out])).code).toBe(0);
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      const tab = await browser.newPage();
      const problems: string[] = [];
      tab.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      tab.on('dialog', (d) => { problems.push(`dialog ${d.message()}`); void d.dismiss(); });
      await tab.goto(pathToFileURL(out).href);
      expect(await tab.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(problems).toEqual([]);
      expect(await tab.locator('svg[role=img] title').count()).toBeGreaterThanOrEqual(2);
      const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
      await tab.addScriptTag({ content: readFileSync(axePath, 'utf8') }).catch(async () => tab.evaluate(readFileSync(axePath, 'utf8')));
      const violations = await tab.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string }[] }> } }).axe;
        return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })).violations.map((v) => v.id);
      });
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('CSV per institution and per violation', async () => {
    const r = await runCli(['report', '--db', db, '--format', 'csv']);
    const lines = r.stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(6);
    const detail = await runCli(['report', '--db', db, '--format', 'csv', '--detail']);
    expect(detail.stdout).toMatch(/\n"aluksne","Alūksnes novads","municipality","http:\/\/127\.0\.0\.1:\d+\/","label","critical",/);
  });

  it('the e-index: survey values plus the run\'s measured scores; a missing value marks the institution incomplete', async () => {
    const cols = ['service.efficiency', 'service.usability', 'service.promotion', 'support.customer_support', 'support.service_management', 'opendata.technical',
      'opendata.availability', 'opendata.ease', 'opendata.promotion', 'communication.social', 'communication.usability', 'communication.participation',
      'internal.documents', 'internal.staff_communication', 'internal.ict_skills'];
    const survey = join(tmp, 'survey.csv');
    writeFileSync(survey, [['id', ...cols].join(';'), ['km', ...cols.map(() => '50')].join(';'), ['zva', ...cols.map((_, i) => (i === 0 ? '' : '70'))].join(';')].join('\n'));
    const out = join(tmp, 'index.json');
    const r = await runCli(['index', '--db', db, '--survey', survey, '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    const x = JSON.parse(readFileSync(out, 'utf8')) as IndexResult;
    const store = new Store(db);
    const km = store.sites(2).find((s) => s.institution_id === 'km')!;
    store.close();
    const communication = (50 * 3 + km.accessibility_score! + km.mobile_score!) / 5;
    expect(x.institutions.find((i) => i.id === 'km')!.eIndex).toBeCloseTo((50 * 4 + communication) / 5, 2);
    expect(x.institutions.find((i) => i.id === 'zva')).toMatchObject({ complete: false, eIndex: null, missing: ['service.efficiency'] });
    expect(x.rankings.ministry.map((i) => i.id)).toEqual(['km']);
    const pdf = join(tmp, 'with-index.html');
    expect((await runCli(['report', '--db', db, '--index', out, '--lang', 'lv', '--out', pdf])).code).toBe(0);
    expect(readFileSync(pdf, 'utf8')).toContain('e-indekss');
  });

  it('bad input: one line, exit 2, and no file written', async () => {
    const out = join(tmp, 'never.html');
    const cases: [string[], RegExp][] = [
      [['report', '--db', db, '--format', 'docx', '--out', out], /--format must be html, pdf, csv or json/],
      [['report', '--db', db, '--run', '99', '--out', out], /no run 99/],
      [['report', '--db', db, '--lang', 'de', '--out', out], /--lang must be en or lv/],
      [['report', '--db', db, '--format', 'pdf'], /needs --out/],
      [['report', '--db', db, '--index', join(tmp, 'targets.yaml'), '--out', out], /cannot use --index/],
      [['index', '--db', db, '--survey', join(tmp, 'nope.csv'), '--json', out], /cannot read survey/],
      [['report', '--db', join(tmp, 'missing.sqlite'), '--out', out], /no database at .*missing\.sqlite/],
      [['index', '--db', join(tmp, 'missing.sqlite'), '--survey', join(tmp, 'bad.csv'), '--json', out], /no database at/],
      [['report', '--db', join(tmp, 'empty.sqlite'), '--out', out], /no runs in/],
    ];
    writeFileSync(join(tmp, 'bad.csv'), 'id,service.efficiency\nkm,50\nzva,150\n');
    new Store(join(tmp, 'empty.sqlite')).close();
    cases.push([['index', '--db', db, '--survey', join(tmp, 'bad.csv'), '--json', out], /bad\.csv:3: column \d+ \(service\.efficiency\), institution zva: "150"/]);
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(tmp, 'missing.sqlite')), 'a mistaken --db is not created').toBe(false);
  });
});
