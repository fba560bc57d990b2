// The package as a user installs it: `npm pack`, installed into an empty folder, `npx eindex audit` on a
// local site; the tarball holds the compiled CLI and no tests; SIGTERM to npx stops the audit and the serve under it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, descendants, descendantsRunning, ROOT, waitFor } from '../helpers.js';
import { municipalitySite, serveSite, type BuiltSite } from '../built-sites.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-package-'));
const folder = mkdtempSync(join(tmpdir(), 'eindex-installed-'));

describe('the package', () => {
  let site: BuiltSite;
  let tarball = '';
  beforeAll(async () => {
    site = await serveSite(municipalitySite());
    // dist/ is built (npm test builds it first): pack it as it is, without building it again (prepare).
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp, '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    tarball = join(tmp, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', tarball], { cwd: folder, stdio: 'ignore' });
  }, 600_000);
  afterAll(() => site.close());

  it('holds the compiled CLI, the licence and the demo sites, and no tests or sources', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/bin/eindex.js', 'package/dist/src/cli/main.js', 'package/LICENSE', 'package/README.md', 'package/dist/src/grading/methodology.json']));
    expect(files.filter((f) => /\.test\.|^package\/src\/|^package\/test\/(unit|browser|e2e|queue)/.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(folder, 'node_modules', 'eindex', 'package.json'), 'utf8'));
    expect(pkg.repository).toBeDefined();
    expect(pkg.license).toBe('MIT');
  });

  it('installed in an empty folder, npx eindex audits a site', async () => {
    const json = join(tmp, 'installed.json');
    const r = await npx(['audit', '--quiet', '--no-lighthouse', '--max-pages', '3', '--json', json, site.url]);
    expect(r.code, r.output).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.pages).toHaveLength(3);
    expect(result.grade).toBe('highest');
  });

  it('SIGTERM to npx stops the eindex under it within 5 s, its result written, no Chromium left', async () => {
    const json = join(tmp, 'stopped.json');
    const child = spawn('npx', ['eindex', 'audit', '--no-lighthouse', '--delay', '2500', '--json', json, site.url], { cwd: folder, stdio: 'ignore' });
    const browsers = await waitFor('Chromium to run', () => {
      const pids = descendantsRunning(child.pid!, 'chromium');
      return pids.length ? pids : null;
    }, 60_000);
    const all = descendants(child.pid!);
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGTERM');
    await waitFor('eindex and Chromium to be gone', () => [...all, ...browsers].every((pid) => !alive(pid)), 5000);
    expect(JSON.parse(readFileSync(json, 'utf8')).interrupted).toBe(true);
  });

  it('SIGTERM to npx eindex serve stops the serve under it (it went on under PID 1 before)', async () => {
    const child = spawn('npx', ['eindex', 'serve', '--db', join(tmp, 'serve.sqlite'), '--create-db', '--port', '0'], { cwd: folder });
    let output = '';
    child.stderr!.on('data', (d) => (output += d));
    child.stdout!.on('data', (d) => (output += d));
    await waitFor('eindex serve to listen', () => /listening on/.test(output), 60_000);
    const all = descendants(child.pid!);
    expect(all.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    await waitFor('eindex serve to be gone', () => all.every((pid) => !alive(pid)), 6000);
  });
});

function npx(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['eindex', ...args], { cwd: folder });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}
