// The compliance report as data: built from stored runs only (no browser, no network), then rendered as
// HTML, PDF, CSV or JSON. Everything a renderer shows is decided here, so the formats cannot disagree.
import type { Grade, Impact, PageResult, SiteResult } from '../schema/result.js';
import { pageKey } from '../crawl/url.js';
import { gradeSite, impactRank, siteCriticalRules, siteWorstImpact } from '../grading/accessibility.js';
import { DEFAULT_METHODOLOGY } from '../grading/methodology.js';
import type { Group } from '../targets/targets.js';
import type { IndexResult } from '../index/compute.js';
import { confidenceLine, makeupLine, mobileDetail, sampleLine } from './i18n.js';
import { OBSERVED_CRITERION, type ObservedKind } from '../checks/observed.js';
import wcagData from './data/wcag.json' with { type: 'json' };
import hintData from './data/hints.json' with { type: 'json' };
import reference2019 from './data/reference-2019.json' with { type: 'json' };

export const REPORT_VERSION = 1;
export const GRADES: Grade[] = ['highest', 'high', 'medium', 'low'];
export const GROUPS: Group[] = ['ministry', 'state-institution', 'municipality'];
const EVIDENCE_PER_RULE = 3;
const FIX_FIRST = 5;

export interface ReportRun { id: number; startedAt: string; finishedAt: string | null; status: string; methodologyVersion: string }
export interface ReportSite { id: string; name: string; group: Group; url: string; status: 'ok' | 'error'; error: string | null; result: SiteResult | null }
export interface ReportInput { run: ReportRun; sites: ReportSite[]; previous: { run: ReportRun; sites: ReportSite[] } | null; index?: IndexResult | null; generatedAt?: Date }

export interface Share { count: number; share: number | null }
export interface GroupSummary {
  group: Group;
  institutions: number;
  audited: number;
  notAudited: number;
  grades: Record<Grade, Share>;
  mobileFriendly: Share;
  statement: Share;
  meanAccessibilityScore: number | null;
  best: { id: string; name: string; grade: Grade | null; accessibilityScore: number | null; mobileScore: number | null }[];
  /** Differences from the previous run (shares as fractions, score in points); null without one. */
  change: { grades: Record<Grade, number | null>; mobileFriendly: number | null; statement: number | null; meanAccessibilityScore: number | null } | null;
}

export interface Evidence { url: string; target: string; html: string; screenshot?: string }
export interface RuleFinding {
  id: string; impact: Impact | null; help: string; hint: { en: string; lv: string }; helpUrl: string; wcag: string[];
  pages: number; nodes: number;
  /**
   * true: failing on a page audited in both runs that it did not fail on before; false: failing only where it
   * failed before; null: no previous run, or it fails only on pages the previous run did not audit (a new
   * page of the sample is no new problem).
   */
  isNew: boolean | null;
  evidence: Evidence[];
}
export interface CriterionFindings {
  /** WCAG success criterion, or null for axe-core best-practice rules. */
  sc: string | null; level: string | null; title: { en: string; lv: string } | null; en301549: string | null;
  rules: RuleFinding[];
}
export interface InstitutionReport {
  id: string; name: string; group: Group; url: string; status: 'ok' | 'error'; error: string | null;
  grade: Grade | null; gradeLabel: { en: string; lv: string } | null; gradeReason: { en: string; lv: string } | null;
  /** Links seen on the site that survey answers can be checked against, with the survey's value beside. */
  observed: { kind: ObservedKind; criterion: string; urls: string[]; surveyValue: number | null }[] | null;
  /** What the grade stands on (null for results stored before the sample was stated). */
  sample: { en: string; lv: string; complete: boolean; makeup: { en: string; lv: string } | null; confidence: { en: string; lv: string } | null } | null; gradeProvisional: boolean;
  /** What the webmaster left out (selectors, URL patterns, ignored rules); null when nothing was. */
  exclusions: NonNullable<SiteResult['exclusions']> | null;
  accessibilityScore: number | null; mobileFriendly: boolean | null; mobileScore: number | null;
  statement: { found: boolean; url: string | null } | null;
  pagesOk: number; pagesError: number; auditedAt: string | null;
  emulation: SiteResult['emulation'] | null;
  previous: { runId: number; grade: Grade | null; accessibilityScore: number | null; mobileScore: number | null } | null;
  fixFirst: RuleFinding[];
  criteria: CriterionFindings[];
  /** Failing in the previous run, and not now on any of those pages that were audited both times. */
  fixed: { id: string; impact: Impact | null; help: string; wcag: string[] }[];
  /** Failing in the previous run on pages that could not be audited this time: neither fixed nor failing. */
  notRechecked: { id: string; impact: Impact | null; help: string; wcag: string[] }[];
  /** Each failing mobile check: on how many pages, and an example (a page and its detail, in both languages). */
  failedMobileChecks: { check: MobileCheck; pages: number; example: { en: string; lv: string } }[];
  pageErrors: { url: string; code: string; error: string }[];
}
export type MobileCheck = 'viewport' | 'fitsScreen' | 'legibleText' | 'tapTargets' | 'noPlugins';

