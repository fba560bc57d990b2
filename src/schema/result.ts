// The one result schema every path produces: `eindex audit --json`, `eindex run`, the BullMQ workers.
// Types are inferred from the zod schemas so the validator and the type can never drift apart.
import { z } from 'zod';

export const SCHEMA_VERSION = 2;

export const impactSchema = z.enum(['critical', 'serious', 'moderate', 'minor']);
export type Impact = z.infer<typeof impactSchema>;

export const gradeSchema = z.enum(['highest', 'high', 'medium', 'low']);
export type Grade = z.infer<typeof gradeSchema>;

export const axeNodeSchema = z.object({
  target: z.array(z.string()),
  html: z.string(),
  failureSummary: z.string().optional(),
  /** A JPEG of the element as the phone showed it, where one could be taken (report evidence). */
  screenshot: z.string().regex(/^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/).optional(),
});

export const axeRuleResultSchema = z.object({
  id: z.string(),
  impact: impactSchema.nullable(),
  description: z.string(),
  help: z.string(),
  helpUrl: z.string(),
  tags: z.array(z.string()),
  /** WCAG success criteria numbers ("1.1.1") derived from the rule's tags. */
  wcag: z.array(z.string()),
  nodes: z.array(axeNodeSchema),
});
export type AxeRuleResult = z.infer<typeof axeRuleResultSchema>;

export const axeResultSchema = z.object({
  version: z.string(),
  tags: z.array(z.string()),
  violations: z.array(axeRuleResultSchema),
  /** axe's "incomplete" results: a person has to review them. Never counted as violations. */
  needsReview: z.array(axeRuleResultSchema),
  passes: z.array(z.object({ id: z.string(), impact: impactSchema.nullable(), nodes: z.number() })),
  inapplicable: z.array(z.string()),
  /**
   * The page's frames (iframes, nested ones too) and whether axe-core audited their content; a frame
   * skipped says why ("not loaded", "timed out", "navigated away", ...). Absent on a page without frames.
   */
  frames: z.array(z.object({ url: z.string(), status: z.enum(['audited', 'skipped']), reason: z.string().optional() })).optional(),
});
export type AxeResult = z.infer<typeof axeResultSchema>;

export const checkVerdictSchema = z.object({
  /** The measurement's own verdict (Lighthouse's audit, axe-core's rule, or ours where none exists). */
  pass: z.boolean(),
  /** Whether this failure makes the page not mobile-friendly (methodology: some failures only cost score). */
  blocking: z.boolean(),
  /** Who measured it: "Lighthouse viewport", "axe-core target-size (WCAG 2.5.8)", "eindex", ... */
  source: z.string(),
  detail: z.string(),
});

export const mobileResultSchema = z.object({
  viewport: checkVerdictSchema.extend({ content: z.string().nullable(), zoomDisabled: z.boolean() }),
  fitsScreen: checkVerdictSchema.extend({ contentWidth: z.number(), deviceWidth: z.number() }),
  legibleText: checkVerdictSchema.extend({ smallTextShare: z.number(), textChars: z.number() }),
  tapTargets: checkVerdictSchema.extend({ total: z.number(), tooSmall: z.number(), examples: z.array(z.string()) }),
  noPlugins: checkVerdictSchema.extend({ count: z.number() }),
  mobileFriendly: z.boolean(),
  score: z.number(),
});
export type MobileResult = z.infer<typeof mobileResultSchema>;

export const lighthouseResultSchema = z.object({
  version: z.string(),
  mode: z.literal('snapshot'),
  accessibility: z.number().nullable(),
  /**
   * Which axe-core run Lighthouse's accessibility audits read: eindex's own (one run per page, with
   * Lighthouse's rules added), or Lighthouse's (pages with frames or excluded content). Absent from
   * results stored before the run was shared.
   */
  accessibilityFrom: z.enum(['eindex-axe-run', 'lighthouse-axe-run']).optional(),
  performance: z.number().nullable().optional(),
  audits: z.record(z.string(), z.object({ score: z.number().nullable(), title: z.string() })),
  error: z.string().optional(),
});
export type LighthouseResult = z.infer<typeof lighthouseResultSchema>;

