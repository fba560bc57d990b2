// Stopping as a job runner stops a tool (CI cancel, `timeout`, `docker stop`, Ctrl-C): eindex audit,
// eindex run and a worker whose Redis has gone each exit within their bound with the right code, keep
// what they had, say so in one line, and leave no Chromium behind. And exit codes a job can trust.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { alive, descendantsRunning, FIXTURES, freePort, PrivateRedis, ROOT, runCli, startCli, waitFor } from '../helpers.js';
import { municipalitySite, serveSite, type BuiltSite } from '../built-sites.js';
import { createServer, type Server } from 'node:http';
import { statSync } from 'node:fs';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-stop-'));

/** Sends `signal` once the process has Chromium running; returns its exit code and seconds to exit. */
async function stopWhenAuditing(args: string[], signal: NodeJS.Signals, afterMs = 0): Promise<{ code: number | null; seconds: number; output: string; browsers: number[] }> {
  const cli = startCli(args);
  const browsers = await waitFor('Chromium to run', () => {
    const pids = descendantsRunning(cli.child.pid!, 'chromium');
    return pids.length ? pids : null;
  }, 60_000);
  await new Promise((r) => setTimeout(r, afterMs));
  const sent = Date.now();
  cli.child.kill(signal);
  const code = await cli.exited;
  return { code, seconds: (Date.now() - sent) / 1000, output: cli.output(), browsers };
}

describe('stopping eindex audit', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await serveSite(municipalitySite());
  });
  afterAll(() => site.close());

  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal}: within 5 s, exit ${code}, what was audited written and marked interrupted, one line, no Chromium left`, async () => {
      const json = join(tmp, `${signal}.json`);
      const r = await stopWhenAuditing(['audit', '--no-lighthouse', '--delay', '2500', '--json', json, site.url], signal, 4000);
      expect(r.code, r.output).toBe(code);
      expect(r.seconds).toBeLessThan(5);
      const result = JSON.parse(readFileSync(json, 'utf8'));
      expect(result.interrupted).toBe(true);
      expect(result.pages.length).toBeGreaterThanOrEqual(1);
      expect(result.sample.reasons.map((x: { code: string }) => x.code)).toContain('interrupted');
      expect(r.output.trim().split('\n').at(-1)).toMatch(new RegExp(`^eindex: stopped by ${signal}: \\d+ of 10 pages audited; what was audited is written, marked "interrupted"$`));
      expect(r.output).not.toMatch(/net::ERR_|page\.goto|\n\s+at /);
      await waitFor('Chromium to be gone', () => r.browsers.every((pid) => !alive(pid)), 5000);
    });
  }
});

describe('stopping eindex run and a worker', () => {
  let site: Server;
  let url = '';
  beforeAll(async () => {
    // A slow public site: each page takes 3 s, so a run is mid-audit when stopped.
    site = createServer((_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><title>Slow</title><main><h1>Slow</h1></main></html>'), 3000));
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', () => ok()));
    url = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
  });
  afterAll(() => new Promise<void>((ok) => site.close(() => ok())));

  it('eindex run, SIGTERM: exit 143 within 5 s, the run marked interrupted (resumable), no Chromium left', async () => {
    const targets = join(tmp, 'slow.yaml');
    writeFileSync(targets, `targets:\n${[1, 2, 3].map((i) => `  - { id: s${i}, name: Slow ${i}, group: ministry, url: "${url}?s=${i}", private: true }`).join('\n')}\n`);
    const db = join(tmp, 'run.sqlite');
    const r = await stopWhenAuditing(['run', targets, '--db', db, '--no-lighthouse', '--max-pages', '2', '--quiet'], 'SIGTERM', 1000);
    expect(r.code, r.output).toBe(143);
    expect(r.seconds).toBeLessThan(5);
    expect(r.output).toContain('eindex: stopped by SIGTERM: run 1 can be finished with --resume');
    const d = new Database(db, { readonly: true });
    try {
      expect((d.prepare('SELECT status FROM runs').get() as { status: string }).status).toBe('interrupted');
    } finally {
      d.close();
    }
    await waitFor('Chromium to be gone', () => r.browsers.every((pid) => !alive(pid)), 5000);
  });

  it('a worker whose Redis has gone stops on SIGTERM within its drain bound (it hung for good before)', async () => {
    const redis = await PrivateRedis.start();
    const worker = startCli(['worker', '--redis', redis.url, '--drain-timeout', '10000', '--no-checks']);
    try {
      await waitFor('the worker to consume', () => worker.output().includes('consuming'), 30_000);
      redis.kill();
      await new Promise((r) => setTimeout(r, 1500));
      const sent = Date.now();
      worker.child.kill('SIGTERM');
      const code = await Promise.race([worker.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
      expect(code, worker.output()).toBe(0);
      expect((Date.now() - sent) / 1000).toBeLessThan(15);
    } finally {
      worker.child.kill('SIGKILL');
      redis.kill();
    }
  }, 90_000);
});

describe('exit codes a job can trust', () => {
  it('audit --fail-under highest on a site graded high: exit 1 and the line that says why', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>No statement</title></head><body><main><h1>Home</h1><p>Text.</p></main></body></html>'));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    try {
      const r = await runCli(['audit', '--quiet', '--no-lighthouse', '--no-crawl', '--fail-under', 'highest', `http://127.0.0.1:${(server.address() as { port: number }).port}/`]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('eindex: --fail-under highest: the site is graded high (not highest: no accessibility statement linked)');
    } finally {
      server.close();
    }
  });

  it('run --fail-under and --max-failed: exit 1 with a line each; a run that audited nothing prints no throughput', async () => {
    const targets = join(tmp, 'mixed.yaml');
    const fixtures = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = join(FIXTURES, 'inaccessible', path === '/' ? 'index.html' : path);
      if (existsSync(file) && statSync(file).isFile()) res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(file));
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => fixtures.listen(0, '127.0.0.1', () => ok()));
    const port = (fixtures.address() as { port: number }).port;
    writeFileSync(targets, `targets:\n  - { id: bad, name: Bad, group: ministry, url: "http://127.0.0.1:${port}/", private: true }\n  - { id: gone, name: Gone, group: ministry, url: "http://127.0.0.1:1/", private: true }\n`);
    try {
      const r = await runCli(['run', targets, '--db', join(tmp, 'mixed.sqlite'), '--no-lighthouse', '--max-pages', '1', '--fail-under', 'high', '--max-failed', '0']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('eindex: --max-failed 0: 1 sites could not be audited');
      expect(r.stderr).toMatch(/eindex: --fail-under high: 1 site\(s\) below it: bad \((low|medium)\)/);
      const none = await runCli(['run', writeTargets('none', '  - { id: gone, name: Gone, group: ministry, url: "http://127.0.0.1:1/", private: true }'), '--db', join(tmp, 'none.sqlite'), '--no-lighthouse']);
      expect(none.code).toBe(4);
      expect(none.stdout).not.toMatch(/sites\/min/);
      expect(none.stderr).toContain('eindex: no site could be audited');
    } finally {
      fixtures.close();
    }
  });
});

