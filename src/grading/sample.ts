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
  if (short && !reasons.some((r) => r.code !== 'pages-failed')) {
    reasons.push({ code: 'too-few-pages', detail: f.crawl ? `only ${plural(f.attempted, 'page was', 'pages were')} found to sample` : `only ${plural(f.attempted, 'page was', 'pages were')} given` });
  }
  // A small site audited whole is the whole site, not an incomplete sample of it.
  const wholeSite = f.crawl && short && f.audited === f.attempted && f.audited > 0 && reasons.length === 1 && reasons[0]!.code === 'too-few-pages';
  if (wholeSite) reasons.length = 0;
  const complete = f.audited >= f.planned || wholeSite;
  // A small site audited whole is a whole site: only a shortfall with another cause makes a grade provisional.
  const provisional = f.audited > 0 && f.audited / f.planned < m.sample.provisionalBelowShare && reasons.some((r) => r.code !== 'too-few-pages');
  const counted = `${f.audited} of ${plural(f.planned, 'planned page', 'planned pages')} audited`;
  const statement = wholeSite ? `Sample complete: the whole site (${plural(f.audited, 'page', 'pages')}).`
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
}

/** The order reasons are listed in, the structured part first and the random part last. */
export const REASON_ORDER = ['home', 'given', 'statement', 'contact', 'privacy', 'cookies', 'legal', 'sitemap', 'help', 'search', 'login', 'language', 'form', 'table', 'media', 'template', 'link', 'random'];

/** The sample's make-up: each page with why it is there, and the whole in one line. */
export function describeMakeup(pages: { candidate: Candidate; finalUrl?: string }[], plan: SamplePlanFacts): Pick<Sample, 'seed' | 'explored' | 'templates' | 'pages' | 'makeup'> {
  const rows = pages.map((p) => ({ url: p.candidate.url, reason: p.candidate.reason ?? p.candidate.source, template: plan.templateOf(p.finalUrl ?? p.candidate.url) }));
  const { reasons, sampledTemplates } = makeupCounts(rows);
  const parts = reasons.map(([reason, n]) => (n === 1 ? reason : `${n} ${reason}`));
  const makeup = `${parts.join(', ')}; ${sampledTemplates} of ${plural(plan.templates, 'template', 'templates')} among ${plural(plan.explored, 'page', 'pages')} explored; seed ${plan.seed}`;
  return { seed: plan.seed, explored: plan.explored, templates: plan.templates, pages: rows, makeup };
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
