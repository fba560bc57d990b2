// Which explored pages make the sample, after WCAG-EM step 3 and Implementing Decision (EU) 2018/1524:
// a structured part (the home page; the pages every visitor needs; each language version; a page with a
// form, a data table, media; one page of each template before any template gets a second) and a random
// part of at least a tenth of the sample, drawn with a recorded seed so that the same seed gives the same
// sample. Pure: explored pages in, the pages to audit with why out. METHODOLOGY.md says the same in prose.
import { COMMON_PAGE_KINDS, commonPageKind, type CommonPageKind } from './common-pages.js';
import { templateSimilarity, type PageShape } from './page-shape.js';
import { pageKey } from './url.js';
import type { LinkFact } from '../checks/statement.js';
import type { PageSource, SampleReason } from './sampler.js';

export type { SampleReason };


export interface ExploredPage {
  url: string;
  /** How it was found: a link, the sitemap, the statement link. */
  source: PageSource;
  /** Discovery order: earlier pages are closer to the home page or its sitemap. */
  order: number;
  depth: number;
  /** The links that led here, as found (their text names the page: "Contact", "Privātuma politika"). */
  via: LinkFact[];
  /** What its HTML says; null when it could not be read (it can still be drawn at random). */
  shape: PageShape | null;
  /** It answered 404 or 410: a broken link, never a page of the sample. */
  broken?: boolean;
}

export interface SampleMethod {
  /** Share of the sample drawn at random, in proportion to each template's share of the site (at least 10 %: WCAG-EM). */
  randomShare: number;
  minRandom: number;
  /** Pages at least this alike in structure (Jaccard index) are of one template. */
  templateSimilarity: number;
  /** The sample's size when it is not given (`auto`): enough for every template and the random part, within these. */
  size: { min: number; max: number };
}

export interface PlannedPage { url: string; reason: SampleReason; template: number | null }

/** The pages to audit next, and the sample's whole size (the pages taken included) as planned. */
export interface SamplePlan { pages: PlannedPage[]; size: number }

export interface PlanInput {
  /** Pages already in the sample (the home page first), with why, and where each landed if it redirected. */
  taken: { url: string; finalUrl?: string; reason: SampleReason }[];
  /** Every page explored, those taken included (their templates count as covered). */
  explored: ExploredPage[];
  /**
   * The sample's whole size, the pages taken included: a number (--max-pages), `auto` (every template and
   * the random part, within `method.size`) or `census` (every page explored).
   */
  size: number | 'auto' | 'census';
  seed: number;
  /** The confirmed accessibility statement, when the site has one. */
  statementUrl: string | null;
  method: SampleMethod;
}

/**
 * Groups pages by template: each joins the first template whose first page it is alike enough to. What
 * nearly every page has (the site's header, navigation and footer, where the HTML marks no main landmark)
 * is the site's, not a template's, and is left out of the comparison.
 */
export function assignTemplates(pages: ExploredPage[], threshold: number): Map<string, number> {
  const shaped = pages.filter((p) => p.shape);
  const seenOn = new Map<string, number>();
  for (const p of shaped) for (const t of p.shape!.structure) seenOn.set(t, (seenOn.get(t) ?? 0) + 1);
  const chrome = shaped.length >= CHROME_MIN_PAGES ? new Set([...seenOn].filter(([, n]) => n >= shaped.length * CHROME_SHARE).map(([t]) => t)) : new Set<string>();
  const reps: string[][] = [];
  const out = new Map<string, number>();
  for (const p of shaped) {
    const structure = p.shape!.structure.filter((t) => !chrome.has(t));
    let best = -1;
    let bestSim = threshold;
    reps.forEach((rep, i) => {
      const sim = templateSimilarity(rep, structure);
      if (sim >= bestSim) (best = i, bestSim = sim);
    });
    if (best < 0) best = reps.push(structure) - 1;
    out.set(pageKey(p.url), best + 1);
  }
  return out;
}

/** Structure on at least this share of the pages explored (and at least this many pages) is the site's chrome. */
const CHROME_SHARE = 0.9;
const CHROME_MIN_PAGES = 5;

/** The primary language subtag of a page: its `<html lang>`, or what the link to it declared. */
export function languageOf(p: ExploredPage): string | null {
  const tag = p.shape?.lang ?? p.via.find((l) => l.hreflang)?.hreflang ?? null;
  return tag ? tag.toLowerCase().split(/[-_]/)[0]! || null : null;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same draw on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomCount(size: number, m: SampleMethod): number {
  return size > 1 ? Math.max(m.minRandom, Math.ceil(size * m.randomShare)) : 0;
}

/** Each template's pages among those explored: what a sampled page of it stands for. */
export function templateSizes(templates: Map<string, number>): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const t of templates.values()) sizes.set(t, (sizes.get(t) ?? 0) + 1);
  return sizes;
}

