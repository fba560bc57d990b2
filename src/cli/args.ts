// Small helpers for turning argv strings into validated values, each failing with a one-line UserError.
import { UserError } from '../util/errors.js';
import { gradeSchema, type Grade } from '../schema/result.js';
export { headers, positiveInt, seconds, wholeNumber } from '../audit/option-defs.js';

export function grade(name: string, value: string | undefined): Grade | undefined {
  if (value === undefined) return undefined;
  const parsed = gradeSchema.safeParse(value.toLowerCase());
  if (!parsed.success) throw new UserError(`${name} must be one of highest, high, medium, low; got ${JSON.stringify(value)}`);
  return parsed.data;
}

const ORDER: Grade[] = ['low', 'medium', 'high', 'highest'];
export function belowGrade(actual: Grade | null, threshold: Grade | undefined): boolean {
  if (!threshold) return false;
  return actual === null || ORDER.indexOf(actual) < ORDER.indexOf(threshold);
}
