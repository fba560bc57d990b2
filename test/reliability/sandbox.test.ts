// Chromium keeps its sandbox whenever the OS allows it: run by an ordinary user, eindex launches it without
// `--no-sandbox` and the audit works; as root (where Chromium cannot start sandboxed) it says so, with how
// to avoid it. The ordinary user is `nobody`, reached with su from the root CI runs as.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants, FIXTURES, ROOT, runCli } from '../helpers.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';

const isRoot = process.getuid?.() === 0;
/** `nobody` must be able to read the project (a clone under a private home directory is not). */
const nobodyCanRun = isRoot && spawnSync('su', ['nobody', '-s', '/bin/sh', '-c', `test -r '${join(ROOT, 'dist', 'src', 'cli', 'main.js')}' && '${process.execPath}' --version`]).status === 0;
if (isRoot && !nobodyCanRun) console.log(`sandbox test: user nobody cannot read ${ROOT}; the unprivileged case is not run`);

let site: StaticSite;
beforeAll(async () => {
  site = await serveStatic(join(FIXTURES, 'accessible'));
});
afterAll(() => site?.close());

describe('Chromium\'s sandbox', () => {
  it.skipIf(!nobodyCanRun)('an ordinary user: Chromium starts with its sandbox and the audit works', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eindex-nobody-'));
    chmodSync(home, 0o777);
    const json = join(home, 'r.json');
    const child = spawn('su', ['nobody', '-s', '/bin/sh', '-c', `cd '${ROOT}' && HOME='${home}' '${process.execPath}' bin/eindex.js audit --no-lighthouse --max-pages 2 --json '${json}' ${site.url}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const commandLines = new Set<string>();
    const sampler = setInterval(() => {
      for (const pid of descendants(child.pid!)) {
        try {
          commandLines.add(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
        } catch { /* gone already */ }
      }
    }, 100);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(sampler);
    expect(code, stderr).toBe(0);
    const chromium = [...commandLines].filter((c) => /chrom/i.test(c));
    expect(chromium.length).toBeGreaterThan(0);
    expect(chromium.filter((c) => c.includes('--no-sandbox'))).toEqual([]);
    expect(stderr).not.toMatch(/without its sandbox/);
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.pagesOk).toBe(2);
  }, 120_000);

  it.skipIf(!isRoot)('as root: the sandbox cannot be had, and eindex says so and how to run unprivileged (not with --quiet)', async () => {
    const loud = await runCli(['audit', '--no-lighthouse', '--no-crawl', site.url]);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toMatch(/running as root, so Chromium runs without its sandbox .* run eindex as an ordinary user/);
    const quiet = await runCli(['audit', '--no-lighthouse', '--no-crawl', '--quiet', site.url]);
    expect(quiet.stderr).toBe('');
  }, 120_000);
});
