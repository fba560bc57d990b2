// The survey CSV: `id` and one column per surveyed sub-criterion, values 0–100. Comma or semicolon
// separated (a Latvian spreadsheet writes semicolons and decimal commas). An empty cell is a missing value,
// never a 0. Rows whose id starts with `#` are comments (the template's Latvian legend row). Every mistake
// is one line naming the file, line and column.
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import type { IndexMethodology } from './methodology.js';

export interface Survey {
  /** Institution id → sub-criterion id → value (null: the cell was empty). */
  rows: Map<string, Record<string, number | null>>;
  columns: string[];
}

/** Columns that say who a row is, for the person filling it in: never values. */
const INFO_COLUMNS = new Set(['id', 'name', 'group']);

const MISSING = new Set(['', '-', '–', 'na', 'n/a', 'null']);

/** RFC 4180 records with the line each starts on; quotes may hold separators, quotes and newlines. */
export function parseCsv(text: string, file: string): { line: number; fields: string[] }[] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [], field = '', quoted = false, line = 1, start = 1, i = 0, wasQuoted = false;
  const endField = () => { fields.push(wasQuoted ? field : field.trim()); field = ''; wasQuoted = false; };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    fields = [];
    start = line;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      if (c === '\n') line++;
      field += c; i++;
      continue;
    }
    if (c === '"' && field.trim() === '') { quoted = true; wasQuoted = true; field = ''; i++; continue; }
    if (c === sep) { endField(); i++; continue; }
    if (c === '\r' && src[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { line++; endRecord(); i++; continue; }
    field += c; i++;
  }
  if (quoted) throw new UserError(`${file}:${start}: a quoted field is never closed`);
  if (field !== '' || fields.length) endRecord();
  return records;
}

export function parseSurvey(text: string, m: IndexMethodology, file = 'survey'): Survey {
  const records = parseCsv(text, file);
  if (!records.length) throw new UserError(`${file}: empty; expected a header row with id and the sub-criteria`);
  const header = records[0]!.fields.map((h) => h.trim());
  const criteria = new Map(m.dimensions.flatMap((d) => d.criteria).map((c) => [c.id, c]));
  const surveyed = [...criteria.values()].filter((c) => c.source === 'survey').map((c) => c.id);
  if (!header.includes('id')) throw new UserError(`${file}:1: no "id" column (the header must name id and the sub-criteria, e.g. ${surveyed.slice(0, 2).join(', ')})`);
  header.forEach((h, col) => {
    if (INFO_COLUMNS.has(h)) return;
    const c = criteria.get(h);
    if (!c) throw new UserError(`${file}:1: column ${col + 1}: unknown sub-criterion "${h}" (known: ${surveyed.join(', ')})`);
    if (c.source === 'measured') throw new UserError(`${file}:1: column ${col + 1}: "${h}" is measured by eindex from the run; remove the column`);
    if (header.indexOf(h) !== col) throw new UserError(`${file}:1: column ${col + 1}: "${h}" appears twice`);
  });
  const idCol = header.indexOf('id');
  const rows = new Map<string, Record<string, number | null>>();
  for (const { line, fields } of records.slice(1)) {
    if (fields[idCol]?.trim().startsWith('#')) continue; // a comment row: the template's legend
    if (fields.length !== header.length) throw new UserError(`${file}:${line}: ${fields.length} fields, the header has ${header.length}`);
    const id = fields[idCol]!.trim();
    if (!id) throw new UserError(`${file}:${line}: the id is empty`);
    if (rows.has(id)) throw new UserError(`${file}:${line}: institution "${id}" appears twice`);
    const values: Record<string, number | null> = {};
    header.forEach((h, col) => {
      if (INFO_COLUMNS.has(h)) return;
      const raw = fields[col]!.trim();
      if (MISSING.has(raw.toLowerCase())) {
        values[h] = null;
        return;
      }
      const n = /^-?\d+([.,]\d+)?$/.test(raw) ? Number(raw.replace(',', '.')) : NaN;
      if (!Number.isFinite(n) || n < m.scale.min || n > m.scale.max) {
        throw new UserError(`${file}:${line}: column ${col + 1} (${h}), institution ${id}: ${JSON.stringify(raw)} is not a number from ${m.scale.min} to ${m.scale.max} (leave the cell empty when the value is missing)`);
      }
      values[h] = n;
    });
    rows.set(id, values);
  }
  return { rows, columns: header.filter((h) => !INFO_COLUMNS.has(h)) };
}

export function loadSurvey(path: string, m: IndexMethodology): Survey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read survey ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseSurvey(text, m, path);
}

/**
 * The survey form: a header of ids (what `parseSurvey` reads), a legend row with the Latvian names of the
 * institution columns and of each sub-criterion (dimension: sub-criterion), then one row per institution
 * with its id, name and group and an empty cell for every surveyed sub-criterion of the methodology.
 */
export function surveyTemplateRows(targets: { id: string; name: string; group: string }[], m: IndexMethodology, groupNames: Record<string, string>): string[][] {
  const surveyed = m.dimensions.flatMap((d) => d.criteria.filter((c) => c.source === 'survey').map((c) => ({ id: c.id, lv: `${d.lv}: ${c.lv}` })));
  return [
    ['id', 'name', 'group', ...surveyed.map((c) => c.id)],
    ['# lv', 'Iestāde', 'Grupa', ...surveyed.map((c) => c.lv)],
    ...targets.map((t) => [t.id, t.name, groupNames[t.group] ?? t.group, ...surveyed.map(() => '')]),
  ];
}