export interface Report {
  reportVersion: number;
  generatedAt: string;
  run: ReportRun;
  previousRun: ReportRun | null;
  groups: GroupSummary[];
  /** Ministries and state institutions together, beside the municipalities, as the 2019 report compared them. */
  reference2019: typeof reference2019 & { current: { institutions: Record<Grade, number | null> & { mobileFriendly: number | null }; municipalities: Record<Grade, number | null> & { mobileFriendly: number | null } } };
  institutions: InstitutionReport[];
  index: IndexResult | null;
  /**
   * The e-index headline as the 2019 edition printed it ("Kopējais iestāžu e-indekss 44,55 %"): the mean
   * e-index (0–100, read as a percentage) of ministries and state institutions together, and of
   * municipalities, beside 2019's. Null without an e-index.
   */
  headline: { institutions: HeadlineFigure; municipalities: HeadlineFigure } | null;
}
export interface HeadlineFigure { eIndex: number | null; complete: number; institutions: number; eIndex2019: number }

const WCAG = wcagData.criteria as Record<string, { level: string; en301549: string | null; en: string; lv: string }>;
const HINTS_LV = hintData.lv as Record<string, string>;
const HELP_LV = hintData.help.lv as Record<string, string>;

/** A rule's title in the report's language: axe-core's own in English, the catalogue's in Latvian. */
export function ruleHelp(lang: 'en' | 'lv', id: string, english: string): string {
  return lang === 'lv' ? HELP_LV[id] ?? english : english;
}

/** The rules of the catalogue: what a unit test checks against axe-core's default set. */
export const LATVIAN_RULE_TEXTS = { help: HELP_LV, fix: HINTS_LV };

export function criterionInfo(sc: string) {
  return WCAG[sc] ?? null;
}

const share = (count: number, of: number): Share => ({ count, share: of > 0 ? count / of : null });
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const delta = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined ? null : a - b);
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/** The best sites first: grade, then accessibility score, then mobile score, then name. */
export function rankSites<T extends { name: string; result: SiteResult | null }>(sites: T[]): T[] {
  const g = (s: T) => (s.result?.grade ? GRADES.indexOf(s.result.grade) : GRADES.length);
  return [...sites].sort((a, b) => g(a) - g(b) || (b.result?.accessibilityScore ?? -1) - (a.result?.accessibilityScore ?? -1)
    || (b.result?.mobileScore ?? -1) - (a.result?.mobileScore ?? -1) || a.name.localeCompare(b.name, 'lv'));
}

function summariseGroup(group: Group, sites: ReportSite[]): Omit<GroupSummary, 'change'> {
  const mine = sites.filter((s) => s.group === group);
  const audited = mine.filter((s): s is ReportSite & { result: SiteResult } => s.status === 'ok' && s.result !== null);
  const grades = Object.fromEntries(GRADES.map((g) => [g, share(audited.filter((s) => s.result.grade === g).length, audited.length)])) as Record<Grade, Share>;
  return {
    group,
    institutions: mine.length,
    audited: audited.length,
    notAudited: mine.length - audited.length,
    grades,
    mobileFriendly: share(audited.filter((s) => s.result.mobileFriendly === true).length, audited.length),
    statement: share(audited.filter((s) => s.result.accessibilityStatement.found).length, audited.length),
    meanAccessibilityScore: round1(mean(audited.map((s) => s.result.accessibilityScore).filter((x): x is number => x !== null))),
    best: rankSites(audited).slice(0, 3).map((s) => ({ id: s.id, name: s.name, grade: s.result.grade, accessibilityScore: s.result.accessibilityScore, mobileScore: s.result.mobileScore })),
  };
}

