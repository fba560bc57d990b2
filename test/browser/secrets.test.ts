// Request headers and cookies from the config are the audited site's: a third-party image on another
// host received them on every page before. Their values are never stored where the run's options are
// kept (SQLite, Redis), and the database files are created readable by their owner only.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, runCli, startCli, waitFor } from '../helpers.js';
import { headersFor } from '../../src/audit/options.js';
import { fetchText } from '../../src/gather/http.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-secrets-'));
const SECRET = 'Bearer s3cret-value-7f3a';

describe('secrets of the config', () => {
  let site: Server;
  let other: Server;
  const seen: { site: IncomingHttpHeaders[]; other: IncomingHttpHeaders[] } = { site: [], other: [] };
  let siteUrl = '';
  beforeAll(async () => {
    other = createServer((req, res) => {
      seen.other.push(req.headers);
      res.writeHead(200, { 'content-type': 'image/gif' }).end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    });
    await new Promise<void>((ok) => other.listen(0, '127.0.0.1', () => ok()));
    const otherPort = (other.address() as { port: number }).port;
    site = createServer((req, res) => {
      seen.site.push(req.headers);
      // A third party on another host: localhost, not 127.0.0.1.
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Staging</title></head>
<body><main><h1>Staging</h1><img src="http://localhost:${otherPort}/pixel.gif" alt="tracker"></main></body></html>`);
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', () => ok()));
    siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
  });
  afterAll(() => {
    site.close();
    other.close();
  });

  it('headers go to the audited site only, unless the config says every host', async () => {
    const config = join(tmp, 'headers.yaml');
    writeFileSync(config, `headers:\n  Authorization: "${SECRET}"\n  X-Staging: "yes"\n`);
    const r = await runCli(['audit', '--quiet', '--no-lighthouse', '--no-crawl', '--config', config, siteUrl]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.site.some((h) => h.authorization === SECRET && h['x-staging'] === 'yes')).toBe(true);
    expect(seen.other.length).toBeGreaterThan(0);
    expect(seen.other.some((h) => h.authorization || h['x-staging'])).toBe(false);

    seen.other.length = 0;
    writeFileSync(config, `headers:\n  X-Staging: "yes"\nheadersForAllHosts: true\n`);
    expect((await runCli(['audit', '--quiet', '--no-lighthouse', '--no-crawl', '--config', config, siteUrl])).code).toBe(0);
    expect(seen.other.some((h) => h['x-staging'] === 'yes')).toBe(true);
  });

  it('headers never follow the page to another host: an hreflang alternate, a meta refresh, a 302 of a link, a frame and an image (both clients); a hop on the site keeps them', async () => {
    // Who asked (the browser sends Sec-Fetch-Dest, the explorer does not), for what, with the header or not.
    const asked = (req: IncomingMessage) => ({ path: req.url, key: req.headers['x-api-key'], browser: req.headers['sec-fetch-dest'] });
    const hops: ReturnType<typeof asked>[] = [];
    const elsewhere = createServer((req, res) => {
      hops.push(asked(req));
      if (req.url === '/pix.gif') return void res.writeHead(200, { 'content-type': 'image/gif' }).end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><title>Elsewhere</title><main><h1>Elsewhere</h1></main></html>');
    });
    await new Promise<void>((ok) => elsewhere.listen(0, '127.0.0.1', () => ok()));
    const away = `http://localhost:${(elsewhere.address() as { port: number }).port}`;
    const mine: ReturnType<typeof asked>[] = [];
    const page = (title: string, extra = '') => `<!doctype html><html lang="lv"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>${extra}</head>
<body><main><h1>${title}</h1><a href="/r">Jaunumi</a> <a href="/m">Kontakti</a></main></body></html>`;
    const home = createServer((req, res) => {
      mine.push(asked(req));
      // 302s to another host: a link's (explored), a frame's and an image's (the browser's start page);
      // the start URL's own redirect to its home page stays on the site.
      if (req.url === '/r') return void res.writeHead(302, { location: `${away}/x` }).end();
      if (req.url === '/embed') return void res.writeHead(302, { location: `${away}/frame` }).end();
      if (req.url === '/img') return void res.writeHead(302, { location: `${away}/pix.gif` }).end();
      if (req.url === '/go') return void res.writeHead(302, { location: '/' }).end();
      if (req.url === '/m') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page('Pāradresē', `<meta http-equiv="refresh" content="0; url=${away}/meta">`));
      res.writeHead(200, { 'content-type': 'text/html' }).end(page('Sākums', `<link rel="alternate" hreflang="en" href="${away}/en/">`)
        .replace('</main>', '<img src="/img" alt="Karte"><iframe src="/embed" title="Karte"></iframe></main>'));
    });
    await new Promise<void>((ok) => home.listen(0, '127.0.0.1', () => ok()));
    try {
      const config = join(tmp, 'hops.yaml');
      writeFileSync(config, 'headers:\n  X-Api-Key: "k3y-s3cret"\n');
      const r = await runCli(['audit', '--quiet', '--no-lighthouse', '--config', config, `http://127.0.0.1:${(home.address() as { port: number }).port}/go`]);
      expect(r.code, r.stderr).toBe(0);
      // The browser's start page /go and its redirect home, with the header; the image's and the frame's hops
      // away reached the other host, without it (before: with it).
      expect(mine.filter((h) => h.browser === 'document' && h.key === 'k3y-s3cret').map((h) => h.path)).toEqual(expect.arrayContaining(['/go', '/']));
      expect(hops.filter((h) => h.browser).map((h) => h.path)).toEqual(expect.arrayContaining(['/frame', '/pix.gif']));
      const start = new URL(`http://127.0.0.1:${(home.address() as { port: number }).port}/`);
      const hop = await fetchText(new URL('/r', start).href, { userAgent: 'eindex', headers: { 'X-Api-Key': 'k3y-s3cret' }, headersFor: headersFor(start, {}), timeoutMs: 5000, maxBytes: 10_000 });
      expect(new URL(hop.url!).pathname).toBe('/x'); // the explorer followed the 302, without the header
      expect(mine.some((h) => !h.browser && h.key === 'k3y-s3cret')).toBe(true);
      expect(hops.filter((h) => h.key)).toEqual([]);
    } finally {
      home.close();
      elsewhere.close();
    }
  });

  it('a run stores the names of its secrets, never their values; the database is created 0600', async () => {
    const config = join(tmp, 'run.yaml');
    writeFileSync(config, `headers:\n  Authorization: "${SECRET}"\ncookies:\n  - { name: session, value: cookie-s3cret, url: "${siteUrl}" }\n`);
    const targets = join(tmp, 'targets.yaml');
    writeFileSync(targets, `targets:\n  - { id: staging, name: Staging, group: ministry, url: "${siteUrl}", private: true }\n`);
    const db = join(tmp, 'run.sqlite');
    const r = await runCli(['run', targets, '--db', db, '--config', config, '--no-lighthouse', '--max-pages', '1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const d = new Database(db, { readonly: true });
    try {
      const stored = (d.prepare('SELECT options_json FROM runs').get() as { options_json: string }).options_json;
      expect(stored).not.toContain('s3cret');
      expect(JSON.parse(stored).secrets).toEqual({ headers: ['Authorization'], cookies: ['session'], loginSteps: 0 });
    } finally {
      d.close();
    }
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('a queued run puts no secret in Redis', async () => {
    const config = join(tmp, 'queued.yaml');
    writeFileSync(config, `headers:\n  Authorization: "${SECRET}"\n`);
    const targets = join(tmp, 'queued-targets.yaml');
    writeFileSync(targets, `targets:\n  - { id: staging, name: Staging, group: ministry, url: "${siteUrl}", private: true }\n`);
    const queue = `secrets-${Date.now()}`;
    const run = startCli(['run', targets, '--db', join(tmp, 'queued.sqlite'), '--config', config, '--redis', REDIS_URL, '--queue', queue, '--no-lighthouse']);
    const redis = new Redis(REDIS_URL);
    try {
      const key = `eindex:${queue}:run:1:options`;
      const stored = await waitFor('the run options in Redis', () => redis.get(key), 30_000);
      expect(stored).not.toContain('s3cret');
      expect(JSON.parse(stored).secrets.headers).toEqual(['Authorization']);
      const jobs = await redis.keys(`bull:${queue}:*`);
      for (const k of jobs.filter((x) => /:\d+$|:site:/.test(x))) {
        const type = await redis.type(k);
        if (type === 'hash') expect(JSON.stringify(await redis.hgetall(k))).not.toContain('s3cret');
      }
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      await redis.del(`eindex:${queue}:run:1:options`, `eindex:${queue}:run:1:alive`, `eindex:${queue}:run:1:results`);
      const left = await redis.keys(`bull:${queue}:*`);
      if (left.length) await redis.del(...left);
      redis.disconnect();
    }
  });
});
