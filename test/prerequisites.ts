// What the suites need beyond node modules, checked once before any test runs (vitest globalSetup).
// With CI set, a missing prerequisite fails the run with one line saying what is missing and how to get
// it: a green CI must not hide that half a suite did not run. Locally, the suites that need it skip, and
// this says so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Can this process mount a tmpfs (the disk-full and read-only database cases need one)? */
export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'eindex-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  const corpus = [process.env.EINDEX_CORPUS, join(ROOT, '..', 'shared', 'corpus')].find((p) => p && existsSync(p));
  if (!corpus) missing.push('the corpus (../shared/corpus beside the clone, or $EINDEX_CORPUS)');
  const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));
  if (!chromium) missing.push('Chromium (apt-get install chromium, or $CHROMIUM_PATH)');
  if (spawnSync('redis-server', ['--version']).status !== 0) missing.push('redis-server (apt-get install redis-server)');
  if (!['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].some((p) => existsSync(p))) missing.push('docker-compose (apt-get install docker-compose)');
  if (spawnSync('pdfinfo', ['-v']).error) missing.push('pdfinfo (apt-get install poppler-utils)');
  if (!canMountTmpfs()) missing.push('root, to mount a tmpfs for the disk-full database case');
  return missing;
}

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The CLI suites run the compiled `dist/`: when it is missing or older than a source file (vitest started
 * by hand after an edit), it is built first, so a test never passes or fails on yesterday's code.
 */
export function buildIfStale(): boolean {
  const built = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const sources = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'workers')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return false;
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  return true;
}

export default function setup() {
  if (buildIfStale()) process.stderr.write('eindex tests: dist/ was older than src/: built it first\n');
  const missing = missingPrerequisites();
  if (!missing.length) return;
  if (process.env.CI) {
    process.stderr.write(`eindex tests: missing prerequisites under CI: ${missing.join('; ')}\n`);
    process.exit(1);
  }
  process.stderr.write(`eindex tests: suites that need these will be skipped: ${missing.join('; ')}\n`);
}