function combinedShares(sites: ReportSite[]) {
  const audited = sites.filter((s) => s.status === 'ok' && s.result);
  const of = (n: number) => (audited.length ? n / audited.length : null);
  return {
    ...(Object.fromEntries(GRADES.map((g) => [g, of(audited.filter((s) => s.result!.grade === g).length)])) as Record<Grade, number | null>),
    mobileFriendly: of(audited.filter((s) => s.result!.mobileFriendly === true).length),
  };
}

/** Rule id → the rule as it failed on this site, across its pages. */
function siteRules(result: SiteResult | null) {
  const rules = new Map<string, { id: string; impact: Impact | null; help: string; helpUrl: string; wcag: string[]; pages: number; nodes: number; evidence: Evidence[]; failureSummary?: string }>();
  for (const p of result?.pages ?? []) {
    for (const v of p.axe?.violations ?? []) {
      let r = rules.get(v.id);
      if (!r) rules.set(v.id, (r = { id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, wcag: v.wcag, pages: 0, nodes: 0, evidence: [], failureSummary: v.nodes[0]?.failureSummary }));
      r.pages++;
      r.nodes += v.nodes.length;
      // One element per page as evidence, the one with a screenshot where there is one; a rule is pictured
      // once per site, so the pictured page goes first.
      const node = v.nodes.find((n) => n.screenshot) ?? v.nodes[0];
      if (node) {
        const ev: Evidence = { url: p.url, target: node.target.join(' '), html: node.html, ...(node.screenshot ? { screenshot: node.screenshot } : {}) };
        if (ev.screenshot && !r.evidence.some((x) => x.screenshot)) r.evidence.unshift(ev);
        else r.evidence.push(ev);
        r.evidence.length = Math.min(r.evidence.length, EVIDENCE_PER_RULE);
      }
    }
  }
  return rules;
}

/** A page's identity across runs: where it landed, normalised (crawl/url.ts pageKey). */
const samePage = (p: PageResult) => pageKey(p.finalUrl ?? p.url);

/** The previous run's pages audited, by samePage: what newSince compares with. */
const auditedIn = (before: SiteResult) => new Map(before.pages.filter((p) => p.status === 'ok').map((p) => [samePage(p), p]));

/** Whether a rule is new since the previous run, judged only on the pages audited in both runs. */
function newSince(ruleId: string, now: SiteResult | null, auditedBefore: Map<string, PageResult>): boolean | null {
  if (!now) return null;
  const fails = (p: PageResult | undefined) => !!p?.axe?.violations.some((v) => v.id === ruleId);
  const onBoth = now.pages.filter((p) => fails(p) && auditedBefore.has(samePage(p)));
  if (!onBoth.length) return null;
  return onBoth.some((p) => !fails(auditedBefore.get(samePage(p))));
}

/**
 * A rule counts as fixed only where it can be seen to be: some page it failed on before was audited again
 * and it fails on none of them now. A rule whose pages all failed to load this time is "not re-checked".
 */
function fixedSince(now: SiteResult | null, before: SiteResult | null, prevRules: ReturnType<typeof siteRules> | null, current: Set<string>) {
  if (!now || !before || !prevRules) return { fixed: [], notRechecked: [] };
  const auditedNow = new Set(now.pages.filter((p) => p.status === 'ok').map(samePage));
  const fixed: InstitutionReport['fixed'] = [];
  const notRechecked: InstitutionReport['notRechecked'] = [];
  for (const rule of prevRules.values()) {
    if (current.has(rule.id)) continue;
    const pages = before.pages.filter((p) => p.axe?.violations.some((v) => v.id === rule.id)).map(samePage);
    const entry = { id: rule.id, impact: rule.impact, help: rule.help, wcag: rule.wcag };
    (pages.some((u) => auditedNow.has(u)) ? fixed : notRechecked).push(entry);
  }
  return { fixed, notRechecked };
}

/**
 * Why the grade, in both languages: the result stores the English reason; the Latvian one is derived by
 * the same grading code, when the result was graded by the methodology this code carries.
 */
