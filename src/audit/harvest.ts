// What an audited page tells about the rest of the site: its links join the exploration's frontier, its
// documents (PDF, office files) are listed, what the browser saw that HTML alone does not show is counted
// (observed), and the start page's redirect and language versions widen what belongs to the site.
import { emptyObserved, observedOn } from '../checks/observed.js';
import type { SiteSampler } from '../crawl/sampler.js';
import { classifyLink, pageKey } from '../crawl/url.js';
import type { GatheredPage } from '../gather/page.js';
import type { SiteResult } from '../schema/result.js';
import type { SiteExplorer } from './explore.js';

type Document = SiteResult['discovery']['documents'][number];

/** Documents listed at most: a site of thousands of PDFs is told by its first ones. */
const MAX_DOCUMENTS = 500;

export class LinkHarvest {
  readonly observed = emptyObserved();
  readonly #documents = new Map<string, Document>();

  constructor(private readonly sampler: SiteSampler, private readonly explorer: SiteExplorer) {}

  get documents(): Document[] {
    return [...this.#documents.values()];
  }

  absorb(page: GatheredPage) {
    const base = page.finalUrl ?? page.candidate.url;
    const isStart = page.candidate.source === 'start';
    observedOn(page.links, this.observed);
    if (page.finalUrl) this.sampler.markSeen(page.finalUrl);
    const kinds = page.links.map((l) => classifyLink(l.href, base, l.download));
    // A start URL such as /iestade-a is a folder only if its page links into it (crawl/url.ts siteScope).
    if (isStart) this.sampler.settleScope(kinds.flatMap((k) => (k.kind === 'page' ? [k.url.href] : [])), page.candidate.url);
    if (page.finalUrl && isStart) this.sampler.alsoSite(page.finalUrl);
    for (const [i, link] of page.links.entries()) {
      const kind = kinds[i]!;
      // The language versions the start page declares belong to the site, on whichever host they are.
      if (kind.kind === 'page' && isStart && link.hreflang) this.sampler.alsoSite(kind.url.href);
      if (kind.kind === 'document' && this.sampler.onSite(kind.url)) this.#addDocument({ url: kind.url.href, type: kind.type, foundOn: base });
    }
    this.explorer.addLinks(page.links, base, page.candidate.depth);
  }

  #addDocument(doc: Document) {
    const key = pageKey(doc.url);
    if (this.#documents.size < MAX_DOCUMENTS && !this.#documents.has(key)) this.#documents.set(key, doc);
  }
}
