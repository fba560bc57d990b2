// The sample, stated: how many of the planned pages were audited, why not all of them, and whether the
// grade can stand on what was audited (methodology: `sample`). Pure.
import type { Methodology } from './methodology.js';
import type { Sample } from '../schema/result.js';
import type { Candidate } from '../crawl/sampler.js';

export interface SampleFacts {
  /** Pages the audit set out to audit. */
  planned: number;
  /** Pages attempted, and how many of them were audited. */
  attempted: number;
  audited: number;
  crawl: boolean;
  robotsTxt: 'found' | 'none' | 'error';
  robotsProblem?: string;
  /** Pages found but kept out by robots.txt. */
  disallowed: number;
  /** The site's time budget ran out with pages still to audit. */
  deadlineReached: boolean;
  /** The audit was stopped (SIGTERM, SIGINT) before the sample was done. */
  interrupted?: boolean;
  /** Some page's links were read (the start page's HTML at least): without them a short sample is not the whole site. */
  linksRead?: boolean;
  /** Every page found was to be audited (--census), not a sample. */
  census?: boolean;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function describeSample(f: SampleFacts, m: Methodology): { sample: Sample; provisional: boolean } {
  const reasons: Sample['reasons'] = [];
  const short = f.attempted < f.planned;
  if (f.robotsTxt === 'error') {
    reasons.push({ code: 'robots-unavailable', detail: `robots.txt could not be read (${f.robotsProblem ?? 'error'}), which RFC 9309 says to take as "disallow all": only the pages named were audited` });
  }
  if (short && f.disallowed > 0 && f.robotsTxt !== 'error') {
    reasons.push({ code: 'robots-disallowed', detail: `${plural(f.disallowed, 'page', 'pages')} found ${f.disallowed === 1 ? 'is' : 'are'} disallowed by robots.txt` });
  }
  if (f.attempted > f.audited) {
    reasons.push({ code: 'pages-failed', detail: `${f.attempted - f.audited} of ${plural(f.attempted, 'page', 'pages')} could not be audited` });
  }
  if (short && f.deadlineReached) reasons.push({ code: 'deadline', detail: "the site's time budget ran out" });
  if (f.interrupted) reasons.push({ code: 'interrupted', detail: 'the audit was stopped before its sample was done' });
  if (short && f.crawl && f.linksRead === false && f.audited > 0) {
    reasons.push({ code: 'links-unread', detail: "the start page's links could not be read, so the site's other pages are unknown" });
  }
  if (short && !reasons.some((r) => r.code !== 'pages-failed' && r.code !== 'robots-disallowed')) {
    reasons.push({ code: 'too-few-pages', detail: f.crawl ? `only ${plural(f.attempted, 'page was', 'pages were')} found to sample` : `only ${plural(f.attempted, 'page was', 'pages were')} given` });
  }
  // A small site audited whole is the whole site, not an incomplete sample of it; pages its robots.txt
  // keeps out are the owner's choice, said, but they do not make the whole of the rest provisional.
  const wholeSite = f.crawl && short && f.audited === f.attempted && f.audited > 0 && reasons.every((r) => r.code === 'too-few-pages' || r.code === 'robots-disallowed');
  const disallowedNote = reasons.filter((r) => r.code === 'robots-disallowed');
  if (wholeSite) reasons.splice(0, reasons.length, ...disallowedNote);
  const complete = f.audited >= f.planned || wholeSite;
  // A small site audited whole is a whole site: only a shortfall with another cause makes a grade provisional.
  // A whole site with pages robots.txt keeps out is provisional when those are a large part of what was found.
  const keptOut = wholeSite && f.disallowed > 0 && f.audited / (f.audited + f.disallowed) < m.sample.provisionalBelowShare;
  const provisional = keptOut || !wholeSite && f.audited > 0 && f.audited / f.planned < m.sample.provisionalBelowShare && reasons.some((r) => r.code !== 'too-few-pages');
  const counted = `${f.audited} of ${plural(f.planned, 'planned page', 'planned pages')} audited`;
  const statement = f.census && complete ? `Census complete: every page found audited (${plural(f.audited, 'page', 'pages')}).`
    : wholeSite ? `Sample complete: the whole site (${plural(f.audited, 'page', 'pages')}${disallowedNote.length ? `; ${disallowedNote[0]!.detail}` : ''}).`
    : complete ? `Sample complete: ${counted}.`
    : f.audited === 0 ? `No page could be audited: ${reasons.map((r) => r.detail).join('; ')}. No grade.`
    : `Sample incomplete: ${counted}: ${reasons.map((r) => r.detail).join('; ')}.${provisional ? ' The grade is provisional.' : ''}`;
  return { sample: { planned: f.planned, audited: f.audited, complete, ...(wholeSite ? { wholeSite } : {}), reasons, statement }, provisional };
}

export interface SamplePlanFacts {
  seed: number;
  /** Pages explored to choose the sample from, and the templates told apart among them. */
  explored: number;
  templates: number;
  templateOf(url: string): number | null;
  /** Each template's pages among those explored. */
  templateSizes: Map<number, number>;
  /** Exploring read every page it found (the frontier ran dry), not stopping at its limit or its time. */
  exploredAll: boolean;
  census: boolean;
}

/**
 * What each page stands for in the grade: a page audited of a template stands for its share of that
 * template's pages explored (one template's 200 pages over its 4 pages audited: 50 each); a page with no
 * template (its HTML was not read) for itself; a page not audited for nothing. Without a plan, 1 each.
 */
export function pageWeights(pages: { url: string; finalUrl?: string; ok: boolean }[], plan?: SamplePlanFacts | null): number[] {
  if (!plan) return pages.map((p) => (p.ok ? 1 : 0));
  const templates = pages.map((p) => (p.ok ? plan.templateOf(p.finalUrl ?? p.url) ?? plan.templateOf(p.url) : null));
  const audited = new Map<number, number>();
  for (const t of templates) if (t !== null) audited.set(t, (audited.get(t) ?? 0) + 1);
  return pages.map((p, i) => {
    const t = templates[i]!;
    if (!p.ok) return 0;
    return t === null ? 1 : Math.max(1, (plan.templateSizes.get(t) ?? 1) / audited.get(t)!);
  });
}

/**
 * The chance that none of `audited` pages drawn from `explored` has a failure present on `share` of them:
 * C(N−K, n) / C(N, n), hypergeometric. The sample is not drawn purely at random (every template is in it),
 * so this is what it says of a failure that comes with content rather than with a template.
 */
export function missChance(explored: number, audited: number, share: number): number {
  const failing = Math.max(1, Math.round(share * explored));
  if (audited + failing > explored) return 0;
  let p = 1;
  for (let i = 0; i < audited; i++) p *= (explored - failing - i) / (explored - i);
  return Math.round(p * 1000) / 1000;
}

export function describeConfidence(pages: { template: number | null; standsFor: number }[], plan: SamplePlanFacts, m: Methodology): NonNullable<Sample['confidence']> {
  const audited = pages.filter((p) => p.standsFor > 0);
  const templatesAudited = new Set(audited.map((p) => p.template).filter((t): t is number => t !== null));
  const explored = Math.max(plan.explored, audited.length);
  const inAudited = [...templatesAudited].reduce((a, t) => a + (plan.templateSizes.get(t) ?? 0), 0);
  const shaped = [...plan.templateSizes.values()].reduce((a, b) => a + b, 0);
  return {
    explored, exploredAll: plan.exploredAll, audited: audited.length, templates: plan.templates, templatesAudited: templatesAudited.size,
    pagesCovered: shaped ? Math.round((1000 * inAudited) / shaped) / 1000 : 0,
    missChance: m.sample.missShares.map((share) => ({ share, chance: missChance(explored, audited.length, share) })),
  };
}

/** The order reasons are listed in, the structured part first and the random part last. */
export const REASON_ORDER = ['home', 'given', 'statement', 'contact', 'privacy', 'cookies', 'legal', 'sitemap', 'help', 'search', 'login', 'language', 'form', 'table', 'media', 'template', 'link', 'random', 'census'];

/** The sample's make-up: each page with why it is there and what it stands for, and the whole in one line. */
export function describeMakeup(pages: { candidate: Candidate; finalUrl?: string }[], weights: number[], plan: SamplePlanFacts, m: Methodology): Pick<Sample, 'seed' | 'explored' | 'templates' | 'pages' | 'makeup' | 'census' | 'confidence'> {
  const rows = pages.map((p, i) => ({ url: p.candidate.url, reason: p.candidate.reason ?? p.candidate.source, template: plan.templateOf(p.finalUrl ?? p.candidate.url), standsFor: Math.round(weights[i]! * 10) / 10 }));
  const { reasons, sampledTemplates } = makeupCounts(rows);
  const parts = reasons.map(([reason, n]) => (n === 1 ? reason : `${n} ${reason}`));
  const makeup = `${parts.join(', ')}; ${sampledTemplates} of ${plural(plan.templates, 'template', 'templates')} among ${plural(plan.explored, 'page', 'pages')} explored; seed ${plan.seed}`;
  return {
    seed: plan.seed, explored: plan.explored, templates: plan.templates, pages: rows, makeup, ...(plan.census ? { census: true } : {}),
    confidence: describeConfidence(rows.map((r, i) => ({ template: r.template, standsFor: weights[i]! })), plan, m),
  };
}

/**
 * What a sample is made of: each reason with how many pages it brought, in the methodology's order, and
 * how many templates the pages cover. The result's line and the reports' lines (i18n) both say this.
 */
export function makeupCounts(pages: { reason: string; template: number | null }[]): { reasons: [string, number][]; sampledTemplates: number } {
  const counts = new Map<string, number>();
  for (const p of pages) counts.set(p.reason, (counts.get(p.reason) ?? 0) + 1);
  return {
    reasons: [...counts.entries()].sort(([a], [b]) => reasonRank(a) - reasonRank(b)),
    sampledTemplates: new Set(pages.map((p) => p.template).filter((t) => t !== null)).size,
  };
}

export const reasonRank = (reason: string) => {
  const i = REASON_ORDER.indexOf(reason);
  return i < 0 ? REASON_ORDER.length : i;
};
