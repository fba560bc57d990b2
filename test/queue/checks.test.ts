// `eindex serve --redis`: a self-service check is queued on BullMQ, an `eindex worker` runs it through its
// own egress guard, and the dashboard shows the result. Real Redis, a random queue name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import { FIXTURES, REDIS_URL, startCli, waitFor } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-checks-queue-'));
const queueName = `eindex-test-checks-${process.pid}-${Date.now()}`;
let site: StaticSite;
let server: ReturnType<typeof startCli>;
let worker: ReturnType<typeof startCli>;

beforeAll(async () => {
  site = await serveStatic(join(FIXTURES, 'inaccessible'));
  server = startCli(['serve', '--create-db', '--db', join(tmp, 'db.sqlite'), '--port', '0', '--redis', REDIS_URL, '--checks-queue', queueName, '--allow-private', '--no-lighthouse', '--check-pages', '2']);
  worker = startCli(['worker', '--redis', REDIS_URL, '--queue', `${queueName}-sites`, '--checks-queue', queueName, '--allow-private']);
});

afterAll(async () => {
  for (const p of [server, worker]) p?.child.kill('SIGTERM');
  await Promise.all([server?.exited, worker?.exited]);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  for (const name of [queueName, `${queueName}-sites`]) {
    const q = new Queue(name, { connection });
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
  connection.disconnect();
  await site.close();
});

describe('checks on BullMQ', () => {
  it('POST /api/checks on a --redis server is carried out by a worker and lands with its grade', async () => {
    const base = await waitFor('eindex serve to listen', () => /listening on (http:\/\/\S+)/.exec(server.output())?.[1], 30_000);
    const post = await fetch(`${base}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: site.url }) });
    expect(post.status).toBe(202);
    const { id } = (await post.json()) as { id: string };
    const done = await waitFor('the check to finish', async () => {
      const c = (await (await fetch(`${base}/api/checks/${id}`)).json()) as { status: string; grade: string | null; error: string | null };
      return c.status === 'done' || c.status === 'error' ? c : null;
    }, 90_000);
    expect(done, worker.output()).toMatchObject({ status: 'done', grade: 'low' });
    const html = await (await fetch(`${base}/checks/${id}`)).text();
    expect(html).toContain('Low compliance');
  }, 120_000);

  it('a worker takes "private addresses allowed" only from its own start flag, not from a job someone wrote to Redis', async () => {
    const guardedQueue = `${queueName}-guarded`;
    const guarded = startCli(['worker', '--redis', REDIS_URL, '--queue', `${guardedQueue}-sites`, '--checks-queue', guardedQueue]);
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(guardedQueue, { connection });
    try {
      const job = await queue.add('check', { checkId: 'forged', url: site.url, allowPrivate: true, limits: { maxPages: 2, pageTimeoutMs: 15_000, siteTimeoutMs: 40_000, lighthouse: false } });
      const outcome = await waitFor('the forged check to finish', async () => {
        const state = await job.getState();
        if (state === 'completed') return (await queue.getJob(job.id!))!.returnvalue as { status: string; result?: { pages: { status: string; errorCode?: string }[] } };
        if (state === 'failed') return { status: 'failed' };
        return null;
      }, 90_000);
      // The loopback site was never audited: the check failed, or every page was refused by the guard.
      expect(outcome.status === 'ok' ? outcome.result!.pages.every((p) => p.status === 'error') : true, JSON.stringify(outcome).slice(0, 300)).toBe(true);
      expect(guarded.output()).toMatch(/check forged asked for private addresses; this worker runs checks guarded/);
    } finally {
      guarded.child.kill('SIGTERM');
      await guarded.exited;
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      connection.disconnect();
    }
  }, 120_000);
});