export const pageResultSchema = z.object({
  url: z.string(),
  finalUrl: z.string().optional(),
  status: z.enum(['ok', 'error']),
  error: z.string().optional(),
  /** Machine-readable class of the failure: timeout, http, network, crash, not-html, ... */
  errorCode: z.string().optional(),
  /** The browser's own words for the failure (net::ERR_NAME_NOT_RESOLVED, …): `error` says it for people. */
  errorDetail: z.string().optional(),
  httpStatus: z.number().optional(),
  title: z.string().optional(),
  durationMs: z.number(),
  /**
   * Where the page's time went, in ms of wall time (absent from older results and for a page that failed before
   * loading): the navigation, the wait for the network to go quiet, reading title and links, axe-core,
   * the mobile checks, Lighthouse, the evidence screenshots. Pages audited side by side share the CPU.
   */
  timings: z.object({
    load: z.number(), settle: z.number(), read: z.number(), axe: z.number(), mobile: z.number(), lighthouse: z.number(), screenshots: z.number(),
  }).partial().optional(),
  /** How this page was found: start, link, sitemap, given, statement. */
  source: z.string(),
  /** Why it is in the sample (home, statement, contact, template, form, language, random, given, …). */
  reason: z.string().optional(),
  depth: z.number(),
  accessibilityScore: z.number().optional(),
  axe: axeResultSchema.optional(),
  mobile: mobileResultSchema.optional(),
  lighthouse: lighthouseResultSchema.nullable().optional(),
});
export type PageResult = z.infer<typeof pageResultSchema>;

export const sampleReasonSchema = z.object({
  code: z.enum(['robots-unavailable', 'robots-disallowed', 'pages-failed', 'too-few-pages', 'deadline', 'interrupted', 'links-unread']),
  detail: z.string(),
});
export const sampleSchema = z.object({
  /** Pages the audit set out to audit (--max-pages, or the URLs given). */
  planned: z.number(),
  /** Pages audited successfully. */
  audited: z.number(),
  complete: z.boolean(),
  /** The site has fewer pages than planned and every one was audited: the whole site, not a shortfall. */
  wholeSite: z.boolean().optional(),
  reasons: z.array(sampleReasonSchema),
  /** One line saying what the grade stands on, for terminals, reports and the dashboard. */
  statement: z.string(),
  /**
   * How the sample was chosen (methodology 2026.3 on; absent before): the seed of its random part, the pages
   * explored to choose from and the templates told apart among them, each sampled page with why it is
   * there, and the make-up in one line ("home, statement, contact, 3 template, 1 random").
   */
  seed: z.number().optional(),
  explored: z.number().optional(),
  templates: z.number().optional(),
  /** Each page sampled: why, its template, and how many of the pages explored it stands for in the grade (2026.4). */
  pages: z.array(z.object({ url: z.string(), reason: z.string(), template: z.number().nullable(), standsFor: z.number().optional() })).optional(),
  makeup: z.string().optional(),
  /** A census (--census): every page explored was to be audited, not a sample. */
  census: z.boolean().optional(),
  /**
   * What the grade stands on, in numbers (methodology 2026.4): the pages explored and whether that was
   * every page linked; the templates among them and how many have a page audited (and the share of the
   * pages explored those templates make); and, for a failure on a share of the pages that no template
   * carries, the chance that no page audited has it (hypergeometric, the pages audited among those explored).
   */
  confidence: z.object({
    explored: z.number(),
    exploredAll: z.boolean(),
    audited: z.number(),
    templates: z.number(),
    templatesAudited: z.number(),
    pagesCovered: z.number(),
    missChance: z.array(z.object({ share: z.number(), chance: z.number() })),
  }).optional(),
});
export type Sample = z.infer<typeof sampleSchema>;

