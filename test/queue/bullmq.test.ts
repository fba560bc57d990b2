// BullMQ on a real Redis: workers killed mid-job lose nothing, every site lands exactly once, schedules
// are registered once however often they are declared. A random queue name per test, obliterated after.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, runCli, sitesStored, startCli, waitFor } from '../helpers.js';
import { serveSlowSite, type SlowSite } from '../slow-sites.js';
import { Store, type SiteOutcome } from '../../src/store/db.js';
import { BullExecutor, SiteJobProcessor } from '../../src/queue/executor.js';
import { defaultAuditOptions } from '../../src/audit/options.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-queue-'));
const queueName = `eindex-test-${process.pid}-${Date.now()}`;
let connection: Redis;
const sites: SlowSite[] = [];

beforeAll(async () => {
  connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  for (let i = 0; i < 5; i++) sites.push(await serveSlowSite(700));
});
afterAll(async () => {
  for (const name of [queueName, `${queueName}-runs`]) {
    const q = new Queue(name, { connection });
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
  connection.disconnect();
  await Promise.all(sites.map((s) => s.close()));
});

describe('a run through two BullMQ workers', () => {
  it('completes with every site exactly once when a worker is killed with SIGKILL mid-job', async () => {
    const targets = join(tmp, 'targets.yaml');
    writeFileSync(targets, `targets:\n${sites.map((s, i) => `  - { private: true, id: site-${i}, name: "Site ${i}", group: municipality, url: "${s.url}", maxPages: 4 }\n`).join('')}`);
    const db = join(tmp, 'queue.sqlite');
    const fast = ['--lock-duration', '4000', '--stalled-interval', '2000'];
    const a = startCli(['worker', '--allow-private', '--redis', REDIS_URL, '--queue', queueName, ...fast]);
    const run = runCli(['run', targets, '--redis', REDIS_URL, '--queue', queueName, '--db', db, '--no-lighthouse', '--quiet']);
    const queue = new Queue(queueName, { connection });
    // Worker A is alone: once it holds a job, start B and kill A while that job is under way.
    const active = await waitFor('an active job', async () => (await queue.getActive())[0]);
    const b = startCli(['worker', '--allow-private', '--redis', REDIS_URL, '--queue', queueName, ...fast]);
    await waitFor('worker B to be consuming', () => b.output().includes('consuming'));
    expect(await active.getState()).toBe('active'); // still under way when A dies
    a.child.kill('SIGKILL');
    const result = await run;
    expect(result.code, result.stderr + result.stdout + b.output()).toBe(0);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    await queue.close();

    const store = new Store(db);
    const rows = store.db.prepare('SELECT institution_id, status, COUNT(*) AS n FROM site_results GROUP BY institution_id').all() as { institution_id: string; status: string; n: number }[];
    expect(rows.map((r) => r.institution_id).sort()).toEqual(sites.map((_, i) => `site-${i}`));
    expect(rows.every((r) => r.n === 1 && r.status === 'ok')).toBe(true);
    // Exactly once also where the database's key cannot see it: each site's start page was loaded by one
    // audit, the killed worker's site by at most two (the killed attempt and the one that finished it).
    const killedTarget = (active.data as { target: { id: string } }).target.id;
    const audits = sites.map((s, i) => [`site-${i}`, s.hits.get('/') ?? 0] as const);
    for (const [id, n] of audits) expect(n, `${id} start page loads`).toBe(id === killedTarget ? Math.min(n, 2) : 1);
    expect(audits.find(([id]) => id === killedTarget)![1]).toBeGreaterThanOrEqual(1);
    expect(store.siteResult(store.latestRun()!.id, killedTarget)?.summary.pagesOk).toBe(4);
    expect(store.latestRun()!.status).toBe('done');
    store.close();
  }, 240_000);
});

describe('a worker told to stop (SIGTERM)', () => {
  it('finishes the audit it is running, takes no new job, and exits 0; another worker finishes the run', async () => {
    const name = `${queueName}-drain`;
    const targets = join(tmp, 'drain.yaml');
    const slow = [await serveSlowSite(600, 3), await serveSlowSite(600, 3)];
    writeFileSync(targets, `targets:\n${slow.map((s, i) => `  - { private: true, id: d${i}, name: "D ${i}", group: municipality, url: "${s.url}", maxPages: 4 }\n`).join('')}`);
    const db = join(tmp, 'drain.sqlite');
    const a = startCli(['worker', '--allow-private', '--redis', REDIS_URL, '--queue', name]);
    const run = runCli(['run', targets, '--redis', REDIS_URL, '--queue', name, '--db', db, '--no-lighthouse', '--quiet']);
    const queue = new Queue(name, { connection });
    try {
      const active = await waitFor('an active job', async () => (await queue.getActive())[0]);
      const first = (active.data as { target: { id: string } }).target.id;
      // Mid-audit: its start page is loaded, its other pages are not all yet.
      await waitFor('the audit under way', () => (slow[Number(first.slice(1))]!.hits.get('/') ?? 0) >= 1);
      a.child.kill('SIGTERM');
      expect(await a.exited).toBe(0);
      // It drained: the running audit landed whole, and the other site was never started by it.
      expect(sitesStored(db)).toBe(1);
      const other = slow[1 - Number(first.slice(1))]!;
      expect(other.hits.get('/') ?? 0).toBe(0);
      expect(a.output()).toContain('draining');
      const b = startCli(['worker', '--allow-private', '--redis', REDIS_URL, '--queue', name]);
      const result = await run;
      b.child.kill('SIGTERM');
      await b.exited;
      expect(result.code, result.stderr).toBe(0);
      const d = new Store(db);
      const rows = d.db.prepare('SELECT institution_id AS id, status, COUNT(*) AS n FROM site_results GROUP BY institution_id').all();
      expect(d.siteResult(d.latestRun()!.id, first)?.summary.pagesOk).toBe(4);
      d.close();
      expect(rows).toEqual([{ id: 'd0', status: 'ok', n: 1 }, { id: 'd1', status: 'ok', n: 1 }]);
      expect(slow.map((s) => s.hits.get('/'))).toEqual([1, 1]);
    } finally {
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      await Promise.all(slow.map((s) => s.close()));
    }
  }, 180_000);
});

describe('nightly schedule', () => {
  it('is registered once however often it is declared, listed, and removed', async () => {
    const targets = join(tmp, 'nightly.yaml');
    writeFileSync(targets, `targets:\n  - { private: true, id: a, name: A, group: ministry, url: "${sites[0]!.url}" }\n`);
    const args = ['schedule', targets, '--redis', REDIS_URL, '--queue', `${queueName}-runs`, '--cron', '0 2 * * *', '--tz', 'Europe/Riga'];
    for (let i = 0; i < 3; i++) expect((await runCli(args)).code).toBe(0);
    const queue = new Queue(`${queueName}-runs`, { connection });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: 'nightly-nightly', pattern: '0 2 * * *', tz: 'Europe/Riga' });
    const list = await runCli(['schedule', '--list', '--redis', REDIS_URL, '--queue', `${queueName}-runs`]);
    expect(list.stdout).toContain('nightly-nightly  0 2 * * *  Europe/Riga');
    expect((await runCli(['schedule', '--remove', 'nightly-nightly', '--redis', REDIS_URL, '--queue', `${queueName}-runs`])).code).toBe(0);
    expect(await queue.getJobSchedulers()).toHaveLength(0);
    const bad = await runCli([...args.slice(0, -4), '--cron', 'every night']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    await queue.close();
  });
});