function reasons(r: SiteResult): { en: string; lv: string } {
  if (r.methodology.version !== DEFAULT_METHODOLOGY.version) return { en: r.gradeReason, lv: r.gradeReason };
  const ok = r.pages.filter((p) => p.status === 'ok');
  const input = { score: r.accessibilityScore, worstImpact: siteWorstImpact(ok), criticalRules: siteCriticalRules(ok), statementFound: r.accessibilityStatement.found };
  return { en: r.gradeReason, lv: gradeSite(input, DEFAULT_METHODOLOGY, 'lv').reason };
}

/** axe's help, plus the first thing its failure summary says to fix ("Element does not have an alt attribute"). */
function firstFix(help: string, summary: string | undefined): string {
  const first = summary?.split('\n').map((l) => l.trim()).find((l) => l && !/^Fix (any|all) of the following:?$/i.test(l));
  return first ? `${help}: ${first.replace(/\.$/, '')}.` : help;
}

function institutionReport(site: ReportSite, previous: { runId: number; site: ReportSite } | null, index: IndexResult | null): InstitutionReport {
  const r = site.result;
  const surveyed = index?.institutions.find((x) => x.id === site.id)?.criteria ?? null;
  const prevResult = previous?.site.status === 'ok' ? previous.site.result : null;
  const prevRules = prevResult ? siteRules(prevResult) : null;
  const auditedBefore = prevResult ? auditedIn(prevResult) : null;
  const rules = [...siteRules(r).values()]
    .sort((a, b) => impactRank(b.impact) - impactRank(a.impact) || b.pages - a.pages || b.nodes - a.nodes || a.id.localeCompare(b.id))
    .map((x): RuleFinding => ({
      id: x.id, impact: x.impact, help: x.help, helpUrl: x.helpUrl, wcag: x.wcag, pages: x.pages, nodes: x.nodes, evidence: x.evidence,
      hint: { en: firstFix(x.help, x.failureSummary), lv: HINTS_LV[x.id] ?? x.help },
      isNew: auditedBefore ? newSince(x.id, r, auditedBefore) : null,
    }));
  const bySc = new Map<string | null, RuleFinding[]>();
  for (const rule of rules) for (const sc of rule.wcag.length ? rule.wcag : [null]) bySc.set(sc, [...(bySc.get(sc) ?? []), rule]);
  const scKey = (sc: string | null) => (sc === null ? [99] : sc.split('.').map(Number));
  const criteria = [...bySc.entries()]
    .sort(([a], [b]) => { const x = scKey(a), y = scKey(b); for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0); return 0; })
    .map(([sc, list]): CriterionFindings => {
      const info = sc ? WCAG[sc] : undefined;
      return { sc, level: info?.level ?? null, title: info ? { en: info.en, lv: info.lv } : null, en301549: info?.en301549 ?? null, rules: list };
    });
  const current = new Set(rules.map((x) => x.id));
  const failedMobile = new Map<MobileCheck, { pages: number; example: { en: string; lv: string } }>();
  for (const p of r?.pages ?? []) {
    if (!p.mobile) continue;
    for (const check of ['viewport', 'fitsScreen', 'legibleText', 'tapTargets', 'noPlugins'] as const) {
      if (p.mobile[check].pass) continue;
      const f = failedMobile.get(check) ?? { pages: 0, example: { en: `${p.url}: ${mobileDetail('en', check, p.mobile)}`, lv: `${p.url}: ${mobileDetail('lv', check, p.mobile)}` } };
      f.pages++;
      failedMobile.set(check, f);
    }
  }
  return {
    id: site.id, name: site.name, group: site.group, url: site.url, status: site.status, error: site.error,
    grade: r?.grade ?? null, gradeLabel: r?.gradeLabel ?? null, gradeReason: r ? reasons(r) : null,
    observed: r?.observed ? (Object.keys(OBSERVED_CRITERION) as ObservedKind[]).map((kind) => ({
      kind, criterion: OBSERVED_CRITERION[kind], urls: r.observed[kind], surveyValue: surveyed?.[OBSERVED_CRITERION[kind]] ?? null,
    })) : null,
    sample: r?.sample ? { en: sampleLine('en', r.sample, r.gradeProvisional), lv: sampleLine('lv', r.sample, r.gradeProvisional), complete: r.sample.complete, makeup: makeupLine('en', r.sample) ? { en: makeupLine('en', r.sample)!, lv: makeupLine('lv', r.sample)! } : null, confidence: confidenceLine('en', r.sample) ? { en: confidenceLine('en', r.sample)!, lv: confidenceLine('lv', r.sample)! } : null } : null,
    gradeProvisional: r?.gradeProvisional ?? false,
    exclusions: r?.exclusions && (r.exclusions.selectors.length || r.exclusions.urlPatterns.length || r.exclusions.ignoredRules.length) ? r.exclusions : null,
    accessibilityScore: r?.accessibilityScore ?? null, mobileFriendly: r?.mobileFriendly ?? null, mobileScore: r?.mobileScore ?? null,
    statement: r ? { found: r.accessibilityStatement.found, url: r.accessibilityStatement.url } : null,
    pagesOk: r?.summary.pagesOk ?? 0, pagesError: r?.summary.pagesError ?? 0, auditedAt: r?.finishedAt ?? null,
    emulation: r?.emulation ?? null,
    previous: previous && prevResult ? { runId: previous.runId, grade: prevResult.grade, accessibilityScore: prevResult.accessibilityScore, mobileScore: prevResult.mobileScore } : null,
    fixFirst: rules.slice(0, FIX_FIRST),
    criteria,
    ...fixedSince(r, prevResult, prevRules, current),
    failedMobileChecks: [...failedMobile.entries()].map(([check, f]) => ({ check, ...f })),
    pageErrors: (r?.pages ?? []).filter((p) => p.status === 'error').map((p) => ({ url: p.url, code: p.errorCode ?? 'error', error: p.error ?? '' })),
  };
}

