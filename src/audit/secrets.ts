// The secrets an audit may carry (request headers, cookies, login steps' values) are kept where the
// audit runs and nowhere else: a run's stored options and the options a queued run puts in Redis hold
// their names only. A worker takes the values from its own --config; a run that needs them and a worker
// without them is an error for that site, never an audit done logged out and graded as if it were not.
import type { AuditOptions } from './options.js';

export interface SecretNames { headers: string[]; cookies: string[]; loginSteps: number }

/** The options without secret values, and what was left out (names only). */
export function withoutSecrets(o: AuditOptions): AuditOptions & { secrets?: SecretNames } {
  const names: SecretNames = { headers: Object.keys(o.headers), cookies: o.cookies.map((c) => c.name), loginSteps: o.login.length };
  if (!names.headers.length && !names.cookies.length && !names.loginSteps) return o;
  return { ...o, headers: {}, cookies: [], login: [], secrets: names };
}

/**
 * The options a worker audits with: the run's, with the secrets from the worker's own configuration.
 * Throws when the run names secrets the worker does not have.
 */
export function withWorkerSecrets(run: AuditOptions & { secrets?: SecretNames }, own: Pick<AuditOptions, 'headers' | 'cookies' | 'login'>): AuditOptions {
  const needed = run.secrets;
  const { secrets: _left, ...options } = run;
  void _left;
  if (!needed) return options;
  const missing = [
    ...needed.headers.filter((h) => !Object.keys(own.headers).some((k) => k.toLowerCase() === h.toLowerCase())).map((h) => `header ${h}`),
    ...needed.cookies.filter((c) => !own.cookies.some((k) => k.name === c)).map((c) => `cookie ${c}`),
    ...(needed.loginSteps && !own.login.length ? ['login steps'] : []),
  ];
  if (missing.length) throw new Error(`this run needs ${missing.join(', ')}, which a worker takes from its own --config (secrets never travel through Redis)`);
  return { ...options, headers: own.headers, cookies: own.cookies, login: own.login };
}
