// CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Latvian letters), comma-separated,
// numbers with a decimal point. Text from audited sites cannot become a formula under any delimiter a
// spreadsheet may choose: every text cell is quoted, and a formula sign (= + - @, or their full-width
// forms) at the cell's start, after leading white space or control characters, or after any character a
// spreadsheet may split on (`,` `;` tab `|`, with white space or quotes between), gets an apostrophe in
// front of it. A Latvian Excel splits a comma-separated file on `;`: `href="/q;=1+2;"` in a snippet would
// otherwise be a `=1+2` cell there.
import { criterionInfo, type Report } from './model.js';
import type { Lang } from './i18n.js';
import type { SiteResult } from '../schema/result.js';

type Cell = string | number | boolean | null | undefined;

const SIGN = '[=+\\-@\\uff1d\\uff0b\\uff0d\\uff20]';
const SKIPPED = '[\\s\\u0000-\\u001f\\u007f-\\u009f\\u00a0\\u3000\\ufeff"\']*';
/** A formula sign at the start, or after a character some spreadsheet splits on. */
const FORMULA_AT = new RegExp(`(^|[,;\\t|])(${SKIPPED})(?=${SIGN})`, 'g');

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === '') return ''; // an empty cell (a survey value to fill in) is written empty, not ""
  const s = v.replace(/\r\n?/g, '\n').replace(FORMULA_AT, "$1$2'").replace(/^([\t\r\n])/, "'$1");
  return `"${s.replace(/"/g, '""')}"`;
}

/** Rows as CSV with a byte-order mark; `sep` ';' for the spreadsheets of a Latvian locale. */
export const toCsv = (rows: Cell[][], sep = ',') => `\uFEFF${rows.map((r) => r.map(csvCell).join(sep)).join('\r\n')}\r\n`;

export function renderInstitutionsCsv(r: Report, lang: Lang): string {
  const header = ['id', 'name', 'group', 'url', 'status', 'grade', 'grade_label', 'accessibility_score', 'mobile_friendly', 'mobile_score',
    'accessibility_statement', 'pages_ok', 'pages_error', 'violation_rules', 'new_rules', 'fixed_rules', 'previous_grade', 'error',
    ...(r.index ? ['e_index_percent', 'e_index_complete'] : [])];
  const eIndex = new Map((r.index?.institutions ?? []).map((x) => [x.id, x]));
  const rows = r.institutions.map((i) => {
    const rules = new Set(i.criteria.flatMap((c) => c.rules.map((x) => x.id)));
    const fresh = new Set(i.criteria.flatMap((c) => c.rules.filter((x) => x.isNew).map((x) => x.id)));
    return [i.id, i.name, i.group, i.url, i.status, i.grade, i.gradeLabel?.[lang], i.accessibilityScore, i.mobileFriendly, i.mobileScore,
      i.statement?.found ?? null, i.pagesOk, i.pagesError, rules.size, i.previous ? fresh.size : null, i.previous ? i.fixed.length : null,
      i.previous?.grade, i.error ?? (i.pageErrors.length ? i.pageErrors.map((p) => `${p.url}: ${p.code}`).join('; ') : null),
      ...(r.index ? [eIndex.get(i.id)?.eIndex ?? null, eIndex.get(i.id)?.complete ?? null] : [])];
  });
  return toCsv([header, ...rows]);
}

/** One row per rule and page where it failed, with the first failing element as evidence. */
export function renderViolationsCsv(r: Report, results: Map<string, SiteResult | null>): string {
  const header = ['institution_id', 'name', 'group', 'page_url', 'rule_id', 'impact', 'wcag', 'en301549', 'elements', 'new', 'target', 'html', 'help_url'];
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
  return toCsv([header, ...rows]);
}