export function planSample(input: PlanInput): SamplePlan {
  const { explored, method } = input;
  const templates = assignTemplates(explored, method.templateSimilarity);
  const templateOf = (url: string) => templates.get(pageKey(url)) ?? null;
  const chosen = new Set(input.taken.flatMap((t) => [pageKey(t.url), ...(t.finalUrl ? [pageKey(t.finalUrl)] : [])]));
  const byKey = new Map(explored.map((p) => [pageKey(p.url), p]));
  const takenPages = input.taken.map((t) => byKey.get(pageKey(t.finalUrl ?? t.url))).filter((p): p is ExploredPage => !!p);
  // Pages that are not web pages to audit (a file, a page that failed to load, a broken link) never enter the plan.
  const pool = explored.filter((p) => !chosen.has(pageKey(p.url)) && !p.broken).sort((a, b) => a.order - b.order);
  if (input.size === 'census') return { pages: pool.map((p) => ({ url: p.url, reason: 'census', template: templateOf(p.url) })), size: input.taken.length + pool.length };
  const out: PlannedPage[] = [];
  // An automatic size plans the structured part within the largest sample, then sizes the random part on it.
  let size = input.size === 'auto' ? method.size.max : input.size;
  const room = () => size - input.taken.length - out.length;
  const randomTaken = input.taken.filter((t) => t.reason === 'random').length;
  const randomLeft = () => Math.max(0, randomCount(size, method) - randomTaken - out.filter((p) => p.reason === 'random').length);
  const canStructure = () => room() > Math.min(randomLeft(), Math.max(0, pool.filter((p) => !chosen.has(pageKey(p.url))).length - 1));
  const take = (p: ExploredPage | undefined, reason: SampleReason) => {
    if (!p || chosen.has(pageKey(p.url)) || !canStructure()) return false;
    chosen.add(pageKey(p.url));
    out.push({ url: p.url, reason, template: templateOf(p.url) });
    return true;
  };
  const nearest = (match: (p: ExploredPage) => boolean) =>
    pool.filter((p) => !chosen.has(pageKey(p.url)) && match(p)).sort((a, b) => a.depth - b.depth || a.order - b.order)[0];
  const isKind = (kind: CommonPageKind) => (p: ExploredPage) =>
    p.via.some((l) => commonPageKind(l) === kind) || commonPageKind({ href: p.url, text: '' }) === kind;
  const covered = (has: (p: ExploredPage) => boolean) => [...takenPages, ...out.map((o) => byKey.get(pageKey(o.url))!)].some((p) => p && has(p));

  if (input.statementUrl && !chosen.has(pageKey(input.statementUrl))) {
    take(byKey.get(pageKey(input.statementUrl)) ?? { url: input.statementUrl, source: 'statement', order: -1, depth: 1, via: [], shape: null }, 'statement');
  }
  for (const kind of COMMON_PAGE_KINDS) if (!covered(isKind(kind))) take(nearest(isKind(kind)), kind);
  // Each language version: the page a link from a page of another language declares, else the nearest.
  const languages = new Set(takenPages.map(languageOf).filter(Boolean));
  for (const p of pool) {
    const lang = languageOf(p);
    if (!lang || languages.has(lang)) continue;
    languages.add(lang);
    take(nearest((q) => languageOf(q) === lang), 'language');
  }
  for (const feature of ['form', 'table', 'media'] as const) {
    const has = (p: ExploredPage) => !!p.shape?.features[feature];
    if (!covered(has)) take(nearest(has), feature);
  }
  // One page of each template not yet covered, the templates most of the site is made of first.
  const sizes = templateSizes(templates);
  const coveredTemplates = new Set([...takenPages.map((p) => templateOf(p.url)), ...out.map((o) => o.template)]);
  const order = [...sizes.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)! || a - b);
  for (const t of order) if (!coveredTemplates.has(t)) take(nearest((p) => templateOf(p.url) === t), 'template');
  if (input.size === 'auto') {
    // The structured part decides the size: the random part is its share of the whole on top of it.
    const structured = input.taken.length + out.length;
    size = Math.min(method.size.max, Math.max(method.size.min, structured + Math.max(method.minRandom, Math.ceil((structured * method.randomShare) / (1 - method.randomShare)))));
  }
  drawByShare(input.seed, pool.filter((p) => !chosen.has(pageKey(p.url)) && p.shape), room(), templateOf, sizes, [...input.taken.map((t) => templateOf(t.finalUrl ?? t.url)), ...out.map((o) => o.template)])
    .forEach((p) => (chosen.add(pageKey(p.url)), out.push({ url: p.url, reason: 'random', template: templateOf(p.url) })));
  // Room still left (a small site): the pages found whose HTML could not be read (an error, a refusal, a
  // redirect elsewhere), in the order found; the browser says what they are.
  for (const p of pool) {
    if (room() <= 0) break;
    if (chosen.has(pageKey(p.url))) continue;
    chosen.add(pageKey(p.url));
    out.push({ url: p.url, reason: 'link', template: null });
  }
  return { pages: out, size };
}

/**
 * The random part, drawn with the seed (the same seed, the same draw) and stratified: each page goes to
 * the template furthest below its share of the site (its pages explored over all pages explored), a
 * page of it drawn at random. Half the site in one section gets about half the random part.
 */
function drawByShare(seed: number, candidates: ExploredPage[], count: number, templateOf: (url: string) => number | null,
  sizes: Map<number, number>, sampled: (number | null)[]): ExploredPage[] {
  const next = seededRandom(seed);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const have = new Map<number, number>();
  for (const t of sampled) if (t !== null) have.set(t, (have.get(t) ?? 0) + 1);
  const left = new Map<number, ExploredPage[]>();
  for (const p of candidates) {
    const t = templateOf(p.url) ?? 0;
    const pages = left.get(t);
    if (pages) pages.push(p);
    else left.set(t, [p]);
  }
  const out: ExploredPage[] = [];
  let drawn = sampled.length;
  while (out.length < count && [...left.values()].some((l) => l.length)) {
    drawn++;
    // The template whose pages are furthest below their share once this page is drawn; ties by a draw.
    let best = -1;
    let bestGap = -Infinity;
    for (const [t, pages] of left) {
      if (!pages.length) continue;
      const gap = (drawn * (sizes.get(t) ?? 1)) / Math.max(1, total) - (have.get(t) ?? 0) + next() * 1e-6;
      if (gap > bestGap) (best = t, bestGap = gap);
    }
    const pages = left.get(best)!;
    const [p] = pages.splice(Math.floor(next() * pages.length), 1);
    have.set(best, (have.get(best) ?? 0) + 1);
    out.push(p!);
  }
  return out;
}
