// The paths a run's life takes outside the happy one, with the real CLI: a run stopped by SIGINT or
// SIGTERM is marked interrupted; the scheduler turns a scheduled job into a stored run; the dashboard's
// admin API starts a run (and refuses a second while it goes) and schedules; a check left unfinished by a
// server that died is told so after the restart; the dashboard's PDF queue, form origin and admin
// throttle hold.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants, descendantsRunning, HAS_REDIS_SERVER, PrivateRedis, runCli, sitesStored, startCli, waitFor } from '../helpers.js';
import { serveSlowSite, type SlowSite } from '../slow-sites.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-lifecycle-'));
const TOKEN = 'lifecycle-admin-token-0123';
const sites: SlowSite[] = [];

beforeAll(async () => {
  for (let i = 0; i < 3; i++) sites.push(await serveSlowSite(800, 3));
  writeFileSync(join(tmp, 'slow.yaml'), `targets:\n${sites.map((s, i) => `  - { private: true, id: s${i}, name: "S ${i}", group: ministry, url: "${s.url}", maxPages: 4 }\n`).join('')}`);
});
afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
});

const runStatus = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT id, status FROM runs ORDER BY id').all() as { id: number; status: string }[];
  } finally {
    d.close();
  }
};

describe('a run stopped by a signal', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 130 (SIGINT) or 143 (SIGTERM), the run marked interrupted, and --resume finishes it', async (signal) => {
    const db = join(tmp, `${signal}.sqlite`);
    const run = startCli(['run', join(tmp, 'slow.yaml'), '--db', db, '--no-lighthouse', '--concurrency', '1', '--quiet']);
    await waitFor('the first site to land', () => sitesStored(db) >= 1, 120_000);
    run.child.kill(signal);
    expect(await run.exited).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(run.output()).toMatch(/eindex: stopped by SIG(INT|TERM): run 1 can be finished with --resume/);
    expect(runStatus(db)).toEqual([{ id: 1, status: 'interrupted' }]);
    const resumed = await runCli(['run', join(tmp, 'slow.yaml'), '--db', db, '--no-lighthouse', '--resume', '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(runStatus(db)).toEqual([{ id: 1, status: 'done' }]);
    expect(sitesStored(db)).toBe(3);
  }, 240_000);
});

