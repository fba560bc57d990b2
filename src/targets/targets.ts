// The institution registry: targets/*.yaml, validated on load with the line and field of each mistake.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { pageKey, parseStartUrl } from '../crawl/url.js';
import { UserError } from '../util/errors.js';

export const groupSchema = z.enum(['ministry', 'state-institution', 'municipality']);
export type Group = z.infer<typeof groupSchema>;

export const targetSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  name: z.string().min(1),
  group: groupSchema,
  url: z.string().refine((u) => {
    try {
      parseStartUrl(u);
      return /^https?:\/\//i.test(u);
    } catch {
      return false;
    }
  }, 'an absolute http(s) URL'),
  /** The ministry a state institution answers to: the id of a ministry in the same file. */
  ministry: z.string().optional(),
  maxPages: z.number().int().positive().max(1000).optional(),
  /** An intranet site on a private address: audited directly instead of through the egress guard. */
  private: z.boolean().optional(),
  source: z.string().optional(),
  unconfirmed: z.boolean().optional(),
}).strict();
export type Target = z.infer<typeof targetSchema>;

const fileSchema = z.object({ targets: z.array(targetSchema).min(1) }).strict();

export function parseTargets(text: string, file = 'targets'): Target[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) => (offset === undefined ? '' : `:${lineCounter.linePos(offset).line}`);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new UserError(`${file}${at(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // Point at the offending node, or its nearest existing parent (a missing field).
    let node: { range?: [number, number, number] } | undefined;
    for (let n = path.length; n >= 0 && !node?.range; n--) node = doc.getIn(path.slice(0, n), true) as typeof node;
    const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
    throw new UserError(`${file}${at(node?.range?.[0])}: ${field || '(top level)'}: ${issue.message}`);
  }
  const seen = new Set<string>();
  const urls = new Map<string, string>();
  for (const t of parsed.data.targets) {
    if (seen.has(t.id)) throw new UserError(`${file}: duplicate target id "${t.id}"`);
    seen.add(t.id);
    const key = pageKey(t.url);
    if (urls.has(key)) throw new UserError(`${file}: "${t.id}" has the same site as "${urls.get(key)}" (${t.url})`);
    urls.set(key, t.id);
  }
  const ministries = new Set(parsed.data.targets.filter((t) => t.group === 'ministry').map((t) => t.id));
  for (const t of parsed.data.targets) {
    if (t.ministry !== undefined && !ministries.has(t.ministry)) throw new UserError(`${file}: "${t.id}": ministry "${t.ministry}" is not the id of a ministry in this file`);
  }
  return parsed.data.targets;
}

export function loadTargets(path: string): Target[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`cannot read targets file ${path}`);
  }
  return parseTargets(text, path);
}
