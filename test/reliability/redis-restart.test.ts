// Redis restarted mid-run, without persistence (all queue state lost): the run still completes with every
// site exactly once. Uses a Redis of its own on a free port so other suites' Redis is left alone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor } from '../helpers.js';
import { serveSlowSite, type SlowSite } from '../slow-sites.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'eindex-redis-'));
const sites: SlowSite[] = [];
let port = 0;
let redis: ChildProcess | null = null;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});

async function startRedis() {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor('redis to answer', () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.includes('PONG'), 10_000);
}

beforeAll(async () => {
  if (!hasRedis) return;
  port = await freePort();
  await startRedis();
  for (let i = 0; i < 4; i++) sites.push(await serveSlowSite(500, 2));
});
afterAll(async () => {
  redis?.kill('SIGKILL');
  await Promise.all(sites.map((s) => s.close()));
});

describe.skipIf(!hasRedis)('Redis restarted mid-run', () => {
  it('loses nothing: lost jobs are enqueued again and every site lands once', async () => {
    const targets = join(tmp, 't.yaml');
    writeFileSync(targets, `targets:\n${sites.map((s, i) => `  - { id: r${i}, name: R${i}, group: ministry, url: "${s.url}", maxPages: 3 }\n`).join('')}`);
    const db = join(tmp, 'r.sqlite');
    const url = `redis://127.0.0.1:${port}`;
    const worker = startCli(['worker', '--redis', url, '--lock-duration', '4000', '--stalled-interval', '2000']);
    const run = runCli(['run', targets, '--redis', url, '--db', db, '--no-lighthouse', '--quiet'], { timeoutMs: 240_000 });
    const landed = () => {
      try {
        const d = new Database(db, { readonly: true });
        try {
          return (d.prepare('SELECT COUNT(*) AS n FROM site_results').get() as { n: number }).n;
        } finally {
          d.close();
        }
      } catch {
        return 0;
      }
    };
    await waitFor('the first site to land', () => landed() >= 1, 120_000);
    redis!.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    await startRedis();
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
