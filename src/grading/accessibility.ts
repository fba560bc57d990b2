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

export function siteAccessibilityScore(pageScores: (number | null | undefined)[]): number | null {
  const scores = pageScores.filter((s): s is number => typeof s === 'number');
  return scores.length ? round1(scores.reduce((a, b) => a + b, 0) / scores.length) : null;
}

export interface GradeInput {
  score: number | null;
  worstImpact: Impact | null;
  /** Distinct axe rules failing with critical impact anywhere on the site: each is a kind of blocker. */
  criticalRules: number;
  statementFound: boolean;
}

export interface GradeOutcome { grade: Grade | null; reason: string }

export function gradeSite(input: GradeInput, m: Methodology): GradeOutcome {
  if (input.score === null) return { grade: null, reason: 'no page could be audited' };
  const misses: string[] = [];
  for (const level of m.accessibility.grades) {
    const why: string[] = [];
    if (input.score < level.minScore) why.push(`score ${input.score} < ${level.minScore}`);
    if (impactRank(input.worstImpact) > impactRank(level.worstImpactAllowed)) why.push(`${input.worstImpact} violations present`);
    if (input.criticalRules > level.maxCriticalRules) why.push(`${input.criticalRules} kinds of critical violation`);
    if (level.requiresStatement && !input.statementFound) why.push('no accessibility statement linked');
    if (why.length === 0) {
      const reason = misses.length ? `${misses.join('; ')}` : `score ${input.score}, worst impact ${input.worstImpact ?? 'none'}`;
      return { grade: level.grade, reason };
    }
    misses.push(`not ${level.grade}: ${why.join(', ')}`);
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
