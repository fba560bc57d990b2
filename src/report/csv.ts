// CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Latvian letters). In English
// comma-separated with a decimal point; in Latvian (`--lang lv`) as a Latvian Excel reads it:
// semicolon-separated, decimal commas, Latvian headers and jā / nē. Text from audited sites cannot become a formula under any delimiter a
// spreadsheet may choose: every text cell is quoted, and a formula sign (= + - @, or their full-width
// forms) at the cell's start, after leading white space or control characters, or after any character a
// spreadsheet may split on (`,` `;` tab `|`, with white space or quotes between), gets an apostrophe in
// front of it. A Latvian Excel splits a comma-separated file on `;`: `href="/q;=1+2;"` in a snippet would
// otherwise be a `=1+2` cell there.
import { criterionInfo, type Report } from './model.js';
import { failureText, type Lang } from './i18n.js';
import type { SiteResult } from '../schema/result.js';

type Cell = string | number | boolean | null | undefined;

const SIGN = '[=+\\-@\\uff1d\\uff0b\\uff0d\\uff20]';
const SKIPPED = '[\\s\\u0000-\\u001f\\u007f-\\u009f\\u00a0\\u3000\\ufeff"\']*';
/** A formula sign at the start, or after a character some spreadsheet splits on. */
const FORMULA_AT = new RegExp(`(^|[,;\\t|])(${SKIPPED})(?=${SIGN})`, 'g');

/** How a spreadsheet of a locale reads CSV: its separator, decimal mark and words for yes and no. */
export interface CsvLocale { sep: string; decimal: string; yes: string; no: string }
export const CSV_LOCALES: Record<Lang, CsvLocale> = {
  en: { sep: ',', decimal: '.', yes: 'yes', no: 'no' },
  lv: { sep: ';', decimal: ',', yes: 'jā', no: 'nē' },
};

export function csvCell(v: Cell, locale: CsvLocale = CSV_LOCALES.en): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).replace('.', locale.decimal) : '';
  if (typeof v === 'boolean') return v ? locale.yes : locale.no;
  if (v === '') return ''; // an empty cell (a survey value to fill in) is written empty, not ""
  const s = v.replace(/\r\n?/g, '\n').replace(FORMULA_AT, "$1$2'").replace(/^([\t\r\n])/, "'$1");
  return `"${s.replace(/"/g, '""')}"`;
}

/** Rows as CSV with a byte-order mark, in a locale's convention (English by default). */
export const toCsv = (rows: Cell[][], locale: CsvLocale = CSV_LOCALES.en) => `\uFEFF${rows.map((r) => r.map((c) => csvCell(c, locale)).join(locale.sep)).join('\r\n')}\r\n`;

/** Column names: the English ones are the machine's (stable); the Latvian ones a person reads. */
const HEADERS_LV: Record<string, string> = {
  id: 'id', name: 'nosaukums', group: 'grupa', url: 'adrese', status: 'statuss', grade: 'vērtējums', grade_label: 'vērtējuma nosaukums',
  accessibility_score: 'piekļūstamības punkti', mobile_friendly: 'piemērota mobilajām ierīcēm', mobile_score: 'mobilās piemērotības punkti',
  accessibility_statement: 'piekļūstamības paziņojums', pages_ok: 'auditētās lapas', pages_error: 'neauditētās lapas', violation_rules: 'pārkāptie noteikumi',
  new_rules: 'jauni noteikumi', fixed_rules: 'novērstie noteikumi', previous_grade: 'iepriekšējais vērtējums', error: 'kļūda',
  e_index_percent: 'e-indekss, %', e_index_complete: 'e-indekss pilnīgs', institution_id: 'iestādes id', page_url: 'lapas adrese', rule_id: 'noteikums',
  impact: 'ietekme', wcag: 'WCAG', en301549: 'EN 301 549', elements: 'elementi', new: 'jauns', target: 'elements (CSS)', html: 'HTML', help_url: 'palīdzība',
};
const headers = (lang: Lang, names: string[]) => (lang === 'lv' ? names.map((n) => HEADERS_LV[n] ?? n) : names);

export function renderInstitutionsCsv(r: Report, lang: Lang): string {
  const header = headers(lang, ['id', 'name', 'group', 'url', 'status', 'grade', 'grade_label', 'accessibility_score', 'mobile_friendly', 'mobile_score',
    'accessibility_statement', 'pages_ok', 'pages_error', 'violation_rules', 'new_rules', 'fixed_rules', 'previous_grade', 'error',
    ...(r.index ? ['e_index_percent', 'e_index_complete'] : [])]);
  const eIndex = new Map((r.index?.institutions ?? []).map((x) => [x.id, x]));
  const rows = r.institutions.map((i) => {
    const rules = new Set(i.criteria.flatMap((c) => c.rules.map((x) => x.id)));
    const fresh = new Set(i.criteria.flatMap((c) => c.rules.filter((x) => x.isNew).map((x) => x.id)));
    return [i.id, i.name, i.group, i.url, i.status, i.grade, i.gradeLabel?.[lang], i.accessibilityScore, i.mobileFriendly, i.mobileScore,
      i.statement?.found ?? null, i.pagesOk, i.pagesError, rules.size, i.previous ? fresh.size : null, i.previous ? i.fixed.length : null,
      i.previous?.grade, i.error ? failureText(lang, i.error) : (i.pageErrors.length ? i.pageErrors.map((p) => `${p.url}: ${p.code}`).join('; ') : null),
      ...(r.index ? [eIndex.get(i.id)?.eIndex ?? null, eIndex.get(i.id)?.complete ?? null] : [])];
  });
  return toCsv([header, ...rows], CSV_LOCALES[lang]);
}

/** One row per rule and page where it failed, with the first failing element as evidence. */
export function renderViolationsCsv(r: Report, results: Map<string, SiteResult | null>, lang: Lang = 'en'): string {
  const header = headers(lang, ['institution_id', 'name', 'group', 'page_url', 'rule_id', 'impact', 'wcag', 'en301549', 'elements', 'new', 'target', 'html', 'help_url']);
  const rows: Cell[][] = [];
  for (const i of r.institutions) {
    const isNew = new Map(i.criteria.flatMap((c) => c.rules.map((x) => [x.id, x.isNew] as const)));
    for (const page of results.get(i.id)?.pages ?? []) {
      for (const v of page.axe?.violations ?? []) {
        const clauses = v.wcag.map((sc) => criterionInfo(sc)?.en301549).filter(Boolean).join(' ');
        rows.push([i.id, i.name, i.group, page.url, v.id, v.impact, v.wcag.join(' '), clauses, v.nodes.length, isNew.get(v.id) ?? null,
          v.nodes[0]?.target.join(' '), v.nodes[0]?.html.slice(0, 500), v.helpUrl]);
      }
    }
  }
  return toCsv([header, ...rows], CSV_LOCALES[lang]);
}
