// The e-index from survey values and measured website scores. Pure. A missing value is never a 0: the
// dimension and the e-index that need it are null (with the value the present ones give, marked partial),
// the institution is listed as incomplete, and it takes no part in group means, rankings or the best three.
import type { Group } from '../targets/targets.js';
import type { IndexMethodology } from './methodology.js';
import type { Survey } from './survey.js';

export const INDEX_VERSION = 1;

export interface IndexInstitutionInput {
  id: string; name: string; group: Group;
  /** The site's measured scores; null when the run has no result for it (not audited, or failed). */
  measured: { accessibilityScore: number | null; mobileScore: number | null } | null;
}

export interface DimensionValue { value: number | null; partial: number | null; complete: boolean; missing: string[] }
export interface IndexInstitution {
  id: string; name: string; group: Group;
  eIndex: number | null;
  /** The weighted mean of what is present, for an incomplete institution; equals eIndex when complete. */
  partialEIndex: number | null;
  complete: boolean;
  missing: string[];
  dimensions: Record<string, DimensionValue>;
  criteria: Record<string, number | null>;
  /** Rank within the institution's group by e-index (1 = best; ties share a rank); null when incomplete. */
  rank: number | null;
}
export type MeanGroup = Group | 'institutions' | 'municipalities';
export interface GroupMean { group: MeanGroup; institutions: number; complete: number; eIndex: number | null; dimensions: Record<string, number | null> }
export interface Ranked { rank: number; id: string; name: string; value: number }
export interface IndexResult {
  indexVersion: number;
  methodology: { version: string; dimensions: { id: string; en: string; lv: string; weight: number }[] };
  run: { id: number; startedAt: string } | null;
  survey: { file: string; rows: number; columns: string[]; unknownIds: string[] };
  institutions: IndexInstitution[];
  groupMeans: GroupMean[];
  rankings: Record<Group, Ranked[]>;
  /** The three best of each group, by e-index and by each dimension. */
  best: Record<Group, Record<string, Ranked[]>>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function weightedMean(parts: { value: number | null; weight: number }[]): { value: number | null; partial: number | null } {
  const present = parts.filter((p): p is { value: number; weight: number } => p.value !== null);
  const w = present.reduce((a, p) => a + p.weight, 0);
  const partial = w > 0 ? round2(present.reduce((a, p) => a + p.value * p.weight, 0) / w) : null;
  return { value: present.length === parts.length ? partial : null, partial };
}

function institutionIndex(inst: IndexInstitutionInput, survey: Survey, m: IndexMethodology): IndexInstitution {
  const row = survey.rows.get(inst.id);
  const criteria: Record<string, number | null> = {};
  const dimensions: Record<string, DimensionValue> = {};
  const missing: string[] = [];
  for (const d of m.dimensions) {
    const parts = d.criteria.map((c) => {
      const value = c.source === 'measured' ? (inst.measured?.[c.measure] ?? null) : (row?.[c.id] ?? null);
      criteria[c.id] = value;
      if (value === null) missing.push(c.id);
      return { value, weight: c.weight };
    });
    const { value, partial } = weightedMean(parts);
    dimensions[d.id] = { value, partial, complete: value !== null, missing: d.criteria.filter((c) => criteria[c.id] === null).map((c) => c.id) };
  }
  const total = weightedMean(m.dimensions.map((d) => ({ value: dimensions[d.id]!.value, weight: d.weight })));
  const partial = weightedMean(m.dimensions.map((d) => ({ value: dimensions[d.id]!.partial, weight: d.weight }))).value;
  return { id: inst.id, name: inst.name, group: inst.group, eIndex: total.value, partialEIndex: total.value ?? partial, complete: missing.length === 0, missing, dimensions, criteria, rank: null };
}

/** Competition ranking ("1, 2, 2, 4"), best first; names break ties only in the order of listing. */
function rank<T extends { id: string; name: string }>(items: T[], value: (t: T) => number | null): Ranked[] {
  const scored = items.map((t) => ({ t, v: value(t) })).filter((x): x is { t: T; v: number } => x.v !== null)
    .sort((a, b) => b.v - a.v || a.t.name.localeCompare(b.t.name, 'lv'));
  return scored.map((x, i) => ({ rank: scored.findIndex((y) => y.v === x.v) + 1, id: x.t.id, name: x.t.name, value: x.v, _i: i })).map(({ _i, ...r }) => r);
}

const GROUPS: Group[] = ['ministry', 'state-institution', 'municipality'];

export function computeIndex(input: { institutions: IndexInstitutionInput[]; survey: Survey; surveyFile: string; run: IndexResult['run'] }, m: IndexMethodology): IndexResult {
  const institutions = input.institutions.map((i) => institutionIndex(i, input.survey, m));
  const rankings = {} as Record<Group, Ranked[]>;
  const best = {} as Record<Group, Record<string, Ranked[]>>;
  for (const g of GROUPS) {
    const mine = institutions.filter((i) => i.group === g);
    rankings[g] = rank(mine, (i) => i.eIndex);
    for (const r of rankings[g]) mine.find((i) => i.id === r.id)!.rank = r.rank;
    best[g] = { eIndex: rankings[g].slice(0, 3) };
    for (const d of m.dimensions) best[g][d.id] = rank(mine, (i) => i.dimensions[d.id]!.value).slice(0, 3);
  }
  const meanOf = (group: MeanGroup, members: IndexInstitution[]): GroupMean => {
    const avg = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null);
      return v.length ? round2(v.reduce((a, b) => a + b, 0) / v.length) : null;
    };
    return {
      group, institutions: members.length, complete: members.filter((i) => i.complete).length,
      eIndex: avg(members.map((i) => i.eIndex)),
      dimensions: Object.fromEntries(m.dimensions.map((d) => [d.id, avg(members.map((i) => i.dimensions[d.id]!.value))])),
    };
  };
  const known = new Set(input.institutions.map((i) => i.id));
  return {
    indexVersion: INDEX_VERSION,
    methodology: { version: m.version, dimensions: m.dimensions.map((d) => ({ id: d.id, en: d.en, lv: d.lv, weight: d.weight })) },
    run: input.run,
    survey: { file: input.surveyFile, rows: input.survey.rows.size, columns: input.survey.columns, unknownIds: [...input.survey.rows.keys()].filter((id) => !known.has(id)) },
    institutions,
    groupMeans: [
      meanOf('institutions', institutions.filter((i) => i.group !== 'municipality')),
      meanOf('municipalities', institutions.filter((i) => i.group === 'municipality')),
      ...GROUPS.map((g) => meanOf(g, institutions.filter((i) => i.group === g))),
    ],
    rankings,
    best,
  };
}
