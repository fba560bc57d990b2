// Exploring and planning (WCAG-EM steps 2 and 3): the pages found are read over plain HTTP, and the plan
// (crawl/sample-plan.ts) picks the sample from them. A later round explores further and plans again when
// the sample ran short: pages the browser found that their HTML did not show.
import { planSample } from '../crawl/sample-plan.js';
import type { SiteExplorer } from './explore.js';
import type { SiteScan } from './scan.js';

export class SamplePlanner {
  rounds = 0;

  constructor(private readonly scan: SiteScan, readonly explorer: SiteExplorer) {}

  /** One round: explore, plan, queue the picks. Returns how many pages it added to the sample. */
  async planMore(): Promise<number> {
    const { scan, explorer } = this;
    const s = scan.o.methodology.sample;
    this.rounds++;
    scan.progress.onPhase?.('exploring');
    const until = Math.min(scan.deadline, Date.now() + scan.o.siteTimeoutMs * s.exploreShareOfSiteBudget);
    const home = scan.gathered.find((p) => p.candidate.source === 'start');
    if (this.rounds === 1 && home && !home.error) {
      await explorer.addStart(home.finalUrl ?? home.candidate.url, home.html);
      delete home.html; // read: not kept for the rest of the audit
    }
    await explorer.explore(scan.exploreLimit + (this.rounds - 1) * scan.maxPages, until);
    const taken = this.#taken();
    const plan = planSample({
      taken, explored: explorer.explored, size: this.rounds === 1 || scan.planSize === 'census' ? scan.planSize : scan.maxPages,
      seed: scan.seed + this.rounds - 1, statementUrl: explorer.statement?.link.href ?? null, method: s,
    });
    // The first plan sets an automatic size; a census grows with every page found, up to its cap.
    if (scan.planSize === 'census') scan.maxPages = Math.min(s.censusMaxPages, plan.size);
    else if (this.rounds === 1 && scan.planSize === 'auto') scan.maxPages = plan.size;
    const picks = plan.pages.slice(0, Math.max(0, scan.maxPages - taken.length));
    for (const p of picks) scan.queue.push({ url: p.url, ...explorer.foundAs(p.url), reason: p.reason });
    scan.progress.onPhase?.('pages');
    return picks.length;
  }

  /** A page taken counts under the URL it landed on too (a root that redirects to /en/ took /en/). */
  #taken() {
    return [
      ...this.scan.gathered.map((p) => ({ url: p.candidate.url, finalUrl: p.finalUrl, reason: p.candidate.reason ?? 'link' as const })),
      ...this.scan.queue.map((c) => ({ url: c.url, reason: c.reason ?? 'link' as const })),
    ];
  }
}
