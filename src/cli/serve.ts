// `eindex serve`: the dashboard, the check-my-site form and the JSON API.
import type { ValuesOf } from '../util/option-def.js';
import type { SERVE_COMMAND_OPTIONS } from './command-options.js';
import { createApp } from '../server/app.js';
import { CheckService, DEFAULT_CHECK_SERVICE } from '../server/checks.js';
import { DEFAULT_DB, Store } from '../store/db.js';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { UserError } from '../util/errors.js';
import { positiveInt, seconds } from './args.js';
import { sandboxWarning } from '../gather/browser.js';
import { watchForStop } from './stop.js';

export async function serveCommand(values: ValuesOf<typeof SERVE_COMMAND_OPTIONS>): Promise<number> {
  const port = values.port === '0' ? 0 : positiveInt('--port', values.port, 8080);
  if (port > 65535) throw new UserError(`--port must be at most 65535, got ${port}`);
  const token = process.env.EINDEX_ADMIN_TOKEN || undefined;
  if (token !== undefined && token.length < 16) throw new UserError('EINDEX_ADMIN_TOKEN must be at least 16 characters');
  // A database that does not exist is most likely a typo or the wrong folder: an empty dashboard would hide
  // it, and every other command refuses one too (serve in an empty folder made one silently).
  const db = values.db ?? DEFAULT_DB;
  if (db !== ':memory:' && !values['create-db'] && !existsSync(db)) {
    throw new UserError(`no database at ${db} (eindex run <targets.yaml> --db ${db} makes one; --create-db starts an empty one)`);
  }
  const store = new Store(db);
  const checks = new CheckService(store, {
    ...DEFAULT_CHECK_SERVICE,
    allowPrivate: !!values['allow-private'],
    maxQueued: positiveInt('--max-checks', values['max-checks'], DEFAULT_CHECK_SERVICE.maxQueued),
    perClientPerHour: positiveInt('--checks-per-hour', values['checks-per-hour'], DEFAULT_CHECK_SERVICE.perClientPerHour),
    limits: {
      ...DEFAULT_CHECK_SERVICE.limits,
      maxPages: Math.min(50, positiveInt('--check-pages', values['check-pages'], DEFAULT_CHECK_SERVICE.limits.maxPages)),
      siteTimeoutMs: seconds('--check-timeout', values['check-timeout'], DEFAULT_CHECK_SERVICE.limits.siteTimeoutMs),
      lighthouse: !values['no-lighthouse'],
    },
    redisUrl: values.redis,
    queue: values['checks-queue'],
  });
  await checks.start();
  const log = (line: string) => process.stderr.write(`eindex serve: ${line}\n`);
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicUrl)) throw new UserError(`--public-url must be an http(s) address, e.g. https://eindex.example.lv, got ${JSON.stringify(publicUrl)}`);
  const trustProxy = values['trust-proxy'] ? values['trust-proxy'].split(',').map((a) => a.trim()).filter(Boolean) : [];
  const bad = trustProxy.find((a) => !isIP(a));
  if (bad !== undefined) throw new UserError(`--trust-proxy takes IP addresses (e.g. 127.0.0.1), got ${JSON.stringify(bad)}`);
  const app = await createApp({
    store, checks, adminToken: token, redisUrl: values.redis, log, trustProxy, ...(publicUrl ? { publicUrl } : {}),
    maxConnections: positiveInt('--max-connections', values['max-connections'], 256),
    maxConnectionsPerClient: positiveInt('--max-connections-per-client', values['max-connections-per-client'], 16),
    ...(values['targets-dir'] ? { targetsDir: values['targets-dir'] } : {}),
  });
  const host = values.host ?? '127.0.0.1';
  await app.listen({ port, host }).catch((err: NodeJS.ErrnoException) => {
    throw new UserError(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`);
  });
  const bound = (app.server.address() as { port: number }).port;
  const sandbox = sandboxWarning();
  if (sandbox) log(sandbox.replace(/^eindex: /, ''));
  log(`listening on http://${host.includes(':') ? `[${host}]` : host}:${bound}${values['allow-private'] ? ' (checks may reach private addresses: --allow-private)' : ''}${token ? '' : ' (administration disabled: no EINDEX_ADMIN_TOKEN)'}`);
  // SIGTERM, SIGINT, or npx's parent gone (npx does not pass a signal on: its orphan went on serving,
  // with its Chromium and check processes, under PID 1). A second signal or the bound exits at once.
  const stop = watchForStop();
  await new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true })));
  log('stopping');
  await app.close(); // open connections are closed with it (forceCloseConnections)
  await checks.close();
  store.close();
  return 0;
}