export const emulationSchema = z.object({
  device: z.string(),
  width: z.number(),
  height: z.number(),
  deviceScaleFactor: z.number(),
  isMobile: z.boolean(),
  hasTouch: z.boolean(),
});
export type Emulation = z.infer<typeof emulationSchema>;

export const siteResultSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  url: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  tool: z.object({
    name: z.literal('eindex'),
    version: z.string(),
    axeCore: z.string(),
    lighthouse: z.string().nullable(),
    browser: z.string(),
    playwright: z.string(),
  }),
  methodology: z.object({ version: z.string() }),
  emulation: emulationSchema,
  axeTags: z.array(z.string()),
  /**
   * What the user left out: content (CSS selectors, not checked and never counted), URL patterns (never
   * sampled) and axe-core rules (out of the result and the grade: a grade with ignored rules is the
   * webmaster's, not comparable with an evaluator's). Absent in results written before it existed.
   */
  exclusions: z.object({ selectors: z.array(z.string()), urlPatterns: z.array(z.string()), ignoredRules: z.array(z.string()) }).optional(),
  grade: gradeSchema.nullable(),
  /** The grade stands on fewer pages than planned (see `sample`): it may change with a full sample. */
  gradeProvisional: z.boolean(),
  gradeLabel: z.object({ en: z.string(), lv: z.string() }).nullable(),
  gradeReason: z.string(),
  accessibilityScore: z.number().nullable(),
  mobileFriendly: z.boolean().nullable(),
  mobileScore: z.number().nullable(),
  accessibilityStatement: z.object({
    found: z.boolean(),
    url: z.string().nullable(),
    linkText: z.string().nullable(),
    foundOn: z.string().nullable(),
  }),
  discovery: z.object({
    robotsTxt: z.enum(['found', 'none', 'error']),
    sitemaps: z.array(z.string()),
    sitemapUrls: z.number(),
    linksSeen: z.number(),
    documents: z.array(z.object({ url: z.string(), type: z.string(), foundOn: z.string() })),
    excluded: z.array(z.object({ url: z.string(), reason: z.string() })),
    /** What went wrong in discovery without stopping it (a malformed sitemap, robots.txt retried, ...). */
    notes: z.array(z.string()),
    /** The folder of the start host that is the site, when the start URL names one (`/iestade-a/`). */
    scope: z.string().optional(),
    /** Links the site has to its own pages that answer 404 or 410: broken links, not pages to audit (at most 500). */
    brokenLinks: z.array(z.object({ url: z.string(), status: z.number(), foundOn: z.string().nullable() })).optional(),
  }),
  /** How much of the planned sample was audited, and why not all of it. */
  sample: sampleSchema,
  /**
   * Links seen on the audited pages that a survey answer can be checked against (social network profiles,
   * open data, public participation, e-services). Evidence for the evaluator; never a survey value.
   */
  observed: z.object({ social: z.array(z.string()), openData: z.array(z.string()), participation: z.array(z.string()), eServices: z.array(z.string()) }),
  summary: z.object({
    pagesAudited: z.number(),
    pagesOk: z.number(),
    pagesError: z.number(),
    violations: z.number(),
    violationsByImpact: z.record(impactSchema, z.number()),
    /** The rules failing on most pages, worst impact first: what to fix first. */
    topProblems: z.array(z.object({
      id: z.string(), impact: impactSchema.nullable(), help: z.string(), helpUrl: z.string(),
      wcag: z.array(z.string()), pages: z.number(), nodes: z.number(),
      example: z.object({ url: z.string(), target: z.string(), html: z.string() }),
    })),
  }),
  pages: z.array(pageResultSchema),
  /** The audit was stopped (SIGTERM, SIGINT) before its sample was done: this is what it had. */
  interrupted: z.literal(true).optional(),
});
export type SiteResult = z.infer<typeof siteResultSchema>;

/** JSON Schema of the site result, for consumers in other languages (`eindex schema`). */
export function siteResultJsonSchema(): unknown {
  return z.toJSONSchema(siteResultSchema);
}
