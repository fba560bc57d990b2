// The egress guard with real Chromium: a check of a "public" site (127.0.0.1 plays the internet here) must
// not reach an "internal" one (127.0.0.2) by a redirect, a link, a sub-resource, a sitemap, or a name that
// rebinds from the public address to the internal one between the vetting and the connection.
//
// The inside answers on the public site's own port too, and `www.public.test` (the same site to the
// sampler) resolves inside: links and sitemaps into the inside pass the sampler's same-site rule and
// reach the guard, and a guard that let anything through would be seen in `internalHits`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAuditOptions } from '../../src/audit/options.js';
import { CheckRunner } from '../../src/server/check-runner.js';
import { egressPolicy, vetCheckUrl } from '../../src/gather/egress.js';
import { InProcessExecutor } from '../../src/run/in-process.js';
import type { SiteOutcome } from '../../src/store/db.js';
import type { Target } from '../../src/targets/targets.js';
import { runCli } from '../helpers.js';

let pub: Server, internal: Server, internalSamePort: Server, registrySite: Server;
let registryPort = 0;
let pubPort = 0, internalPort = 0;
const internalHits: string[] = [];
let rebindCalls = 0;

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const resolve = async (host: string): Promise<string[]> => {
  if (host === 'public.test' || host === 'registry.test') return ['127.0.0.1'];
  if (host === 'internal.test' || host === 'www.public.test') return ['127.0.0.2'];
  if (host === 'rebind.test') return ++rebindCalls === 1 ? ['127.0.0.1'] : ['127.0.0.2'];
  throw new Error('ENOTFOUND');
};
// 127.0.0.1 is "the internet", 127.0.0.2 "the inside"; ports are whatever the test servers got.
const policy = { allowAddress: (ip: string) => ip === '127.0.0.1', allowPort: () => true, resolve };

