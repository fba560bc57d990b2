// Auditing the sample: pages are started while the site's concurrency allows, the start page first and
// alone (what it links to shapes the plan), then the plan's pages; when the plan ran short, another round
// of exploring and planning. A stop (signal) starts nothing more and abandons what is in flight.
import type { Candidate } from '../crawl/sampler.js';
import type { GatheredPage } from '../gather/page.js';
import { MAX_PLAN_ROUNDS, pagesAtOnce, type SiteScan } from './scan.js';

export interface SampleStages {
  auditPage(candidate: Candidate): Promise<GatheredPage>;
  /** An audited page's links and documents, taken in. */
  absorb(page: GatheredPage): void;
  /** A page of the plan that answered 404 or 410: a broken link, listed; another page takes its place. */
  broken(page: GatheredPage): void;
  /** After the start page: discovery finished and the first plan made. */
  firstPlan(): Promise<void>;
  /** Another round of exploring and planning; how many pages it added. */
  planMore(): Promise<number>;
  readonly rounds: number;
}

export async function auditSample(scan: SiteScan, stages: SampleStages): Promise<void> {
  const { queue, gathered, maxPages, progress } = scan;
  const inFlight = new Set<Promise<void>>();
  const one = async (candidate: Candidate) => {
    const page = await stages.auditPage(candidate);
    if (isBrokenLink(page)) return stages.broken(page);
    gathered.push(page);
    if (!page.error) stages.absorb(page);
    const done = gathered.length;
    progress.onPage?.(page, done, Math.max(done, Math.min(maxPages, done + inFlight.size - 1 + queue.length)));
  };
  let planned = !scan.o.crawl;
  for (;;) {
    if (progress.signal?.aborted) break; // what is in flight is abandoned: the browsers close under it
    if (!planned && gathered.length > 0 && inFlight.size === 0) {
      planned = true;
      await stages.firstPlan();
    }
    const canStart = Date.now() < scan.deadline && inFlight.size < pagesAtOnce(scan) && (planned || inFlight.size === 0);
    const candidate = canStart ? queue.shift() : undefined;
    if (candidate) {
      const p: Promise<void> = one(candidate).finally(() => inFlight.delete(p));
      inFlight.add(p);
      continue;
    }
    if (inFlight.size === 0) {
      if (planShort(scan, stages.rounds) && (await stages.planMore()) > 0) continue;
      break;
    }
    await Promise.race([...inFlight, scan.stopped]);
  }
}

/** A page the crawl found (not one a person named) that answers 404 or 410 is a broken link, not a page. */
export function isBrokenLink(page: GatheredPage): boolean {
  const { source } = page.candidate;
  return source !== 'start' && source !== 'given' && page.error?.code === 'http' && (page.httpStatus === 404 || page.httpStatus === 410);
}

/** The plan ran short of the sample's size with time and rounds left: explore and plan again. */
function planShort(scan: SiteScan, rounds: number): boolean {
  const more = scan.planSize === 'census' ? scan.gathered.length < scan.o.methodology.sample.censusMaxPages : scan.gathered.length < scan.maxPages;
  return scan.o.crawl && more && rounds > 0 && rounds < MAX_PLAN_ROUNDS && Date.now() < scan.deadline;
}
