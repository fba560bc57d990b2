// Discovery and the sample, end to end with the real CLI and Chromium: robots.txt read as RFC 9309 says
// (exact product token; a 5xx asked again later), sitemaps through an XML parser, and a sample that
// shrank said in the JSON, the terminal and the HTML report, with the grade provisional.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { siteResultSchema, type SiteResult } from '../../src/schema/result.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-discovery-'));

const page = (title: string, links: string[]) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1><p>Public information about ${title}.</p>
<ul>${links.map((l) => `<li><a href="${l}">Page ${l}</a></li>`).join('')}</ul></main></body></html>`;

/** A five-page site whose robots.txt and sitemap each test can set; it counts robots.txt requests. */
interface Site { url: string; robots: (n: number) => { status: number; body?: string }; sitemap: string | null; robotsAsked: number; paths: string[] }
function siteServer(): Promise<{ server: Server; site: Site }> {
  const site: Site = { url: '', robots: () => ({ status: 404 }), sitemap: null, robotsAsked: 0, paths: [] };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    site.paths.push(path);
    if (path === '/robots.txt') {
      const r = site.robots(++site.robotsAsked);
      res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body ?? '');
    } else if (path === '/sitemap.xml') {
      if (site.sitemap === null) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/xml' }).end(site.sitemap.replaceAll('ORIGIN', site.url.replace(/\/$/, '')));
    } else if (path === '/' || /^\/p\d\.html$/.test(path)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(path, path === '/' ? ['/p1.html', '/p2.html', '/p3.html', '/p4.html'] : ['/']));
    } else if (path === '/photo.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end('not really a jpeg');
    } else if (/^\/(sm|old)\d?\.html$/.test(path)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(path, []));
    } else {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><title>Not found</title>');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    site.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    ok({ server, site });
  }));
}

async function audit(url: string, extra: string[] = []): Promise<{ r: SiteResult; stdout: string; html: string }> {
  const name = Math.random().toString(36).slice(2);
  const json = join(tmp, `${name}.json`);
  const htmlFile = join(tmp, `${name}.html`);
  const run = await runCli(['audit', '--quiet', '--no-lighthouse', '--max-pages', '5', '--json', json, '--html', htmlFile, ...extra, url]);
  expect(run.stderr, run.stderr).toBe('');
  return { r: siteResultSchema.parse(JSON.parse(readFileSync(json, 'utf8'))), stdout: run.stdout, html: readFileSync(htmlFile, 'utf8') };
}

describe('discovery and the sample', () => {
  let server: Server;
  let site: Site;
  beforeAll(async () => {
    ({ server, site } = await siteServer());
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  const reset = () => {
    site.robotsAsked = 0;
    site.paths = [];
    site.sitemap = null;
  };

  it('a group for another crawler whose name is part of ours does not apply to eindex', async () => {
    reset();
    site.robots = () => ({ status: 200, body: 'User-agent: index\nDisallow: /\n\nUser-agent: e\nDisallow: /\n\nUser-agent:\nDisallow: /\n\nUser-agent: *\nDisallow: /p4.html\n' });
    const { r } = await audit(site.url);
    expect(r.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/p1.html', '/p2.html', '/p3.html']);
    expect(r.discovery.excluded.map((x) => new URL(x.url).pathname)).toEqual(['/p4.html']);
    // Every page robots.txt allows was audited: the whole site, the disallowed one said (it read "incomplete").
    expect(r.sample).toMatchObject({ planned: 5, audited: 4, complete: true, wholeSite: true, reasons: [{ code: 'robots-disallowed' }] });
    expect(r.gradeProvisional).toBe(false);
  });

  it('robots.txt answering 503 twice: the start page only, the grade provisional, and every output says why', async () => {
    reset();
    site.robots = () => ({ status: 503 });
    const { r, stdout, html } = await audit(site.url);
    expect(site.robotsAsked).toBe(2);
    expect(r.pages.map((p) => new URL(p.url).pathname)).toEqual(['/']);
    expect(r.discovery.robotsTxt).toBe('error');
    expect(r.discovery.notes.join(' ')).toMatch(/robots\.txt could not be read \(HTTP 503\); asked again \d+ s later: HTTP 503/);
    expect(r.sample).toMatchObject({ planned: 5, audited: 1, complete: false, reasons: [{ code: 'robots-unavailable' }] });
    expect(r.grade).not.toBeNull();
    expect(r.gradeProvisional).toBe(true);
    expect(stdout).toMatch(/PROVISIONAL/);
    expect(stdout).toMatch(/Sample: +Sample incomplete: 1 of 5 planned pages audited: robots\.txt could not be read \(HTTP 503\).*The grade is provisional\./);
    expect(html).toContain('Sample incomplete: 1 of 5 planned pages audited');
    expect(html).toContain('The grade is provisional.');
  });

  it('robots.txt answering 503 once and then 200: asked again after the start page, the sample completes', async () => {
    reset();
    site.robots = (n) => (n === 1 ? { status: 503 } : { status: 200, body: 'User-agent: *\nAllow: /\n' });
    const { r } = await audit(site.url);
    expect(site.robotsAsked).toBe(2);
    expect(r.discovery.robotsTxt).toBe('found');
    expect(r.pages).toHaveLength(5);
    expect(r.sample).toMatchObject({ planned: 5, audited: 5, complete: true, reasons: [] });
    expect(r.gradeProvisional).toBe(false);
    expect(r.discovery.notes.join(' ')).toMatch(/read when asked again/);
  });

  it('sitemaps: image locations and commented-out pages are not pages; a malformed sitemap is a note, not an exit 3', async () => {
    reset();
    site.robots = () => ({ status: 404 });
    site.sitemap = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <!-- <url><loc>ORIGIN/old.html</loc></url> -->
      <url><loc>ORIGIN/sm1.html</loc><image:image><image:loc>ORIGIN/photo.jpg</image:loc></image:image></url></urlset>`;
    const { r } = await audit(site.url, ['--max-pages', '8']);
    const paths = r.pages.map((p) => new URL(p.url).pathname);
    expect(paths).toContain('/sm1.html');
    expect(paths).not.toContain('/photo.jpg');
    expect(paths).not.toContain('/old.html');
    expect(r.pages.every((p) => p.status === 'ok')).toBe(true);

    reset();
    site.sitemap = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>ORIGIN/sm1.html&#x110000;</loc></url></urlset>';
    const bad = await audit(site.url);
    expect(bad.r.discovery.notes.join(' ')).toMatch(/sitemap .*sitemap\.xml: malformed XML/);
    expect(bad.r.discovery.sitemaps).toEqual([]);
    expect(bad.r.pages).toHaveLength(5);
  });

  it('an unknown axe-core tag is one line and exit 2, before any page is loaded', async () => {
    reset();
    const run = await runCli(['audit', '--tags', 'wcagg2a', site.url]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/unknown axe-core tag wcagg2a \(did you mean wcag2a\?\)/);
    expect(site.paths).toEqual([]);
  });

  it('target-size is measured for the mobile verdict even when the tags leave it out of the grade', async () => {
    reset();
    site.robots = () => ({ status: 404 });
    const { r } = await audit(site.url, ['--tags', 'wcag2a', '--max-pages', '1']);
    const p = r.pages[0]!;
    expect(p.axe!.passes.some((x) => x.id === 'target-size')).toBe(false);
    expect(p.axe!.violations.some((x) => x.id === 'target-size')).toBe(false);
    expect(p.mobile!.tapTargets.total).toBeGreaterThan(0);
    expect(p.mobile!.tapTargets.source).toMatch(/axe-core target-size/);
  });
});