describe('the site deadline', () => {
  it('stops starting pages when the site budget is spent; the sample says so; the audit exits 0', async () => {
    const json = join(tmp, 'deadline.json');
    const big = await serveSlowSite(800, 20); // 21 pages, each answered after 0.8 s
    try {
      const r = await runCli(['audit', big.url, '--no-lighthouse', '--max-pages', '10', '--site-timeout', '3', '--json', json, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse((await import('node:fs')).readFileSync(json, 'utf8'));
      expect(result.pages.length).toBeLessThan(8); // 10 wanted; two at a time, over 0.8 s a page, 3 s
      expect(result.sample.reasons.map((x: { code: string }) => x.code)).toContain('deadline');
      expect(result.durationMs).toBeLessThan(3000 + 15_000); // pages under way finish; none starts after the deadline
    } finally {
      await big.close();
    }
  }, 120_000);
});

describe.skipIf(!HAS_REDIS_SERVER)('the scheduler', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(() => redis?.kill());

  it('turns a scheduled job into a stored run that the workers carry out', async () => {
    const db = join(tmp, 'scheduled.sqlite');
    const worker = startCli(['worker', '--allow-private', '--redis', redis.url]);
    const scheduler = startCli(['scheduler', '--redis', redis.url, '--db', db]);
    try {
      const declared = await runCli(['schedule', join(tmp, 'slow.yaml'), '--redis', redis.url, '--cron', '*/2 * * * * *', '--tz', 'UTC', '--name', 'often', '--no-lighthouse']);
      expect(declared.code, declared.stderr).toBe(0);
      await waitFor('a scheduled run to start', () => { try { return runStatus(db).length > 0; } catch { return false; } }, 60_000);
      expect((await runCli(['schedule', '--remove', 'often', '--redis', redis.url])).code).toBe(0);
      await waitFor('the scheduled run to finish', () => runStatus(db)[0]?.status === 'done', 180_000);
      const d = new Database(db, { readonly: true });
      const run = d.prepare('SELECT mode FROM runs WHERE id = 1').get() as { mode: string };
      const stored = d.prepare('SELECT institution_id AS id, status FROM site_results WHERE run_id = 1 ORDER BY institution_id').all();
      d.close();
      expect(run.mode).toBe('bullmq-scheduled');
      expect(stored).toEqual([{ id: 's0', status: 'ok' }, { id: 's1', status: 'ok' }, { id: 's2', status: 'ok' }]);
    } finally {
      for (const p of [worker, scheduler]) p.child.kill('SIGTERM');
      await Promise.all([worker.exited, scheduler.exited]);
    }
  }, 300_000);
});

describe('the dashboard across a restart, and its admin API', () => {
  it('a check left unfinished by a server that died is reported as such after the restart', async () => {
    const db = join(tmp, 'serve.sqlite');
    const listening = (s: ReturnType<typeof startCli>) => waitFor('eindex serve to listen', () => /listening on (http:\/\/\S+)/.exec(s.output())?.[1], 30_000);
    const first = startCli(['serve', '--create-db', '--db', db, '--port', '0', '--allow-private', '--no-lighthouse', '--check-pages', '4']);
    const base = await listening(first);
    const post = await fetch(`${base}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: sites[1]!.url }) });
    expect(post.status).toBe(202);
    const { id } = (await post.json()) as { id: string };
    await waitFor('the check to run', async () => ((await (await fetch(`${base}/api/checks/${id}`)).json()) as { status: string }).status === 'running');
    first.child.kill('SIGKILL');
    await first.exited;
    const second = startCli(['serve', '--create-db', '--db', db, '--port', '0', '--allow-private', '--no-lighthouse']);
    try {
      const again = await listening(second);
      const check = (await (await fetch(`${again}/api/checks/${id}`)).json()) as { status: string; error: string | null };
      expect(check).toMatchObject({ status: 'error', error: expect.stringMatching(/restarted before this check finished/) });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);

  it('a check runs in a process of its own: the dashboard answers within a second while a heavy check runs', async () => {
    // A site whose discovery is as heavy as the caps allow: a 19 MB sitemap and a 500 kB robots.txt.
    const big = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><!-- ${'x'.repeat(19_000_000)} --></urlset>`;
    const robots = `User-agent: *\n${Array.from({ length: 20_000 }, (_, i) => `Disallow: /*a*b*c*${i}$`).join('\n')}\n`;
    const heavy = createServer((req, res) => {
      if (req.url === '/sitemap.xml') return res.writeHead(200, { 'content-type': 'application/xml' }).end(big);
      if (req.url === '/robots.txt') return res.writeHead(200, { 'content-type': 'text/plain' }).end(robots);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Heavy</title></head><body><main><h1>Heavy ${req.url}</h1>${Array.from({ length: 30 }, (_, i) => `<a href="/p${i}">p${i}</a>`).join(' ')}</main></body></html>`);
    });
    await new Promise<void>((ok) => heavy.listen(0, '127.0.0.1', ok));
    const db = join(tmp, 'heavy.sqlite');
    const server = startCli(['serve', '--create-db', '--db', db, '--port', '0', '--allow-private', '--no-lighthouse', '--check-pages', '4']);
    try {
      const base = await waitFor('eindex serve to listen', () => /listening on (http:\/\/\S+)/.exec(server.output())?.[1], 30_000);
      const post = await fetch(`${base}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `http://127.0.0.1:${(heavy.address() as { port: number }).port}/` }) });
      const { id } = (await post.json()) as { id: string };
      const times: number[] = [];
      let sawProcess = false;
      let status = 'queued';
      while (status === 'queued' || status === 'running') {
        const t0 = Date.now();
        await fetch(`${base}/`).then((r) => r.text());
        times.push(Date.now() - t0);
        status = ((await (await fetch(`${base}/api/checks/${id}`)).json()) as { status: string }).status;
        sawProcess ||= descendantsRunning(server.child.pid!, 'check-process.js').length > 0;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe('done');
      expect(sawProcess).toBe(true);
      // Within a second (95 % of answers; the slowest within 3 s on a machine shared with another suite).
      // Parsing on the event loop kept every answer waiting 7 to 30 s.
      times.sort((a, b) => a - b);
      const p95 = times[Math.floor(times.length * 0.95)]!;
      expect(p95, `dashboard answers during the check: ${times.join(' ')} ms`).toBeLessThan(1000);
      expect(times.at(-1)!, `dashboard answers during the check: ${times.join(' ')} ms`).toBeLessThan(3000);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await new Promise((r) => heavy.close(r));
    }
  }, 180_000);

  it('POST /api/runs starts a run (202), refuses a second while it goes (409) and bad registry names; schedules need Redis (409); bounded PDF queue, same-origin forms, throttled admin failures', async () => {
    const db = join(tmp, 'admin.sqlite');
    const server = startCli(['serve', '--create-db', '--db', db, '--port', '0', '--no-lighthouse', '--targets-dir', tmp], { EINDEX_ADMIN_TOKEN: TOKEN });
    try {
      const base = await waitFor('eindex serve to listen', () => /listening on (http:\/\/\S+)/.exec(server.output())?.[1], 30_000);
      const admin = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
      const started = await admin('/api/runs', { targets: 'slow.yaml' });
      expect(started.status).toBe(202);
      const { runId } = (await started.json()) as { runId: number };
      // Carried out by `eindex run --resume` in a process of its own, not on the web server's event loop.
      const cmdline = (pid: number) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; } };
      expect(descendants(server.child.pid!).map(cmdline).some((args) => args.includes('run') && args.includes('--resume'))).toBe(true);
      const second = await admin('/api/runs', { targets: 'slow.yaml' });
      expect(second.status).toBe(409);
      expect(((await second.json()) as { error: string }).error).toMatch(/still going/);
      expect((await admin('/api/runs', { targets: '../etc/passwd' })).status).toBe(400);
      expect((await admin('/api/runs', { targets: 'nothere.yaml' })).status).toBe(404);
      expect((await admin('/api/schedules', { targets: 'slow.yaml', cron: '0 2 * * *' })).status).toBe(409); // no --redis
      await waitFor('the admin run to finish', async () => ((await (await fetch(`${base}/api/runs`)).json()) as { runs: { id: number; status: string }[] }).runs.find((r) => r.id === runId)?.status === 'done', 180_000);
      expect(sitesStored(db)).toBe(3);
      // Done: a new run may start.
      expect((await admin('/api/runs', { targets: 'slow.yaml' })).status).toBe(202);

      // PDF exports wait for one Chromium in a bounded queue: beyond it, 429 at once, not an ever longer wait.
      const pdfs = await Promise.all(Array.from({ length: 6 }, () => fetch(`${base}/runs/${runId}/report.pdf`)));
      const codes = pdfs.map((r) => r.status);
      expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(1);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(1);
      expect(codes.every((c) => c === 200 || c === 429)).toBe(true);

      // A form post from another site is refused; from the dashboard's own page it goes through.
      const form = (headers: Record<string, string>) => fetch(`${base}/check`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'url=https%3A%2F%2Fwww.example.lv%2F' });
      expect((await form({ origin: 'http://evil.test' })).status).toBe(403);
      expect((await form({ origin: 'null' })).status).toBe(403);
      expect((await form({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await form({ 'sec-fetch-site': 'same-site', origin: base })).status).toBe(403);
      expect((await form({ 'sec-fetch-site': 'same-origin', origin: 'null' })).status).not.toBe(403); // our no-referrer pages
      expect((await form({ origin: base })).status).not.toBe(403);

      // Failed admin attempts are logged (never with the address) and, after five, throttled, so a token
      // cannot be guessed at speed; the right token is never refused (anyone could lock the admin out).
      const wrong = () => fetch(`${base}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token-0000000000' }, body: '{"targets":"slow.yaml"}' });
      for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
      const throttled = await wrong();
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(60);
      expect([202, 409]).toContain((await admin('/api/runs', { targets: 'slow.yaml' })).status);
      expect(server.output()).toMatch(/admin: refused POST \/api\/runs from client [A-Za-z0-9_-]{10} \(bad or missing token; 5 in 15 min\)/);
      expect(server.output()).not.toContain('127.0.0.1 (bad');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 300_000);
});