beforeAll(async () => {
  const inside = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    internalHits.push(req.url ?? '');
    if (req.url === '/sitemap.xml') return res.writeHead(200, { 'content-type': 'application/xml' }).end('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://public.test/SECRET-from-sitemap</loc></url></urlset>');
    res.writeHead(200, { 'content-type': 'text/html' }).end(page('SECRET admin panel', '<p>secret</p>'));
  };
  internal = createServer(inside);
  await new Promise<void>((r) => internal.listen(0, '127.0.0.2', r));
  internalPort = (internal.address() as { port: number }).port;
  pub = createServer((req, res) => {
    const inside = `http://internal.test:${internalPort}`;
    const sameSite = `http://www.public.test:${pubPort}`; // the sampler's same site, resolving inside
    switch (req.url) {
      case '/robots.txt': return res.writeHead(200, { 'content-type': 'text/plain' }).end(`User-agent: *\nAllow: /\nSitemap: ${sameSite}/sitemap.xml\n`);
      case '/script-inside': return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Leaves', `<script>addEventListener('load', () => setTimeout(() => { location.href = '${sameSite}/nav-inside'; }, 50))</script>`));
      case '/': return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Public home', `<a href="/go-inside">Go</a> <a href="/script-inside">Leaves</a> <a href="${sameSite}/linked">Linked</a> <img src="${inside}/pixel.png" alt="x"> <iframe title="f" src="http://127.0.0.2:${internalPort}/framed"></iframe>`));
      case '/go-inside': return res.writeHead(302, { location: `${inside}/redirected` }).end();
      default: return res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => pub.listen(0, '127.0.0.1', r));
  pubPort = (pub.address() as { port: number }).port;
  internalSamePort = createServer(inside);
  await new Promise<void>((r) => internalSamePort.listen(pubPort, '127.0.0.2', r));
  // A registry's public site whose sitemap and one page redirect inside (how the canary was hit before).
  registrySite = createServer((req, res) => {
    const inside = `http://internal.test:${internalPort}`;
    switch (req.url) {
      case '/robots.txt': return res.writeHead(200, { 'content-type': 'text/plain' }).end(`User-agent: *\nAllow: /\nSitemap: http://registry.test:${registryPort}/sitemap.xml\n`);
      case '/sitemap.xml': return res.writeHead(302, { location: `${inside}/sitemap.xml` }).end();
      case '/': return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Registry home', `<a href="/about">About</a> <a href="/go-inside">Go</a> <iframe title="f" src="${inside}/framed"></iframe>`));
      case '/about': return res.writeHead(200, { 'content-type': 'text/html' }).end(page('About', '<p>About us.</p>'));
      case '/go-inside': return res.writeHead(302, { location: `${inside}/redirected` }).end();
      default: return res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => registrySite.listen(0, '127.0.0.1', r));
  registryPort = (registrySite.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => pub.close(r));
  await new Promise((r) => internal.close(r));
  await new Promise((r) => internalSamePort.close(r));
  await new Promise((r) => registrySite.close(r));
});

describe('egress guard of self-service checks, with real Chromium', () => {
  it('redirects, links, frames, images and sitemaps into the inside are refused; the public pages are audited', async () => {
    const runner = new CheckRunner(false, policy);
    try {
      const outcome = await runner.run(`http://public.test:${pubPort}/`, { maxPages: 5, pageTimeoutMs: 20_000, siteTimeoutMs: 60_000, lighthouse: false });
      expect(outcome.status).toBe('ok');
      const result = outcome.status === 'ok' ? outcome.result : null;
      const home = result!.pages.find((p) => p.url === `http://public.test:${pubPort}/`);
      expect(home?.status).toBe('ok');
      // The frame the guard refused is not audited as the site's content, and where it pointed is not said.
      expect(home?.axe?.frames).toEqual([{ url: '', status: 'skipped', reason: 'refused by the egress guard' }]);
      const inside = result!.pages.find((p) => p.url.endsWith('/go-inside'));
      expect(inside).toMatchObject({ status: 'error', errorCode: 'refused' }); // the redirect leads inside
      // A page whose script navigates inside after load is an error too, not the guard's 403 page audited.
      const leaves = result!.pages.find((p) => p.url.endsWith('/script-inside'));
      expect(leaves).toMatchObject({ status: 'error', errorCode: 'refused' });
      expect(JSON.stringify(result)).not.toContain('nav-inside');
      // Refusals name the reason, never the internal address.
      expect(JSON.stringify(result)).not.toContain('127.0.0.2');
      // The same-site link was sampled (so it met the guard, not the sampler's rules) and refused.
      const linked = result!.pages.find((p) => p.url === `http://www.public.test:${pubPort}/linked`);
      expect(linked?.status).toBe('error');
      // The same-site sitemap was asked for through the guard and refused: nothing read from it.
      expect(result!.discovery.sitemaps).toEqual([]);
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
      // Every later resolution answers 127.0.0.2, where the inside listens on the same port: nothing may
      // reach it, and no page may be audited from it.
      expect(outcome.status === 'error' || outcome.result.pages.every((pg) => pg.status === 'error')).toBe(true);
      if (outcome.status === 'ok') expect(JSON.stringify(outcome.result)).not.toContain('SECRET');
    } finally {
      await runner.close();
    }
    expect(rebindCalls).toBeGreaterThan(1);
    expect(internalHits).toEqual([]);
  }, 120_000);
});

describe('egress guard of registry runs', () => {
  const options = defaultAuditOptions({ lighthouse: false, maxPages: 5, pageTimeoutMs: 20_000, siteTimeoutMs: 60_000 });
  const run = async (targets: Target[]) => {
    const landed = new Map<string, SiteOutcome>();
    await new InProcessExecutor(options, 1, egressPolicy(false, policy)).execute(1, targets, (t, o) => landed.set(t.id, o));
    return landed;
  };

  it('a public target cannot lead the crawler inside; an internal one is audited only when marked private', async () => {
    internalHits.length = 0;
    const landed = await run([
      { id: 'public', name: 'Public', group: 'ministry', url: `http://registry.test:${registryPort}/` },
      { id: 'unmarked', name: 'Intranet, not marked', group: 'ministry', url: `http://internal.test:${internalPort}/` },
    ]);
    const pub = landed.get('public')!;
    expect(pub.status).toBe('ok');
    const result = pub.status === 'ok' ? pub.result : null;
    expect(result!.pages.find((p) => p.url.endsWith('/about'))?.status).toBe('ok');
    expect(result!.pages.find((p) => p.url.endsWith('/go-inside'))).toMatchObject({ status: 'error', errorCode: 'refused' });
    expect(result!.discovery.sitemapUrls).toBe(0); // the sitemap redirected inside: refused, nothing read
    expect(JSON.stringify(result)).not.toContain('SECRET');
    expect(JSON.stringify(result)).not.toContain('127.0.0.2');
    // An intranet address without the evaluator's word: refused before any browser is pointed at it.
    expect(landed.get('unmarked')).toEqual({ status: 'error', error: expect.stringMatching(/^refused: internal\.test resolves to an internal address; an intranet site needs "private: true"/) });
    expect(internalHits).toEqual([]);

    const intranet = await run([{ id: 'intranet', name: 'Intranet', group: 'ministry', url: `http://127.0.0.2:${internalPort}/`, private: true }]);
    expect(intranet.get('intranet')).toMatchObject({ status: 'ok' });
    expect(internalHits.length).toBeGreaterThan(0);
  }, 180_000);

  it('eindex run: a loopback target is refused with a hint, and audited with private: true or --allow-private', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'eindex-egress-'));
    try {
      const url = `http://127.0.0.1:${registryPort}/about`;
      const file = (extra: string) => {
        const path = join(tmp, `t${extra ? 'p' : ''}.yaml`);
        writeFileSync(path, `targets:\n  - { id: local, name: Local, group: ministry, url: "${url}"${extra} }\n`);
        return path;
      };
      const statusOf = (db: string) => {
        const d = new Database(db, { readonly: true });
        try {
          return d.prepare('SELECT status, error FROM site_results').get() as { status: string; error: string | null };
        } finally {
          d.close();
        }
      };
      const args = ['--no-lighthouse', '--max-pages', '1', '--quiet'];
      // No site could be audited: a failed night is not a good one (exit 4).
      expect((await runCli(['run', file(''), '--db', join(tmp, 'a.sqlite'), ...args])).code).toBe(4);
      expect(statusOf(join(tmp, 'a.sqlite'))).toEqual({ status: 'error', error: expect.stringContaining('refused: 127.0.0.1 resolves to an internal address; an intranet site needs "private: true"') });
      expect((await runCli(['run', file(''), '--db', join(tmp, 'b.sqlite'), '--allow-private', ...args])).code).toBe(0);
      expect(statusOf(join(tmp, 'b.sqlite'))).toMatchObject({ status: 'ok' });
      expect((await runCli(['run', file(', private: true'), '--db', join(tmp, 'c.sqlite'), ...args])).code).toBe(0);
      expect(statusOf(join(tmp, 'c.sqlite'))).toMatchObject({ status: 'ok' });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});
