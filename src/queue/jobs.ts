// What travels through Redis: the site job and its outcome, validated by the same schemas on both ends.
import type { SecretNames } from '../audit/secrets.js';
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
  crawl: z.boolean(), maxPages: z.union([z.number().int().positive(), z.literal('auto')]), census: z.boolean().default(false), lighthouse: z.boolean(), performance: z.boolean(),
  axeTags: z.array(z.string()), screenshots: z.number().int().min(0).default(5), userAgent: z.string(), headers: z.record(z.string(), z.string()),
  cookies: z.array(z.object({ name: z.string(), value: z.string(), url: z.string() })),
  login: z.array(z.record(z.string(), z.string())),
  exclude: z.array(z.string()).default([]), excludeUrls: z.array(z.string()).default([]), ignoreRules: z.array(z.string()).default([]),
  pageTimeoutMs: z.number(), siteTimeoutMs: z.number(), concurrency: z.number(), delayMs: z.number(), maxCrawlDelayMs: z.number(),
  settleMs: z.number(), maxRetryAfterMs: z.number(), robotsRetryMs: z.number().min(0).default(5000), ignoreHttpsErrors: z.boolean(), methodology: z.unknown(),
  seed: z.number().int().optional(),
  pageMemoryMb: z.number().int().positive().default(1024),
  headersForAllHosts: z.boolean().optional(),
  /** The names of the secrets the run needs; their values come from the worker's own --config. */
  secrets: z.object({ headers: z.array(z.string()), cookies: z.array(z.string()), loginSteps: z.number().int() }).optional(),
});

/**
 * A site job carries the target and where the run's options are: the options are stored once per run
 * (`runKeys().options`), not copied into every job, so 25,000 jobs do not hold 25,000 copies in Redis.
 */
export const siteJobSchema = z.object({ runId: z.number().int(), target: targetSchema, keys: z.object({ options: z.string(), results: z.string(), alive: z.string() }) });
export type SiteJobData = z.infer<typeof siteJobSchema>;

export function parseRunOptions(json: string): AuditOptions & { secrets?: SecretNames } {
  const options = optionsSchema.parse(JSON.parse(json));
  return { ...(options as unknown as AuditOptions & { secrets?: SecretNames }), methodology: parseMethodology(options.methodology) };
}

/** The Redis keys of one run on one queue, beside BullMQ's own (`bull:<queue>:…`). */
export function runKeys(queue: string, runId: number) {
  const base = `eindex:${queue}:run:${runId}`;
  return { options: `${base}:options`, results: `${base}:results`, alive: `${base}:alive` };
}

/** What a worker pushes on the run's results list when a site is done (or failed for good). */
export const resultEntrySchema = z.object({ jobId: z.string(), outcome: z.unknown() });

/** How long a run's keys outlive a coordinator that died: `--resume` starts afresh after that. */
export const RUN_KEYS_TTL_SECONDS = 7 * 24 * 3600;

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
