// Small helpers for turning argv strings into validated values, each failing with a one-line UserError.
import { UserError } from '../util/errors.js';
import { gradeSchema, type Grade } from '../schema/result.js';

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  return n;
}

export function seconds(name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a number of seconds > 0, got ${JSON.stringify(value)}`);
  return Math.round(n * 1000);
}

export function grade(name: string, value: string | undefined): Grade | undefined {
  if (value === undefined) return undefined;
  const parsed = gradeSchema.safeParse(value.toLowerCase());
  if (!parsed.success) throw new UserError(`${name} must be one of highest, high, medium, low; got ${JSON.stringify(value)}`);
  return parsed.data;
}

export function headers(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of values ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UserError(`--header must look like "Name: value", got ${JSON.stringify(h)}`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}
