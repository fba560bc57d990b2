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
    minTargetPx: z.number().positive(),
    maxSmallTargetShare: z.number().min(0).max(1),
    fitTolerancePx: z.number().min(0),
    weights: z.object({
      viewport: z.number(), fitsScreen: z.number(), legibleText: z.number(), tapTargets: z.number(), noPlugins: z.number(),
    }),
  }),
});
export type Methodology = z.infer<typeof methodologySchema>;

export function parseMethodology(json: unknown): Methodology {
  return methodologySchema.parse(json);
}

export const DEFAULT_METHODOLOGY: Methodology = parseMethodology(methodologyData);
