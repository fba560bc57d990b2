// Exploring the site before choosing its sample (WCAG-EM step 2): pages are read over plain HTTP, a few
// at a time and politely (robots.txt, Crawl-delay, the site's own hosts only), so the sample can be chosen
// from what the pages are — their template, their forms and tables, their language, what links name
// them — and the accessibility statement confirmed by what it says. The browser audits only the sample.
import { isStatementCandidate, isStatementLink, isStatementPage, type LinkFact } from '../checks/statement.js';
import type { PageShape } from '../crawl/page-shape.js';
import type { ExploredPage } from '../crawl/sample-plan.js';
import type { PageSource, SiteSampler } from '../crawl/sampler.js';
import { classifyLink, pageKey } from '../crawl/url.js';
import { fetchText } from '../gather/http.js';
import { shapeThread, type ShapeThread } from '../gather/shape-reader.js';
import { DeadlineError, errorMessage } from '../util/errors.js';
import type { Pacer } from '../util/time.js';

type HttpOptions = Omit<Parameters<typeof fetchText>[1], 'maxBytes'>;

export interface StatementFound { link: LinkFact; foundOn: string }

/** The largest page read while exploring: a template shows in far less. */
const MAX_PAGE_BYTES = 3 * 1024 * 1024;
/** Broken links listed at most. */
const MAX_BROKEN = 500;
/** Links kept per page found (what names it): a page linked from every page needs only a few. */
const MAX_VIA = 5;
/** Pages that could not be read named in the notes, at most. */
const MAX_UNREAD_NAMED = 5;

/** A page's identity without its query: where a canonical link may lead and still be the same page. */
const pathKey = (url: string) => pageKey(url).replace(/\?.*$/, '');

export class SiteExplorer {
  readonly #pages = new Map<string, ExploredPage>();
  readonly #via = new Map<string, LinkFact[]>();
  readonly #depth = new Map<string, number>();
  /** The first page each page was linked from. */
  readonly #foundOn = new Map<string, string>();
  /** Links to the site's own pages that answered 404 or 410. */
  readonly broken: { url: string; status: number; foundOn: string | null }[] = [];
  /** Pages linked by a word only ("Accessibility", "Piekļūstamība"): statements once what they say confirms it. */
  readonly #candidates = new Map<string, StatementFound>();
  /** Pages whose HTML could not be read (over the reading bound): explored, their links not followed. */
  readonly #unread: { url: string; why: string }[] = [];
  #order = 0;
  statement: StatementFound | null = null;

  constructor(
    private readonly frontier: SiteSampler,
    private readonly http: HttpOptions,
    private readonly pacer: Pacer,
    private readonly concurrency: number,
    private readonly signal?: AbortSignal,
    /** Where pages' HTML is read: the process's thread (tests give one with a shorter bound). */
    private readonly reader: Pick<ShapeThread, 'read'> = shapeThread,
  ) {}

