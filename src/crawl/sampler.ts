// Which pages of a site make the sample. Pure: the audit feeds it links and sitemap entries as it
// finds them and asks for the next page to audit.
//
// Order (documented in METHODOLOGY.md): the start page; the accessibility statement page when one is
// linked; the pages the start page links to; then sitemap pages; then pages deeper in the link graph.
// Within each tier the sample is spread across the site's sections (first path segment), so ten news
// articles never crowd out the contact page.
import { isAllowed, matchesPattern, type Robots } from './robots.js';
import { cleanUrl, inScope, pageKey, sameSite, sectionOf, siteScope } from './url.js';
import type { CommonPageKind } from './common-pages.js';

/** Why a page is in the sample: the plan's reasons (METHODOLOGY.md, "The sample"). */
export type SampleReason = 'home' | 'given' | 'statement' | CommonPageKind | 'language' | 'form' | 'table' | 'media' | 'template' | 'random' | 'link' | 'census';
export type PageSource = 'start' | 'given' | 'statement' | 'link' | 'sitemap';

export interface Candidate {
  url: string;
  source: PageSource;
  depth: number;
  /** Why the page is in the sample (the plan's reason); absent while it is only explored. */
  reason?: SampleReason;
}

interface Pending extends Candidate { tier: number; order: number }

const TIER: Record<PageSource, number> = { start: 0, given: 0, statement: 1, link: 2, sitemap: 3 };

/** Lower is earlier. Links deeper than the start page's own come after the sitemap, by depth. */
function tierOf(c: Candidate): number {
  return c.source === 'link' && c.depth > 1 ? TIER.sitemap + c.depth : TIER[c.source];
}

export class SiteSampler {
  readonly #pending = new Map<string, Pending>();
  readonly #seen = new Set<string>();
  readonly #sectionCounts = new Map<string, number>();
  readonly excluded: { url: string; reason: string }[] = [];
  /** Pages robots.txt kept out, as found: admitted again if a later robots.txt allows them. */
  readonly #disallowed: Candidate[] = [];
  #taken = 0;
  #order = 0;
  linksSeen = 0;

  /** The site's hosts, each with the folder of it that is the site (`/` for all of it). */
  readonly #sites: { url: URL; scope: string }[];
  /** The start URL's folder when its scope is tentative (siteScope): taken if the start page does not link into the scope. */
  #fallback: string | null;

  constructor(
    site: URL,
    private readonly maxPages: number,
    private robots: Robots,
    private readonly maxDepth = 5,
    /** The user's --exclude-url patterns (see excludedByPattern). */
    private readonly excludeUrls: string[] = [],
  ) {
    const { scope, fallback } = siteScope(site);
    this.#sites = [{ url: site, scope }];
    this.#fallback = fallback;
  }