/** One site's result as a report's institution (the dashboard's check page, `eindex audit --html`). */
export function siteReport(result: SiteResult, name = result.url): InstitutionReport {
  return buildReport({
    run: { id: 0, startedAt: result.startedAt, finishedAt: result.finishedAt, status: 'done', methodologyVersion: result.methodology.version },
    sites: [{ id: 'site', name, group: 'state-institution', url: result.url, status: 'ok', error: null, result }], previous: null,
  }).institutions[0]!;
}

export function buildReport(input: ReportInput): Report {
  const prevById = new Map((input.previous?.sites ?? []).map((s) => [s.id, s]));
  const groups = GROUPS.map((group): GroupSummary => {
    const now = summariseGroup(group, input.sites);
    const before = input.previous ? summariseGroup(group, input.previous.sites) : null;
    const change = before && before.audited > 0 && now.audited > 0 ? {
      grades: Object.fromEntries(GRADES.map((g) => [g, delta(now.grades[g].share, before.grades[g].share)])) as Record<Grade, number | null>,
      mobileFriendly: delta(now.mobileFriendly.share, before.mobileFriendly.share),
      statement: delta(now.statement.share, before.statement.share),
      meanAccessibilityScore: round1(delta(now.meanAccessibilityScore, before.meanAccessibilityScore)),
    } : null;
    return { ...now, change };
  }).filter((g) => g.institutions > 0);
  const isInstitution = (s: ReportSite) => s.group !== 'municipality';
  return {
    reportVersion: REPORT_VERSION,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    run: input.run,
    previousRun: input.previous?.run ?? null,
    groups,
    reference2019: {
      ...reference2019,
      current: { institutions: combinedShares(input.sites.filter(isInstitution)), municipalities: combinedShares(input.sites.filter((s) => !isInstitution(s))) },
    },
    institutions: [...input.sites]
      .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || a.name.localeCompare(b.name, 'lv'))
      .map((s) => institutionReport(s, input.previous && prevById.has(s.id) ? { runId: input.previous.run.id, site: prevById.get(s.id)! } : null, input.index ?? null)),
    index: input.index ?? null,
    headline: input.index ? headlineOf(input.index) : null,
  };
}

function headlineOf(x: IndexResult): Report['headline'] {
  const figure = (group: 'institutions' | 'municipalities'): HeadlineFigure => {
    const mean = x.groupMeans.find((g) => g.group === group);
    return { eIndex: mean?.eIndex ?? null, complete: mean?.complete ?? 0, institutions: mean?.institutions ?? 0, eIndex2019: round2(reference2019.eIndex[group] * 100) };
  };
  return { institutions: figure('institutions'), municipalities: figure('municipalities') };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
