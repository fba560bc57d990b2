// The methodology is data (methodology.json), versioned; this module only types and validates it.
import methodologyData from './methodology.json' with { type: 'json' };
import { z } from 'zod';
import { gradeSchema, impactSchema } from '../schema/result.js';

const methodologySchema = z.object({
  version: z.string(),
  axe: z.object({
    tags: z.array(z.string()).min(1),
    impactWeights: z.record(impactSchema, z.number().nonnegative()),
    extentShare: z.number().min(0).max(1),
  }),
  accessibility: z.object({
    grades: z.array(z.object({
      grade: gradeSchema,
      minScore: z.number().min(0).max(100),
      worstImpactAllowed: impactSchema,
      maxCriticalRules: z.number().int().min(0),
      requiresStatement: z.boolean(),
    })).min(1),
    labels: z.record(gradeSchema, z.object({ en: z.string(), lv: z.string() })),
  }),
  mobile: z.object({
    device: z.object({
      name: z.string(), width: z.number().int().positive(), height: z.number().int().positive(),
      deviceScaleFactor: z.number().positive(), isMobile: z.boolean(), hasTouch: z.boolean(),
    }),
    minLegibleFontPx: z.number().positive(),
    maxSmallTextShare: z.number().min(0).max(1),
    /** The page fits when its layout is at most this share wider than the screen (the phone zooms out that little). */
    maxOverflowShare: z.number().min(0),
    /** Tap targets make a page not mobile-friendly when more than this share fails axe-core's target-size. */
    maxFailingTargetShare: z.number().min(0).max(1),
    weights: z.object({
      viewport: z.number(), fitsScreen: z.number(), legibleText: z.number(), tapTargets: z.number(), noPlugins: z.number(),
    }),
    site: z.object({
      /** A site is mobile-friendly when at least this share of its audited pages is. */
      minFriendlyPageShare: z.number().min(0).max(1),
    }),
  }),
  sample: z.object({
    /** A grade from fewer audited pages than this share of the planned sample is provisional. */
    provisionalBelowShare: z.number().min(0).max(1),
    /**
     * The random part of the sample, at least this share of it and this many pages (WCAG-EM step 3.e: 10 %
     * at least), drawn in proportion to each template's share of the site.
     */
    randomShare: z.number().min(0).max(0.9),
    minRandom: z.number().int().min(0),
    /** Pages whose structure is at least this alike (Jaccard index of their structure sets) share a template. */
    templateSimilarity: z.number().min(0).max(1),
    /** The sample's size when --max-pages is not given: every template and the random part, within min and max. */
    size: z.object({ min: z.number().int().positive(), max: z.number().int().positive() }),
    /** Pages explored over HTTP (links and structure only) to choose the sample from, at most. */
    exploreMax: z.number().int().min(0),
    /** Exploring may take at most this share of the site's time budget. */
    exploreShareOfSiteBudget: z.number().min(0).max(1),
    /** A census (--census) audits every page explored, up to this many. */
    censusMaxPages: z.number().int().positive(),
    /** The result states how likely a failure on this share of the pages would have been missed. */
    missShares: z.array(z.number().gt(0).lt(1)),
  }),
});
export type Methodology = z.infer<typeof methodologySchema>;

export function parseMethodology(json: unknown): Methodology {
  return methodologySchema.parse(json);
}

export const DEFAULT_METHODOLOGY: Methodology = parseMethodology(methodologyData);