  get explored(): ExploredPage[] {
    return [...this.#pages.values()];
  }

  get size(): number {
    return this.#pages.size;
  }

  /** What the result's discovery notes say of exploring: the pages that could not be read. */
  get notes(): string[] {
    if (!this.#unread.length) return [];
    const named = this.#unread.slice(0, MAX_UNREAD_NAMED).map((u) => `${u.url} (${u.why})`).join('; ');
    const more = this.#unread.length > MAX_UNREAD_NAMED ? `; and ${this.#unread.length - MAX_UNREAD_NAMED} more` : '';
    return [`${this.#unread.length} explored page${this.#unread.length === 1 ? '' : 's'} could not be read, their links not followed: ${named}${more}`];
  }

  /** The page's shape, read off the main thread within its bound; null (and noted) when it could not be. */
  async #shape(html: string, url: string): Promise<PageShape | null> {
    try {
      return await this.reader.read(html, url);
    } catch (err) {
      const why = err instanceof DeadlineError ? `not read within ${err.ms < 1000 ? `${err.ms} ms` : `${Math.round(err.ms / 1000)} s`}` : errorMessage(err);
      this.#unread.push({ url, why });
      return null;
    }
  }

  /** A page's links, from the browser or from its HTML: the frontier grows, and the statement is looked for. */
  addLinks(links: LinkFact[], from: string, depth: number) {
    const urls: string[] = [];
    for (const link of links) {
      const kind = classifyLink(link.href, from, link.download);
      if (kind.kind !== 'page' || !this.frontier.onSite(kind.url)) continue;
      const key = pageKey(kind.url);
      const via = this.#via.get(key) ?? [];
      if (via.length < MAX_VIA) via.push(link);
      this.#via.set(key, via);
      if (!this.#depth.has(key)) this.#depth.set(key, depth + 1);
      if (!this.#foundOn.has(key)) this.#foundOn.set(key, from);
      const found = { link: { ...link, href: kind.url.href }, foundOn: from };
      if (!this.statement && isStatementLink(found.link)) this.statement = found;
      if (isStatementCandidate(found.link)) {
        if (!this.#candidates.has(key)) this.#candidates.set(key, found);
        this.frontier.addStatement(kind.url.href, depth);
        const page = this.#pages.get(key);
        if (page?.shape) this.#confirm(key, page);
      }
      urls.push(kind.url.href);
    }
    this.frontier.addLinks(urls, depth);
  }

  /** A link to a page of the site that answered 404 or 410 (the explorer's or the browser's): listed once. */
  addBroken(url: string, status: number) {
    const key = pageKey(url);
    const page = this.#pages.get(key);
    if (page) page.broken = true; // never planned again (the browser found it broken where HTTP did not)
    if (this.broken.length >= MAX_BROKEN || this.broken.some((b) => pageKey(b.url) === key)) return;
    this.broken.push({ url, status, foundOn: this.#foundOn.get(key) ?? null });
  }

  /** How far from the start page a page is (1: linked from it), and how it was found. */
  foundAs(url: string): { depth: number; source: PageSource } {
    const page = this.#pages.get(pageKey(url));
    return { depth: page?.depth ?? this.#depth.get(pageKey(url)) ?? 1, source: page?.source ?? 'link' };
  }

  /** Reads, at most `max`, the pages linked by a word only that have not been read, to confirm the statement. */
  async confirmCandidates(max: number, until: number) {
    const unread = [...this.#candidates.keys()].filter((k) => !this.#pages.has(k)).slice(0, max);
    if (!unread.length || Date.now() >= until) return;
    await this.#read(unread.map((k) => ({ url: this.#candidates.get(k)!.link.href, source: 'statement', depth: this.#depth.get(k) ?? 1 })));
  }

  /**
   * The page a visitor starts on, already audited in the browser: its document as the browser had it
   * gives its template and language (it is not loaded a second time); without it, it is read over HTTP.
   */
  async addStart(url: string, html?: string) {
    if (html === undefined) return this.#read([{ url, source: 'start', depth: 0 }]);
    const shape = await this.#shape(html, url);
    const page: ExploredPage = { url, source: 'start', order: this.#order++, depth: 0, via: [], shape };
    this.#pages.set(pageKey(url), page);
    if (shape) this.addLinks(shape.links, url, 0);
  }

  /** Explores until `limit` pages are known, the frontier is empty or the time is up. */
  async explore(limit: number, until: number) {
    while (this.#pages.size < limit && Date.now() < until && !this.signal?.aborted) {
      const batch = [];
      while (batch.length < this.concurrency && this.#pages.size + batch.length < limit) {
        const next = this.frontier.next();
        if (!next) break;
        batch.push(next);
      }
      if (!batch.length) return;
      await this.#read(batch);
    }
  }

  /** Fetched together, taken in the order asked: the same site gives the same exploration. */
  async #read(batch: { url: string; source: PageSource; depth: number }[]) {
    const answers = await Promise.all(batch.map(async (c) => {
      await this.pacer.wait();
      return fetchText(c.url, { ...this.http, maxBytes: MAX_PAGE_BYTES, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' });
    }));
    for (const [i, c] of batch.entries()) {
      const res = answers[i]!;
      // A redirect to another host is the site's link all the same: listed as found, its HTML not read.
      const elsewhere = !!res.url && !this.frontier.onSite(res.url);
      const finalUrl = res.url && !elsewhere ? res.url : c.url;
      const key = pageKey(c.url);
      if (finalUrl !== c.url) this.frontier.markSeen(finalUrl);
      if (!elsewhere && (res.status === 404 || res.status === 410)) {
        // A broken link: listed, and kept as explored so that it is neither read again nor planned.
        this.addBroken(c.url, res.status);
        this.#pages.set(key, { url: c.url, source: c.source, order: this.#order++, depth: c.depth, via: [], shape: null, broken: true });
        continue;
      }
      const html = !elsewhere && res.status >= 200 && res.status < 300 && (!res.contentType || /html|xml/i.test(res.contentType));
      if (!elsewhere && res.status >= 200 && res.status < 300 && !html) continue; // a file, not a page
      const shape = html ? await this.#shape(res.text, finalUrl) : null;
      // A page that names another URL of itself as its own (rel=canonical: the same path without the
      // session or sorting parameters) is that page: one, not two. A canonical to another path is not
      // taken: some sites name their home page on every page, which would fold the site into one page.
      const canonical = shape?.canonical && this.frontier.onSite(shape.canonical) && pageKey(shape.canonical) !== pageKey(finalUrl)
        && pathKey(shape.canonical) === pathKey(finalUrl) ? shape.canonical : null;
      if (canonical && this.#pages.has(pageKey(canonical))) continue;
      const url = canonical ?? finalUrl;
      if (canonical) this.frontier.markSeen(canonical);
      const depth = this.#depth.get(key) ?? c.depth;
      const page: ExploredPage = { url, source: c.source, order: this.#order++, depth, via: this.#via.get(key) ?? [], shape };
      this.#pages.set(pageKey(url), page);
      if (shape) {
        this.addLinks(shape.links, finalUrl, depth);
        this.#confirm(key, page);
      }
    }
  }

  #confirm(key: string, page: ExploredPage) {
    const candidate = this.#candidates.get(key);
    if (this.statement || !candidate || !page.shape) return;
    if (isStatementPage(page.shape)) this.statement = { link: { ...candidate.link, href: page.url }, foundOn: candidate.foundOn };
  }
}
