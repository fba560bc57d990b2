// SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, SonarQube): each axe-core
// rule violated is a reportingDescriptor with its help URI and WCAG tags, each violating element a result
// with its CSS selector. Code scanning takes only locations relative to a base (an absolute http URI is
// "an unrecognized location URI scheme" to GitHub), so a page is its path relative to a `uriBaseId` per
// site (SITE1, SITE2, …, resolved in `originalUriBaseIds`); the page's whole URL is in the message and in
// `properties.pageUrl`. Pure: results in, JSON out.
import type { Impact, SiteResult } from '../schema/result.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** axe-core's impact as a SARIF level: critical and serious are errors, moderate a warning, minor a note. */
const LEVEL: Record<Impact, 'error' | 'warning' | 'note'> = { critical: 'error', serious: 'error', moderate: 'warning', minor: 'note' };

export function renderSarif(sites: { name?: string; result: SiteResult }[], tool: { version: string; axeCore: string }): string {
  const rules = new Map<string, { id: string; help: string; description: string; helpUrl: string; tags: string[]; wcag: string[]; impact: Impact | null }>();
  const results: unknown[] = [];
  const bases: Record<string, { uri: string; description: { text: string } }> = {};
  const baseOf = new Map<string, string>();
  const locate = (pageUrl: string) => {
    const url = new URL(pageUrl);
    let id = baseOf.get(url.origin);
    if (!id) {
      id = `SITE${baseOf.size + 1}`;
      baseOf.set(url.origin, id);
      bases[id] = { uri: `${url.origin}/`, description: { text: `the audited site ${url.origin}` } };
    }
    // A relative reference, never empty (code scanning refuses an empty uri): the home page is "./".
    return { uri: `${url.pathname.slice(1)}${url.search}` || './', uriBaseId: id };
  };
  for (const { result } of sites) {
    for (const page of result.pages) {
      for (const v of page.axe?.violations ?? []) {
        if (!rules.has(v.id)) rules.set(v.id, { id: v.id, help: v.help, description: v.description, helpUrl: v.helpUrl, tags: v.tags, wcag: v.wcag, impact: v.impact });
        for (const node of v.nodes) {
          results.push({
            ruleId: v.id,
            level: v.impact ? LEVEL[v.impact] : 'warning',
            message: { text: `${v.help} on ${page.finalUrl ?? page.url}${node.failureSummary ? `. ${node.failureSummary.replace(/\s+/g, ' ').trim()}` : ''}` },
            locations: [{
              // GitHub's upload requires a region start line: a rendered page has no source line, so 1 (the page).
              physicalLocation: { artifactLocation: locate(page.finalUrl ?? page.url), region: { startLine: 1, snippet: { text: node.html } } },
              logicalLocations: [{ fullyQualifiedName: node.target.join(' '), kind: 'element' }],
            }],
            partialFingerprints: { 'eindex/v1': `${v.id}|${page.url}|${node.target.join(' ')}` },
            properties: { pageUrl: page.finalUrl ?? page.url, selector: node.target.join(' ') },
          });
        }
      }
    }
  }
  const ruleList = [...rules.values()].sort((a, b) => a.id.localeCompare(b.id));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'eindex',
          version: tool.version,
          informationUri: 'https://github.com/eindex/eindex',
          rules: ruleList.map((r) => ({
            id: r.id,
            name: r.id.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase()),
            shortDescription: { text: r.help },
            fullDescription: { text: r.description },
            helpUri: r.helpUrl,
            help: { text: `${r.description} ${r.helpUrl}` },
            defaultConfiguration: { level: r.impact ? LEVEL[r.impact] : 'warning' },
            properties: { tags: [...r.tags, ...r.wcag.map((sc) => `WCAG ${sc}`)], impact: r.impact },
          })),
        },
        extensions: [{ name: 'axe-core', version: tool.axeCore, informationUri: 'https://github.com/dequelabs/axe-core' }],
      },
      originalUriBaseIds: bases,
      results,
      invocations: sites.map(({ result }) => ({ executionSuccessful: true, startTimeUtc: result.startedAt, endTimeUtc: result.finishedAt })),
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
