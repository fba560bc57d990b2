// The scan's result: the pages audited, what discovery and the plan found, and the versions of every
// tool that measured; graded by grading/site-result.ts under the methodology.
import { createRequire } from 'node:module';
import { assignTemplates, templateSizes } from '../crawl/sample-plan.js';
import { pageKey } from '../crawl/url.js';
import { AXE_VERSION } from '../gather/axe.js';
import { LIGHTHOUSE_VERSION } from '../gather/lighthouse.js';
import { buildSiteResult } from '../grading/site-result.js';
import type { SiteResult } from '../schema/result.js';
import { UserError } from '../util/errors.js';
import { TOOL_VERSION } from '../version.js';
import type { SiteExplorer } from './explore.js';
import type { LinkHarvest } from './harvest.js';
import type { SiteScan } from './scan.js';

const require = createRequire(import.meta.url);
const PLAYWRIGHT_VERSION: string = require('playwright-core/package.json').version;

export class UnreachableSiteError extends UserError {}

/** Every page failed to load over the network: the site cannot be reached, and says so, ungraded. */
export function assertReachable(scan: SiteScan, interrupted: boolean) {
  const { gathered } = scan;
  if (interrupted || gathered.length === 0 || !gathered.every((p) => p.error?.code === 'network')) return;
  throw new UnreachableSiteError(`cannot reach ${scan.start.href}: ${gathered[0]!.error!.message}`);
}

/** The hosts the scan's pages were on: the contexts handed to the next site have shown these. */
export function hostsOf(scan: SiteScan): Set<string> {
  return new Set([scan.start.host, ...scan.gathered.flatMap((p) => [p.candidate.url, p.finalUrl ?? p.candidate.url]).map((u) => new URL(u).host)]);
}

export function assembleResult(scan: SiteScan, found: { harvest: LinkHarvest; explorer: SiteExplorer; interrupted: boolean }): SiteResult {
  const { o, discovery: disc, sampler, gathered, deadline, maxPages } = scan;
  const m = o.methodology;
  const statement = found.explorer.statement;
  const templates = assignTemplates(found.explorer.explored, m.sample.templateSimilarity);
  return buildSiteResult({
    url: scan.start.href,
    startedAt: scan.startedAt,
    finishedAt: new Date(),
    tool: { name: 'eindex', version: TOOL_VERSION, axeCore: AXE_VERSION, lighthouse: o.lighthouse ? LIGHTHOUSE_VERSION : null, browser: scan.session.version, playwright: PLAYWRIGHT_VERSION },
    emulation: scan.emulation,
    axeTags: o.axeTags,
    exclusions: { selectors: o.exclude, urlPatterns: o.excludeUrls, ignoredRules: o.ignoreRules },
    statement: statement
      ? { found: true, url: statement.link.href, linkText: statement.link.text, foundOn: statement.foundOn }
      : { found: false, url: null, linkText: null, foundOn: null },
    discovery: {
      robotsTxt: disc.robotsTxt, sitemaps: disc.sitemaps, sitemapUrls: disc.sitemapUrls.length, linksSeen: sampler.linksSeen,
      documents: found.harvest.documents, excluded: sampler.excluded, notes: [...disc.notes, ...found.explorer.notes],
      ...(sampler.scope !== '/' ? { scope: sampler.scope } : {}), brokenLinks: found.explorer.broken,
    },
    pages: [...gathered],
    observed: found.harvest.observed,
    interrupted: found.interrupted,
    sample: {
      planned: maxPages, crawl: o.crawl, census: o.census, robotsTxt: disc.robotsTxt, robotsProblem: disc.robotsProblem,
      disallowed: sampler.disallowed, linksRead: sampler.linksSeen > 0 || found.explorer.explored.some((p) => p.source === 'start' && !!p.shape), deadlineReached: Date.now() >= deadline && (scan.queue.length > 0 || sampler.pending > 0 && gathered.length < maxPages),
    },
    plan: o.crawl ? {
      seed: scan.seed, explored: found.explorer.explored.filter((p) => !p.broken).length, templates: new Set(templates.values()).size,
      templateOf: (url) => templates.get(pageKey(url)) ?? null, templateSizes: templateSizes(templates),
      exploredAll: sampler.pending === 0, census: o.census,
    } : null,
  }, m);
}
