// The e-index methodology is data (methodology.json), versioned; this module types and validates it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../util/errors.js';
import data from './methodology.json' with { type: 'json' };

const label = { en: z.string().min(1), lv: z.string().min(1) };
const criterionSchema = z.discriminatedUnion('source', [
  z.object({ id: z.string().min(1), weight: z.number().nonnegative(), source: z.literal('survey'), ...label }),
  z.object({ id: z.string().min(1), weight: z.number().nonnegative(), source: z.literal('measured'), measure: z.enum(['accessibilityScore', 'mobileScore']), ...label }),
]);
const methodologySchema = z.object({
  version: z.string().min(1),
  about: z.string().optional(),
  scale: z.object({ min: z.number(), max: z.number() }).refine((s) => s.max > s.min, 'max must be above min'),
  dimensions: z.array(z.object({ id: z.string().min(1), weight: z.number().nonnegative(), ...label, criteria: z.array(criterionSchema).min(1) })).min(1),
}).superRefine((m, ctx) => {
  const ids = m.dimensions.flatMap((d) => d.criteria.map((c) => c.id));
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) ctx.addIssue({ code: 'custom', message: `sub-criterion "${dup}" appears twice` });
  if (m.dimensions.every((d) => d.weight === 0)) ctx.addIssue({ code: 'custom', message: 'every dimension has weight 0' });
});
export type IndexMethodology = z.infer<typeof methodologySchema>;
export type IndexCriterion = IndexMethodology['dimensions'][number]['criteria'][number];

export function parseIndexMethodology(json: unknown, file = 'methodology'): IndexMethodology {
  const parsed = methodologySchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  throw new UserError(`${file}: ${where ? `${where}: ` : ''}${issue.message}`);
}

export function loadIndexMethodology(path: string): IndexMethodology {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read methodology ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]}`);
  }
  return parseIndexMethodology(json, path);
}

export const DEFAULT_INDEX_METHODOLOGY: IndexMethodology = parseIndexMethodology(data);
