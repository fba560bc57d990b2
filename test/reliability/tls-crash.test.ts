// Two more faults of the web and the machine: a site with a self-signed certificate, and Chromium killed
// in the middle of an audit. Neither may hang the audit, lose a page or leave a browser behind.
import { readFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteResult } from '../../src/schema/result.js';
import { alive, descendants, FIXTURES, runCli, startCli, waitFor } from '../helpers.js';
import { serveSlowSite, type SlowSite } from '../slow-sites.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-tls-crash-'));
const TLS = join(FIXTURES, '..', 'tls');
let https: Server;
let httpsUrl = '';
let slow: SlowSite;
const faults = { injected: 0, survived: 0 };

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

beforeAll(async () => {
  https = createServer({ cert: readFileSync(join(TLS, 'cert.pem')), key: readFileSync(join(TLS, 'key.pem')) }, (req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
    if (req.url?.startsWith('/private')) return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Private', ''));
    res.writeHead(200, { 'content-type': 'text/html' }).end(page(`Secure ${req.url}`, '<a href="/a">A</a> <a href="/private/x">X</a>'));
  });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  httpsUrl = `https://127.0.0.1:${(https.address() as { port: number }).port}/`;
  slow = await serveSlowSite(700, 8);
});

afterAll(async () => {
  https.closeAllConnections();
  await new Promise((r) => https.close(r));
  await slow.close();
  console.log(`tls and crash faults: ${faults.injected} injected, ${faults.survived} survived with nothing lost`);
});

describe('faults of the web and the machine', () => {
  it('a self-signed certificate: refused with one clear line; audited with --ignore-https-errors, robots.txt honoured', async () => {
    faults.injected++;
    const refused = await runCli(['audit', httpsUrl, '--no-lighthouse', '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/CERT|certificate/i);
    const out = join(tmp, 'tls.json');
    const ok = await runCli(['audit', httpsUrl, '--no-lighthouse', '--quiet', '--ignore-https-errors', '--json', out]);
    expect([0, 1]).toContain(ok.code);
    const r = JSON.parse(readFileSync(out, 'utf8')) as SiteResult;
    expect(r.discovery.robotsTxt).toBe('found');
    expect(r.pages.map((p) => [new URL(p.url).pathname, p.status])).toEqual([['/', 'ok'], ['/a', 'ok']]);
    expect(r.discovery.excluded.map((x) => new URL(x.url).pathname)).toContain('/private/x');
    faults.survived++;
  }, 120_000);

  it('Chromium killed mid-audit: it is relaunched, the audit goes on, every page is accounted for, none is left running', async () => {
    const out = join(tmp, 'crash.json');
    const cli = startCli(['audit', slow.url, '--no-lighthouse', '--max-pages', '8', '--concurrency', '1', '--json', out]);
    const spawned = new Set<number>();
    const browsers = new Set<number>();
    const isBrowser = (pid: number) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes('--remote-debugging-pipe') && !cmd.includes('--type='); // the browser process itself
      } catch {
        return false;
      }
    };
    // A pid is read again on every sample: seen between fork and exec, a browser's command line is still
    // node's (or the /usr/bin/chromium wrapper's), so one look at it is not enough to tell.
    const sampler = setInterval(() => descendants(cli.child.pid!).forEach((p) => {
      spawned.add(p);
      if (!browsers.has(p) && isBrowser(p)) browsers.add(p);
    }), 200);
    try {
      await waitFor('two pages to be audited', () => /\[2\/\d+\] /.test(cli.output()), 60_000);
      const browserPid = descendants(cli.child.pid!).find(isBrowser);
      expect(browserPid).toBeDefined();
      process.kill(browserPid!, 'SIGKILL');
      faults.injected++;
      const code = await cli.exited;
      expect([0, 1], cli.output()).toContain(code);
    } finally {
      clearInterval(sampler);
    }
    const r = JSON.parse(readFileSync(out, 'utf8')) as SiteResult;
    expect(r.pages).toHaveLength(8);
    expect(r.pages.every((p) => p.status === 'ok' || (p.status === 'error' && p.error))).toBe(true);
    // The page in flight when Chromium died is tried again in the relaunched browser: nothing is lost.
    expect(browsers.size, 'a second Chromium was launched').toBeGreaterThanOrEqual(2);
    expect(r.pages.filter((p) => p.status !== 'ok').map((p) => `${p.url}: ${p.error}`)).toEqual([]);
    await waitFor('every Chromium of the audit to be gone', () => [...spawned].every((p) => !alive(p)), 10_000);
    faults.survived++;
  }, 180_000);
});
