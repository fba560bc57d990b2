// The egress guard with real Chromium: a check of a "public" site (127.0.0.1 plays the internet here) must
// not reach an "internal" one (127.0.0.2) by a redirect, a link, a sub-resource, a sitemap, or a name that
// rebinds from the public address to the internal one between the vetting and the connection.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckRunner } from '../../src/server/check-runner.js';
import { egressPolicy, vetCheckUrl } from '../../src/server/egress.js';

let pub: Server, internal: Server;
let pubPort = 0, internalPort = 0;
const internalHits: string[] = [];
let rebindCalls = 0;

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const resolve = async (host: string): Promise<string[]> => {
  if (host === 'public.test') return ['127.0.0.1'];
  if (host === 'internal.test') return ['127.0.0.2'];
  if (host === 'rebind.test') return ++rebindCalls === 1 ? ['127.0.0.1'] : ['127.0.0.2'];
  throw new Error('ENOTFOUND');
};
// 127.0.0.1 is "the internet", 127.0.0.2 "the inside"; ports are whatever the test servers got.
const policy = { allowAddress: (ip: string) => ip === '127.0.0.1', allowPort: () => true, resolve };

beforeAll(async () => {
  internal = createServer((req, res) => {
    internalHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end(page('SECRET admin panel', '<p>secret</p>'));
  });
  await new Promise<void>((r) => internal.listen(0, '127.0.0.2', r));
  internalPort = (internal.address() as { port: number }).port;
  pub = createServer((req, res) => {
    const inside = `http://internal.test:${internalPort}`;
    switch (req.url) {
      case '/robots.txt': return res.writeHead(200, { 'content-type': 'text/plain' }).end(`User-agent: *\nAllow: /\nSitemap: ${inside}/sitemap.xml\n`);
      case '/': return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Public home', `<a href="/go-inside">Go</a> <a href="${inside}/linked">Linked</a> <img src="${inside}/pixel.png" alt="x"> <iframe title="f" src="http://127.0.0.2:${internalPort}/framed"></iframe>`));
      case '/go-inside': return res.writeHead(302, { location: `${inside}/redirected` }).end();
      default: return res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => pub.listen(0, '127.0.0.1', r));
  pubPort = (pub.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => pub.close(r));
  await new Promise((r) => internal.close(r));
});

describe('egress guard of self-service checks, with real Chromium', () => {
  it('redirects, links, frames, images and sitemaps into the inside are refused; the public pages are audited', async () => {
    const runner = new CheckRunner(false, policy);
    try {
      const outcome = await runner.run(`http://public.test:${pubPort}/`, { maxPages: 5, pageTimeoutMs: 20_000, siteTimeoutMs: 60_000, lighthouse: false });
      expect(outcome.status).toBe('ok');
      const result = outcome.status === 'ok' ? outcome.result : null;
      expect(result!.pages.find((p) => p.url === `http://public.test:${pubPort}/`)?.status).toBe('ok');
      const inside = result!.pages.find((p) => p.url.endsWith('/go-inside'));
      expect(inside?.status).toBe('error'); // the redirect leads inside: refused
      expect(JSON.stringify(result)).not.toContain('SECRET');
    } finally {
      await runner.close();
    }
    expect(internalHits).toEqual([]);
  }, 120_000);

  it('DNS rebinding: a name vetted as public that later answers inside is refused at connection time', async () => {
    rebindCalls = 0;
    const p = egressPolicy(false, policy);
    expect((await vetCheckUrl(`http://rebind.test:${pubPort}/`, p)).hostname).toBe('rebind.test'); // first answer: public
    const runner = new CheckRunner(false, policy);
    try {
      const outcome = await runner.run(`http://rebind.test:${pubPort}/`, { maxPages: 2, pageTimeoutMs: 15_000, siteTimeoutMs: 40_000, lighthouse: false });
      // Every later resolution answers 127.0.0.2: nothing may reach it, whatever the outcome says.
      if (outcome.status === 'ok') expect(outcome.result.pages.every((pg) => pg.status === 'error')).toBe(true);
    } finally {
      await runner.close();
    }
    expect(rebindCalls).toBeGreaterThan(1);
    expect(internalHits).toEqual([]);
  }, 120_000);
});