  /**
   * The start page's links settle a tentative scope: `/iestade-a` is the folder `/iestade-a/` when the
   * page links into it, else (`/lv/sakums`, a home page that names a page) the folder it is in, `/lv/`.
   */
  settleScope(links: string[], startUrl: string) { // absolute page URLs (classifyLink's)
    if (this.#fallback === null) return;
    const start = this.#sites[0]!;
    const into = links.some((l) => sameSite(l, start.url) && inScope(l, start.scope) && pageKey(l) !== pageKey(startUrl));
    if (!into) start.scope = this.#fallback;
    this.#fallback = null;
  }

  /**
   * The start page redirected to another host (an old domain pointing at the new one): pages of that
   * host belong to the site too.
   */
  alsoSite(url: string) {
    // A site scoped to a folder stays a folder where it went; a whole host's site is the whole other host.
    if (!this.onSite(url)) this.#sites.push({ url: new URL(url), scope: this.#sites[0]!.scope === '/' ? '/' : siteScope(url).scope });
  }

  /**
   * Whether a URL belongs to the site: its start host (or the host that start page redirected to), inside
   * the folder the start URL names.
   */
  onSite(url: URL | string): boolean {
    return this.#sites.some((s) => sameSite(url, s.url) && inScope(url, s.scope));
  }

  /** The folder of the start host that is the site (`/` for the whole host). */
  get scope(): string {
    return this.#sites[0]!.scope;
  }

  /** URLs the user named: audited whatever robots.txt says, because a person asked for them. */
  addGiven(url: string, source: 'start' | 'given') {
    this.#add({ url, source, depth: 0 }, false);
  }

  addLinks(urls: string[], fromDepth: number) {
    for (const url of urls) {
      this.linksSeen++;
      this.#add({ url, source: 'link', depth: fromDepth + 1 }, true);
    }
  }

  addStatement(url: string, fromDepth: number) {
    this.#add({ url, source: 'statement', depth: fromDepth + 1 }, true);
  }

  addSitemapUrls(urls: string[]) {
    for (const url of urls) this.#add({ url, source: 'sitemap', depth: 1 }, true);
  }

  get taken() {
    return this.#taken;
  }

  get full() {
    return this.#taken >= this.maxPages;
  }

  /** The next page to audit, or null when the cap is reached or nothing is known yet. */
  next(): Candidate | null {
    if (this.full || this.#pending.size === 0) return null;
    let best: Pending | null = null;
    let bestSection = Infinity;
    for (const p of this.#pending.values()) {
      const section = this.#sectionCounts.get(sectionOf(p.url)) ?? 0;
      const bestTier = best ? best.tier : Infinity;
      if (p.tier < bestTier || (p.tier === bestTier && (section < bestSection || (section === bestSection && p.order < best!.order)))) {
        best = p;
        bestSection = section;
      }
    }
    if (!best) return null;
    this.#pending.delete(pageKey(best.url));
    this.#taken++;
    const sec = sectionOf(best.url);
    this.#sectionCounts.set(sec, (this.#sectionCounts.get(sec) ?? 0) + 1);
    return { url: best.url, source: best.source, depth: best.depth };
  }

  /** Pages found and not yet audited (the cap was reached first, or the deadline). */
  get pending(): number {
    return this.#pending.size;
  }

  /** How many pages found were kept out by robots.txt. */
  get disallowed(): number {
    return this.#disallowed.length;
  }

  /**
   * robots.txt read late (it failed at first): its rules replace the old ones, and the pages the old ones
   * kept out are considered again.
   */
  setRobots(robots: Robots) {
    this.robots = robots;
    const again = this.#disallowed.splice(0);
    for (const c of again) this.#seen.delete(pageKey(c.url));
    for (let i = this.excluded.length - 1; i >= 0; i--) if (this.excluded[i]!.reason === 'robots.txt') this.excluded.splice(i, 1);
    for (const c of again) this.#add(c, true);
  }

  /** A page that redirected: its final URL counts as seen, so it is not audited twice. */
  markSeen(url: string) {
    const key = pageKey(url);
    this.#seen.add(key);
    this.#pending.delete(key);
  }

  #add(candidate: Candidate, crawled: boolean) {
    let url: URL;
    try {
      url = cleanUrl(candidate.url);
    } catch {
      return;
    }
    const key = pageKey(url);
    if (crawled) {
      if (!this.onSite(url)) return;
      if (candidate.depth > this.maxDepth) return;
    }
    const existing = this.#pending.get(key);
    if (existing) {
      // A page found again by a better route moves up (a sitemap page the start page also links to).
      if (tierOf(candidate) < existing.tier) this.#pending.set(key, { ...existing, ...candidate, url: existing.url, tier: tierOf(candidate) });
      return;
    }
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    if (crawled && excludedByPattern(this.excludeUrls, url)) {
      if (this.excluded.length < 500) this.excluded.push({ url: url.href, reason: 'excluded' });
      return;
    }
    if (crawled && !isAllowed(this.robots, url)) {
      if (this.excluded.length < 500) this.excluded.push({ url: url.href, reason: 'robots.txt' });
      if (this.#disallowed.length < 5000) this.#disallowed.push({ ...candidate, url: url.href });
      return;
    }
    this.#pending.set(key, { ...candidate, url: url.href, tier: tierOf(candidate), order: this.#order++ });
  }
}

/**
 * Whether a URL matches one of the user's --exclude-url patterns, robots.txt-style (`*` for any run of
 * characters, a final `$` anchors the end, otherwise a prefix): an absolute http(s) pattern is matched
 * against the whole URL, any other against its path and query (`/en/archive/`; `*.pdf$`).
 */
export function excludedByPattern(patterns: string[], url: URL): boolean {
  const path = `${url.pathname}${url.search}`;
  return patterns.some((p) => (/^https?:\/\//i.test(p) ? matchesPattern(p, url.href) : matchesPattern(/^[/*]/.test(p) ? p : `/${p}`, path)));
}
