// The egress guard's upstream connections: closed when the browser's side goes, bounded in idle and total
// time, capped per host. A page that starts and abandons thousands of requests to a server that never
// answers left one open socket each in the check process (5,002 after one check), until the process ran
// out of descriptors.
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egressPolicy, startEgressGuard, type EgressGuard } from '../../src/gather/egress.js';
import { waitFor } from '../helpers.js';

describe('the egress guard\'s upstream sockets', () => {
  let hold: Server;
  let holdPort = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // A server that never answers /hold.
    hold = createServer(() => {});
    hold.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((ok) => hold.listen(0, '127.0.0.1', () => ok()));
    holdPort = (hold.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    hold.close();
  });

  /** A request through the guard to /hold; resolves once it is sent, with the request to abandon. */
  const throughGuard = (guard: EgressGuard) => new Promise<{ abandon: () => void; status: Promise<number> }>((resolve) => {
    const proxy = new URL(guard.url);
    let settle: (n: number) => void = () => {};
    const status = new Promise<number>((r) => (settle = r));
    const req = request({ host: proxy.hostname, port: proxy.port, path: `http://127.0.0.1:${holdPort}/hold`, method: 'GET', agent: false }, (res) => {
      settle(res.statusCode ?? 0);
      res.resume();
    });
    req.on('error', () => settle(0));
    req.end(() => resolve({ abandon: () => req.destroy(), status }));
  });

  it('closes the upstream side when the browser abandons a plain-HTTP request', async () => {
    const guard = await startEgressGuard(egressPolicy(true));
    try {
      for (let i = 0; i < 300; i++) (await throughGuard(guard)).abandon();
      await waitFor('the upstream sockets to close', () => sockets.size === 0 && guard.openUpstream() === 0, 5000);
    } finally {
      await guard.close();
    }
  });

  it('closes an upstream connection idle past its bound, and caps the connections to one host', async () => {
    const guard = await startEgressGuard(egressPolicy(true), { idleMs: 500, totalMs: 10_000, maxUpstream: 100, maxUpstreamPerHost: 5 });
    try {
      const held = await Promise.all(Array.from({ length: 8 }, () => throughGuard(guard)));
      await waitFor('five upstream connections', () => sockets.size === 5, 3000);
      // The three over the cap are refused at once, the five within it closed by the idle bound.
      const statuses = await Promise.all(held.map((h) => h.status));
      expect(statuses.filter((s) => s === 403)).toHaveLength(3);
      await waitFor('the idle connections to close', () => sockets.size === 0 && guard.openUpstream() === 0, 5000);
    } finally {
      await guard.close();
    }
  });
});
