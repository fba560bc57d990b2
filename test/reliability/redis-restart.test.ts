// Redis restarted mid-run, without persistence (all queue state lost): the run still completes with every
// site exactly once. Uses a Redis of its own on a free port so other suites' Redis is left alone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_REDIS_SERVER, PrivateRedis, runCli, sitesStored, startCli, waitFor } from '../helpers.js';
import { serveSlowSite, type SlowSite } from '../slow-sites.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-redis-'));
const sites: SlowSite[] = [];
let redis: PrivateRedis;

beforeAll(async () => {
  if (!HAS_REDIS_SERVER) return;
  redis = await PrivateRedis.start();
  for (let i = 0; i < 4; i++) sites.push(await serveSlowSite(500, 2));
});
afterAll(async () => {
  redis?.kill();
  await Promise.all(sites.map((s) => s.close()));
});

describe.skipIf(!HAS_REDIS_SERVER)('Redis restarted mid-run', () => {
  it('loses nothing: lost jobs are enqueued again and every site lands once', async () => {
    const targets = join(tmp, 't.yaml');
    writeFileSync(targets, `targets:\n${sites.map((s, i) => `  - { private: true, id: r${i}, name: R${i}, group: ministry, url: "${s.url}", maxPages: 3 }\n`).join('')}`);
    const db = join(tmp, 'r.sqlite');
    const url = redis.url;
    const worker = startCli(['worker', '--allow-private', '--redis', url, '--lock-duration', '4000', '--stalled-interval', '2000']);
    const run = runCli(['run', targets, '--redis', url, '--db', db, '--no-lighthouse', '--quiet'], { timeoutMs: 240_000 });
    const landed = () => sitesStored(db);
    await waitFor('the first site to land', () => landed() >= 1, 120_000);
    redis.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.restart();
    const result = await run;
    worker.child.kill('SIGTERM');
    await worker.exited;
    expect(result.code, result.stderr).toBe(0);
    const d = new Database(db, { readonly: true });
    const rows = d.prepare('SELECT institution_id AS id, status, COUNT(*) AS n FROM site_results GROUP BY institution_id ORDER BY institution_id').all();
    d.close();
    expect(rows).toEqual(sites.map((_, i) => ({ id: `r${i}`, status: 'ok', n: 1 })));
  }, 300_000);
});
