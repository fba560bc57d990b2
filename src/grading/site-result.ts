// Turns what was gathered into the site result: page scores, mobile verdicts, summary, grade. Pure, so
// a saved set of gathered pages can be re-scored under a new methodology without a browser.
import { mobileVerdicts, siteMobile } from '../checks/mobile.js';
import type { GatheredPage } from '../gather/page.js';
import type { Emulation, Impact, PageResult, SiteResult } from '../schema/result.js';
import { SCHEMA_VERSION } from '../schema/result.js';
import { gradeSite, impactRank, pageAccessibilityScore, siteAccessibilityScore, siteCriticalRules, siteWorstImpact } from './accessibility.js';
import type { Methodology } from './methodology.js';
import { describeMakeup, describeSample, pageWeights, type SampleFacts, type SamplePlanFacts } from './sample.js';

export interface SiteFacts {
  url: string;
  startedAt: Date;
  finishedAt: Date;
  tool: SiteResult['tool'];
  emulation: Emulation;
  axeTags: string[];
  exclusions: NonNullable<SiteResult['exclusions']>;
  statement: SiteResult['accessibilityStatement'];
  discovery: SiteResult['discovery'];
  pages: GatheredPage[];
  observed: SiteResult['observed'];
  /** What the sample statement needs beyond the pages (planned size, robots.txt, deadline). */
  sample: Omit<SampleFacts, 'attempted' | 'audited' | 'interrupted'>;
  /** The audit was stopped (a signal) before its sample was done. */
  interrupted?: boolean;
  /** How a crawled sample was chosen: null for pages given by hand. */
  plan?: SamplePlanFacts | null;
}

export function toPageResult(g: GatheredPage, m: Methodology): PageResult {
  const base = {
    url: g.candidate.url,
    ...(g.finalUrl && g.finalUrl !== g.candidate.url ? { finalUrl: g.finalUrl } : {}),
    ...(g.httpStatus !== undefined ? { httpStatus: g.httpStatus } : {}),
    ...(g.title !== undefined ? { title: g.title } : {}),
    durationMs: g.durationMs,
    ...(g.timings ? { timings: g.timings } : {}),
    source: g.candidate.source,
    ...(g.candidate.reason ? { reason: g.candidate.reason } : {}),
    depth: g.candidate.depth,
  };
  if (g.error || !g.axe || !g.mobileFacts) {
    return { ...base, status: 'error', error: g.error?.message ?? 'the page could not be audited', errorCode: g.error?.code ?? 'error', ...(g.error?.detail ? { errorDetail: g.error.detail } : {}) };
  }
  const score = pageAccessibilityScore(g.axe, m);
  return {
    ...base,
    status: 'ok',
    ...(score !== null ? { accessibilityScore: score } : {}),
    axe: g.axe,
    mobile: mobileVerdicts(g.mobileFacts, m, g.lighthouse?.audits),
    lighthouse: g.lighthouse ?? null,
  };
}

function summarise(pages: PageResult[]): SiteResult['summary'] {
  const byImpact: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  const rules = new Map<string, SiteResult['summary']['topProblems'][number]>();
  let violations = 0;
  for (const p of pages) {
    for (const v of p.axe?.violations ?? []) {
      violations += v.nodes.length;
      if (v.impact) byImpact[v.impact] += v.nodes.length;
      const r = rules.get(v.id);
      if (r) {
        r.pages++;
        r.nodes += v.nodes.length;
      } else {
        const node = v.nodes[0];
        rules.set(v.id, {
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, wcag: v.wcag, pages: 1, nodes: v.nodes.length,
          example: { url: p.url, target: node?.target.join(' ') ?? '', html: node?.html ?? '' },
        });
      }
    }
  }
  const topProblems = [...rules.values()].sort((a, b) => impactRank(b.impact) - impactRank(a.impact) || b.pages - a.pages || b.nodes - a.nodes);
  const ok = pages.filter((p) => p.status === 'ok').length;
  return { pagesAudited: pages.length, pagesOk: ok, pagesError: pages.length - ok, violations, violationsByImpact: byImpact, topProblems };
}

export function buildSiteResult(f: SiteFacts, m: Methodology): SiteResult {
  const pages = f.pages.map((g) => toPageResult(g, m));
  const ok = pages.filter((p) => p.status === 'ok');
  // Each page weighs what it stands for: its share of the site, not one page of the sample.
  const weights = pageWeights(pages.map((p) => ({ url: p.url, finalUrl: p.finalUrl, ok: p.status === 'ok' })), f.plan);
  const okWeights = weights.filter((_, i) => pages[i]!.status === 'ok');
  const accessibilityScore = siteAccessibilityScore(ok.map((p) => p.accessibilityScore), okWeights);
  const { grade, reason } = gradeSite({ score: accessibilityScore, worstImpact: siteWorstImpact(ok), criticalRules: siteCriticalRules(ok), statementFound: f.statement.found }, m);
  const { mobileFriendly, mobileScore } = siteMobile(ok.map((p) => p.mobile), m, okWeights);
  const described = describeSample({ ...f.sample, attempted: pages.length, audited: ok.length, interrupted: !!f.interrupted }, m);
  const { provisional } = described;
  const sample = f.plan ? { ...described.sample, ...describeMakeup(f.pages, weights, f.plan, m) } : described.sample;
  return {
    schemaVersion: SCHEMA_VERSION,
    url: f.url,
    startedAt: f.startedAt.toISOString(),
    finishedAt: f.finishedAt.toISOString(),
    durationMs: f.finishedAt.getTime() - f.startedAt.getTime(),
    tool: f.tool,
    methodology: { version: m.version },
    emulation: f.emulation,
    axeTags: f.axeTags,
    exclusions: f.exclusions,
    grade,
    gradeProvisional: grade !== null && provisional,
    gradeLabel: grade ? m.accessibility.labels[grade] : null,
    gradeReason: reason,
    accessibilityScore,
    mobileFriendly,
    mobileScore,
    accessibilityStatement: f.statement,
    discovery: f.discovery,
    sample,
    observed: f.observed,
    summary: summarise(pages),
    pages,
    ...(f.interrupted ? { interrupted: true } : {}),
  };
}