describe('the collector of a BullMQ run', () => {
  // Workers push outcomes on the run's results list; the collector lands each job's first outcome once.
  it('lands every outcome as the worker gave it, exactly once, however often a job is finished', async () => {
    const name = `${queueName}-collect`;
    const targets = Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, name: `C${i}`, group: 'ministry' as const, url: `http://127.0.0.1:9/${i}` }));
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    let audits = 0;
    const sites = new SiteJobProcessor(redis, async (target) => {
      audits++;
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      return { status: 'error', error: `returned for ${target.id}` };
    });
    // Each job is finished twice, as after a stalled job is taken over: the second outcome must not land.
    const worker = new Worker(name, async (job) => {
      await sites.process(job);
      await sites.process(job);
    }, { connection: redis, concurrency: 4 });
    const landed: [string, SiteOutcome][] = [];
    try {
      await new BullExecutor({ redisUrl: REDIS_URL, queue: name, options: defaultAuditOptions(), window: 7 })
        .execute(1, targets, (t, outcome) => landed.push([t.id, outcome]));
      expect(await redis.keys(`eindex:${name}:run:1:*`)).toEqual([]); // results removed once stored
    } finally {
      await worker.close();
      await new Queue(name, { connection }).obliterate({ force: true }).catch(() => {});
      redis.disconnect();
    }
    expect(audits).toBe(120);
    expect(landed).toHaveLength(60);
    expect(new Map(landed)).toEqual(new Map(targets.map((t) => [t.id, { status: 'error', error: `returned for ${t.id}` }])));
  }, 60_000);
});
