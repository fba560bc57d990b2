// Accessibility scoring and grading: pure functions of axe results and the methodology.
//
// A page's score is Lighthouse's kind of score: the weighted share of the applicable axe rules that
// pass, a rule weighing by its impact. The site's score is the mean over the pages audited. The grade
// then also looks at the worst impact found anywhere and at the accessibility statement, because a
// mean can hide a blocker: no site with a critical or serious violation can earn "highest".
import type { AxeResult, Grade, Impact, PageResult } from '../schema/result.js';
import type { Methodology } from './methodology.js';

const IMPACT_ORDER: Impact[] = ['minor', 'moderate', 'serious', 'critical'];

export function impactRank(impact: Impact | null | undefined): number {
  return impact ? IMPACT_ORDER.indexOf(impact) : -1;
}

export function worstImpact(impacts: Iterable<Impact | null | undefined>): Impact | null {
  let worst: Impact | null = null;
  for (const i of impacts) if (i && impactRank(i) > impactRank(worst)) worst = i;
  return worst;
}

/**
 * 0–100, or null when no rule applied. Each applicable rule counts with its impact's weight; a rule
 * earns half its weight for not failing at all (Lighthouse's view: one failure fails the audit) and
 * half in proportion to the share of its checked elements that pass (how far the problem reaches).
 */
export function pageAccessibilityScore(axe: AxeResult, m: Methodology): number | null {
  const weight = (impact: Impact | null) => m.axe.impactWeights[impact ?? 'moderate'] ?? 0;
  const passedNodes = new Map(axe.passes.map((r) => [r.id, r.nodes]));
  let earned = 0;
  let total = 0;
  for (const r of axe.violations) {
    const passed = passedNodes.get(r.id) ?? 0;
    total += weight(r.impact);
    earned += weight(r.impact) * m.axe.extentShare * (passed / (passed + r.nodes.length));
    passedNodes.delete(r.id);
  }
  for (const r of axe.passes) {
    if (!passedNodes.has(r.id)) continue;
    total += weight(r.impact);
    earned += weight(r.impact);
  }
  return total === 0 ? null : round1((100 * earned) / total);
}

/** The mean of the pages' scores, each page weighing what it stands for (its share of the site; 1 each by default). */
export function siteAccessibilityScore(pageScores: (number | null | undefined)[], weights?: number[]): number | null {
  return weightedMean(pageScores, weights);
}

/** The weighted mean of the numbers given (null and undefined left out), or null when there is none. */
export function weightedMean(values: (number | null | undefined)[], weights?: number[]): number | null {
  let sum = 0;
  let total = 0;
  values.forEach((v, i) => {
    if (typeof v !== 'number') return;
    const w = weights?.[i] ?? 1;
    sum += v * w;
    total += w;
  });
  return total > 0 ? round1(sum / total) : null;
}

export interface GradeInput {
  score: number | null;
  worstImpact: Impact | null;
  /** Distinct axe rules failing with critical impact anywhere on the site: each is a kind of blocker. */
  criticalRules: number;
  statementFound: boolean;
}

export interface GradeOutcome { grade: Grade | null; reason: string }

/** Agreeing with "pārkāpumi" (masculine plural) and with "ietekme" (feminine singular). */
const IMPACT_LV: Record<Impact, string> = { critical: 'kritiski', serious: 'nopietni', moderate: 'mēreni', minor: 'nelieli' };
const IMPACT_LV_IETEKME: Record<Impact, string> = { critical: 'kritiska', serious: 'nopietna', moderate: 'mērena', minor: 'neliela' };

/** The words of a grade's reason, in English (stored in the result) or Latvian (reports). */
const REASON = {
  en: {
    none: 'no page could be audited', num: (n: number) => String(n),
    score: (a: string, b: string) => `score ${a} < ${b}`, impact: (i: Impact) => `${i} violations present`,
    critical: (n: number) => `${n} kinds of critical violation`, statement: 'no accessibility statement linked',
    not: (g: Grade, m: Methodology) => `not ${g}`, ok: (a: string, i: Impact | null) => `score ${a}, worst impact ${i ?? 'none'}`,
  },
  lv: {
    none: 'nevienu lapu neizdevās auditēt', num: (n: number) => String(n).replace('.', ','),
    score: (a: string, b: string) => `vērtējums ${a} < ${b}`, impact: (i: Impact) => `ir ${IMPACT_LV[i]} pārkāpumi`,
    critical: (n: number) => `${n} veidu kritiski pārkāpumi`, statement: 'nav saites uz piekļūstamības paziņojumu',
    not: (g: Grade, m: Methodology) => `nav „${m.accessibility.labels[g].lv}”`, ok: (a: string, i: Impact | null) => `vērtējums ${a}, smagākā ietekme: ${i ? IMPACT_LV_IETEKME[i] : 'nav pārkāpumu'}`,
  },
};

export function gradeSite(input: GradeInput, m: Methodology, lang: 'en' | 'lv' = 'en'): GradeOutcome {
  const w = REASON[lang];
  if (input.score === null) return { grade: null, reason: w.none };
  const misses: string[] = [];
  for (const level of m.accessibility.grades) {
    const why: string[] = [];
    if (input.score < level.minScore) why.push(w.score(w.num(input.score), w.num(level.minScore)));
    if (impactRank(input.worstImpact) > impactRank(level.worstImpactAllowed)) why.push(w.impact(input.worstImpact!));
    if (input.criticalRules > level.maxCriticalRules) why.push(w.critical(input.criticalRules));
    if (level.requiresStatement && !input.statementFound) why.push(w.statement);
    if (why.length === 0) {
      const reason = misses.length ? `${misses.join('; ')}` : w.ok(w.num(input.score), input.worstImpact);
      return { grade: level.grade, reason };
    }
    misses.push(`${w.not(level.grade, m)}: ${why.join(', ')}`);
  }
  return { grade: m.accessibility.grades.at(-1)!.grade, reason: misses.join('; ') };
}

export function siteWorstImpact(pages: PageResult[]): Impact | null {
  return worstImpact(pages.flatMap((p) => p.axe?.violations.map((v) => v.impact) ?? []));
}

export function siteCriticalRules(pages: PageResult[]): number {
  return new Set(pages.flatMap((p) => p.axe?.violations.filter((v) => v.impact === 'critical').map((v) => v.id) ?? [])).size;
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
