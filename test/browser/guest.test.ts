// Being a good guest, and pages behind a login: a purpose-built server records what the crawler did.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import type { SiteResult } from '../../src/schema/result.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-guest-'));
const page = (title: string, body = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

let server: Server;
let origin = '';
const hits: { path: string; ua: string; at: number; header?: string; cookie?: string }[] = [];
let busyOnce = true;

function handle(req: IncomingMessage): { status: number; type?: string; body: string | Buffer; headers?: Record<string, string> } {
  const url = new URL(req.url ?? '/', origin);
  switch (url.pathname) {
    case '/robots.txt':
      return { status: 200, type: 'text/plain', body: `User-agent: eindex\nDisallow: /no-eindex/\nCrawl-delay: 2\n\nUser-agent: *\nDisallow: /\n\nSitemap: ${origin}/sitemap-index.xml\n` };
    case '/sitemap-index.xml':
      return { status: 200, type: 'application/xml', body: `<sitemapindex><sitemap><loc>${origin}/pages.xml.gz</loc></sitemap></sitemapindex>` };
    case '/pages.xml.gz':
      return { status: 200, type: 'application/gzip', body: gzipSync(`<urlset><url><loc>${origin}/from-gzip-sitemap</loc></url><url><loc>${origin}/no-eindex/secret</loc></url></urlset>`) };
    case '/':
      return { status: 200, body: page('Home', '<a href="/busy">Busy</a> <a href="/members">Members</a>') };
    case '/busy':
      if (busyOnce) {
        busyOnce = false;
        return { status: 429, body: 'slow down', headers: { 'retry-after': '2' } };
      }
      return { status: 200, body: page('Busy, now free') };
    case '/login':
      if (req.method === 'POST') return { status: 303, body: '', headers: { location: '/members', 'set-cookie': 'session=ok; Path=/' } };
      return { status: 200, body: page('Log in', '<form method="post" action="/login"><label for="u">User</label><input id="u" name="u"><button type="submit">Log in</button></form>') };
    case '/members':
      return /session=ok/.test(req.headers.cookie ?? '')
        ? { status: 200, body: page('Members area') }
        : { status: 302, body: '', headers: { location: '/login' } };
    default:
      return { status: 200, body: page(url.pathname) };
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', ua: req.headers['user-agent'] ?? '', at: Date.now(), header: req.headers['x-audit'] as string | undefined, cookie: req.headers.cookie });
    const r = handle(req);
    res.writeHead(r.status, { 'content-type': r.type ?? 'text/html; charset=utf-8', ...r.headers }).end(r.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('a good guest', () => {
  let r: SiteResult;
  beforeAll(async () => {
    const json = join(tmp, 'guest.json');
    const run = await runCli(['audit', '--quiet', '--no-lighthouse', '--contact', 'https://evaluator.example/eindex', '--header', 'X-Audit: yes', '--json', json, `${origin}/`]);
    expect(run.stderr).toBe('');
    r = JSON.parse(readFileSync(json, 'utf8'));
  });

  it('identifies itself with a contact URL and sends the extra headers', () => {
    const pageHits = hits.filter((h) => h.path === '/');
    expect(pageHits.length).toBeGreaterThan(0);
    expect(pageHits[0]!.ua).toMatch(/eindex\/\S+ \(\+https:\/\/evaluator\.example\/eindex\)/);
    expect(pageHits[0]!.header).toBe('yes');
  });

  it('follows robots.txt for its own token, index sitemaps and gzip sitemaps', () => {
    const paths = r.pages.map((p) => new URL(p.url).pathname);
    expect(paths).toContain('/from-gzip-sitemap');
    expect(paths.some((p) => p.startsWith('/no-eindex/'))).toBe(false);
    expect(r.discovery.sitemaps).toEqual([`${origin}/sitemap-index.xml`, `${origin}/pages.xml.gz`]);
  });

  it('waits as long as Retry-After asks and then audits the page', () => {
    const busy = hits.filter((h) => h.path === '/busy');
    expect(busy).toHaveLength(2);
    expect(busy[1]!.at - busy[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(r.pages.find((p) => p.url.endsWith('/busy'))).toMatchObject({ status: 'ok', title: 'Busy, now free' });
  });

  // Crawl-delay 2 s. eindex spaces the requests as it sends them; this server, in the test runner's busy
  // process, stamps them when it gets round to them (up to 0.35 s late on a loaded CI machine), so the
  // bound leaves room for that and still fails a crawler that ignores the delay (a load every ~0.6 s).
  it('honours Crawl-delay between page loads', () => {
    const loads = hits.filter((h) => !/robots|sitemap|pages\.xml|favicon/.test(h.path)).map((h) => h.at).sort((a, b) => a - b);
    for (let i = 1; i < loads.length; i++) {
      if (hits.find((h) => h.at === loads[i])?.path === '/login') continue; // a redirect follows at once
      expect(loads[i]! - loads[i - 1]!, JSON.stringify(hits.map((h) => [h.path, h.at - hits[0]!.at]))).toBeGreaterThanOrEqual(1500);
    }
  });
});

describe('pages behind a login', () => {
  it('runs the declared login steps once and audits with the session', async () => {
    const config = join(tmp, 'login.yaml');
    writeFileSync(config, `login:\n  - goto: ${origin}/login\n  - fill: "#u"\n    value: auditor\n  - click: "button[type=submit]"\n  - waitFor: "h1"\n`);
    const json = join(tmp, 'login.json');
    const run = await runCli(['audit', '--quiet', '--no-lighthouse', '--no-crawl', '--config', config, '--json', json, `${origin}/members`]);
    expect(run.stderr).toBe('');
    const r: SiteResult = JSON.parse(readFileSync(json, 'utf8'));
    expect(r.pages[0]).toMatchObject({ status: 'ok', title: 'Members area' });
  });

  it('a config file with an unknown key is refused in one line', async () => {
    const config = join(tmp, 'bad.yaml');
    writeFileSync(config, 'logins: []\n');
    const run = await runCli(['audit', '--config', config, `${origin}/`]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^eindex: config file .*bad\.yaml: .*logins/);
  });
});
