// What one hostile client can still do to the public dashboard: hold every connection (256 slow sockets
// held all of --max-connections for 77 s), or keep the admin out behind a reverse proxy (five wrong tokens
// and the right one got 429 for 15 minutes). Each closed here, against the real server.
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, waitFor } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-serve-limits-'));
const TOKEN = 'serve-limits-admin-token-0123';

async function serve(args: string[]): Promise<{ base: string; port: number; stop: () => Promise<void>; output: () => string }> {
  const server = startCli(['serve', '--create-db', '--db', join(tmp, `${Math.random().toString(36).slice(2)}.sqlite`), '--port', '0', '--no-lighthouse', ...args], { EINDEX_ADMIN_TOKEN: TOKEN });
  const line = await waitFor('the server to listen', () => /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(server.output()), 30_000);
  return {
    base: line[1]!, port: Number(line[2]), output: server.output,
    stop: async () => {
      server.child.kill('SIGTERM');
      await server.exited;
    },
  };
}

describe('one client cannot take every connection', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  const slow: Socket[] = [];
  beforeAll(async () => {
    s = await serve(['--max-connections', '32', '--max-connections-per-client', '8']);
  });
  afterAll(async () => {
    for (const c of slow) c.destroy();
    await s.stop();
  });

  it('a client sending headers slowly holds at most its share, others are served, and the slow ones are cut', async () => {
    // Forty sockets from 127.0.0.2, each sending one header line and then nothing.
    for (let i = 0; i < 40; i++) {
      const c = connect({ host: '127.0.0.1', port: s.port, localAddress: '127.0.0.2' });
      c.on('error', () => {});
      c.resume(); // read what the server says (its 408), so its close is seen
      c.write('GET / HTTP/1.1\r\nHost: x\r\n');
      slow.push(c);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const open = () => slow.filter((c) => !c.destroyed && c.readyState === 'open').length;
    expect(open()).toBeLessThanOrEqual(8);
    // Another client is served at once.
    const res = await fetch(`${s.base}/`);
    expect(res.status).toBe(200);
    // The slow ones are cut when their headers have not come within 10 s.
    await waitFor('the slow sockets to be cut', () => open() === 0, 20_000);
  }, 40_000);
});

describe('behind a trusted reverse proxy', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve(['--trust-proxy', '127.0.0.1']);
  });
  afterAll(() => s.stop());

  const post = (token: string, forwardedFor: string) => fetch(`${s.base}/api/runs`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': forwardedFor }, body: '{"targets":"nothere.yaml"}',
  });

  it('failed admin attempts are counted per forwarded client, and the right token is never refused', async () => {
    for (let i = 0; i < 5; i++) expect((await post('wrong-token-0000000000000000', '198.51.100.7, 203.0.113.5')).status).toBe(401);
    expect((await post('wrong-token-0000000000000000', '203.0.113.5')).status).toBe(429);
    // Another visitor behind the same proxy is not throttled by the first one's failures…
    expect((await post('wrong-token-0000000000000000', '203.0.113.6')).status).toBe(401);
    // …and the right token passes even from the throttled client (404: the registry does not exist).
    expect((await post(TOKEN, '203.0.113.5')).status).toBe(404);
  });
});