function writeTargets(name: string, lines: string): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, `targets:\n${lines}\n`);
  return file;
}

describe('errors in a person\'s words, before any work', () => {
  let server: Server;
  let port = 0;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Plain</title></head><body><main><h1>Plain http</h1></main></body></html>');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const oneLine = (r: { stderr: string }) => {
    const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('running as root'));
    expect(lines, r.stderr).toHaveLength(1);
    expect(r.stderr).not.toMatch(/net::ERR_|page\.goto|\n\s+at /);
    return lines[0]!;
  };

  it('a URL without a scheme that does not answer https is audited as http, and says so', async () => {
    const json = join(tmp, 'noscheme.json');
    const r = await runCli(['audit', '--no-lighthouse', '--no-crawl', '--json', json, `127.0.0.1:${port}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`eindex: 127.0.0.1:${port} has no scheme and does not answer https`);
    expect(JSON.parse(readFileSync(json, 'utf8')).url).toBe(`http://127.0.0.1:${port}/`);
  });

  it('nothing listening: one sentence, exit 2; an unsafe port: one sentence, exit 2', async () => {
    const closed = await freePort();
    const refused = await runCli(['audit', '--quiet', '--no-lighthouse', '--no-crawl', `http://127.0.0.1:${closed}/`]);
    expect(refused.code).toBe(2);
    expect(oneLine(refused)).toBe(`eindex: cannot reach http://127.0.0.1:${closed}/: the server refused the connection (nothing listens on that port?)`);
    const unsafe = await runCli(['audit', '--quiet', '--no-lighthouse', '--no-crawl', 'http://127.0.0.1:6000/']);
    expect(unsafe.code).toBe(2);
    expect(oneLine(unsafe)).toBe('eindex: cannot reach http://127.0.0.1:6000/: the browser does not connect to that port (it is reserved for another protocol)');
  });

  it('a start page that answers 404: not graded, one line, exit 2 (it exited 0: a CI job passed with nothing audited)', async () => {
    const empty = await serveSite(new Map());
    try {
      const r = await runCli(['audit', '--quiet', '--no-lighthouse', empty.url]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n').filter((l) => !l.includes('running as root')).at(-1)).toBe(`eindex: not graded: no page could be audited (${empty.url}: HTTP 404 Not Found)`);
    } finally {
      await empty.close();
    }
  });

  it('an output that cannot be written, two hosts in one audit, a database that does not exist: refused before any page', async () => {
    requests = 0;
    const folder = await runCli(['audit', '--no-lighthouse', '--html', tmp, `http://127.0.0.1:${port}/`]);
    expect(folder.code).toBe(2);
    expect(oneLine(folder)).toBe(`eindex: --html ${tmp} is a folder: name a file in it`);
    const hosts = await runCli(['audit', '--no-lighthouse', '--no-crawl', `http://127.0.0.1:${port}/`, `http://localhost:${port}/`]);
    expect(hosts.code).toBe(2);
    expect(oneLine(hosts)).toMatch(/these URLs are on 2 hosts \(127\.0\.0\.1:\d+, localhost:\d+\)/);
    expect(requests).toBe(0);
    const typo = await runCli(['serve', '--db', join(tmp, 'typo.sqlite'), '--port', '0']);
    expect(typo.code).toBe(2);
    expect(oneLine(typo)).toContain(`no database at ${join(tmp, 'typo.sqlite')}`);
    expect(existsSync(join(tmp, 'typo.sqlite'))).toBe(false);
    // No --db, in an empty folder: refused like every other command (it made an empty eindex.sqlite).
    const empty = mkdtempSync(join(tmpdir(), 'eindex-empty-'));
    const bare = spawnSync(process.execPath, [join(ROOT, 'bin', 'eindex.js'), 'serve', '--port', '0'], { cwd: empty, encoding: 'utf8', env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'EINDEX_DB')) });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('no database at eindex.sqlite');
    expect(existsSync(join(empty, 'eindex.sqlite'))).toBe(false);
  });
});
