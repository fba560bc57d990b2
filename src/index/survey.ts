// The survey CSV: `id` and one column per surveyed sub-criterion, values 0–100. Comma or semicolon
// separated (a Latvian spreadsheet writes semicolons and decimal commas). An empty cell is a missing value,
// never a 0. Every mistake is one line naming the file, line and column.
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import type { IndexMethodology } from './methodology.js';

export interface Survey {
  /** Institution id → sub-criterion id → value (null: the cell was empty). */
  rows: Map<string, Record<string, number | null>>;
  columns: string[];
}

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
    if (h === 'id' || h === 'name') return;
    const c = criteria.get(h);
    if (!c) throw new UserError(`${file}:1: column ${col + 1}: unknown sub-criterion "${h}" (known: ${surveyed.join(', ')})`);
    if (c.source === 'measured') throw new UserError(`${file}:1: column ${col + 1}: "${h}" is measured by eindex from the run; remove the column`);
    if (header.indexOf(h) !== col) throw new UserError(`${file}:1: column ${col + 1}: "${h}" appears twice`);
  });
  const idCol = header.indexOf('id');
  const rows = new Map<string, Record<string, number | null>>();
  for (const { line, fields } of records.slice(1)) {
    if (fields.length !== header.length) throw new UserError(`${file}:${line}: ${fields.length} fields, the header has ${header.length}`);
    const id = fields[idCol]!.trim();
    if (!id) throw new UserError(`${file}:${line}: the id is empty`);
    if (rows.has(id)) throw new UserError(`${file}:${line}: institution "${id}" appears twice`);
    const values: Record<string, number | null> = {};
    header.forEach((h, col) => {
      if (h === 'id' || h === 'name') return;
      const raw = fields[col]!.trim();
      if (MISSING.has(raw.toLowerCase())) {
        values[h] = null;
        return;
      }
      const n = /^-?\d+([.,]\d+)?$/.test(raw) ? Number(raw.replace(',', '.')) : NaN;
      if (!Number.isFinite(n) || n < m.scale.min || n > m.scale.max) {
        throw new UserError(`${file}:${line}: ${h}: ${JSON.stringify(raw)} is not a number from ${m.scale.min} to ${m.scale.max} (leave the cell empty when the value is missing)`);
      }
      values[h] = n;
    });
    rows.set(id, values);
  }
  return { rows, columns: header.filter((h) => h !== 'id' && h !== 'name') };
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
