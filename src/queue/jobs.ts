// What travels through Redis: the site job and its outcome, validated by the same schemas on both ends.
import { z } from 'zod';
import type { AuditOptions } from '../audit/options.js';
import { parseMethodology } from '../grading/methodology.js';
import { siteResultSchema } from '../schema/result.js';
import type { SiteOutcome } from '../store/db.js';
import { targetSchema } from '../targets/targets.js';

export const SITES_QUEUE = 'eindex-sites';
export const RUNS_QUEUE = 'eindex-runs';

/** One job per run and target: re-enqueueing the same run never duplicates a site. */
export function siteJobId(runId: number, targetId: string): string {
  return `run-${runId}-${targetId}`;
}

const optionsSchema = z.object({
  crawl: z.boolean(), maxPages: z.number().int().positive(), lighthouse: z.boolean(), performance: z.boolean(),
  axeTags: z.array(z.string()), screenshots: z.number().int().min(0).default(5), userAgent: z.string(), headers: z.record(z.string(), z.string()),
  cookies: z.array(z.object({ name: z.string(), value: z.string(), url: z.string() })),
  login: z.array(z.record(z.string(), z.string())),
  pageTimeoutMs: z.number(), siteTimeoutMs: z.number(), concurrency: z.number(), delayMs: z.number(), maxCrawlDelayMs: z.number(),
  settleMs: z.number(), maxRetryAfterMs: z.number(), robotsRetryMs: z.number().min(0).default(5000), ignoreHttpsErrors: z.boolean(), methodology: z.unknown(),
});

export const siteJobSchema = z.object({ runId: z.number().int(), target: targetSchema, options: optionsSchema });
export type SiteJob = { runId: number; target: z.infer<typeof targetSchema>; options: AuditOptions };

export function parseSiteJob(data: unknown): SiteJob {
  const job = siteJobSchema.parse(data);
  return { ...job, options: { ...(job.options as unknown as AuditOptions), methodology: parseMethodology(job.options.methodology) } };
}

const outcomeSchema = z.union([
  z.object({ status: z.literal('ok'), result: siteResultSchema }),
  z.object({ status: z.literal('error'), error: z.string() }),
]);

export function parseOutcome(value: unknown): SiteOutcome {
  return outcomeSchema.parse(typeof value === 'string' ? JSON.parse(value) : value) as SiteOutcome;
}

export function redisConnection(url: string) {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--redis must be a redis:// URL, got ${url}`);
  return u;
}
