#!/usr/bin/env node
// Installs what `npm run demo`, `npm test` and `npm run bench` need on a fresh Debian/Ubuntu machine:
// node modules, a compiled build, and Chromium (from the system's packages when running as root).
// Plain JavaScript with no dependencies, because it runs before anything is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
const say = (msg) => console.error(`bootstrap: ${msg}`);
const fail = (msg) => {
  console.error(`bootstrap: ${msg}`);
  process.exit(1);
};

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

// 1. node modules
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000)) {
  say('installing node modules (npm ci)');
  run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

// 2. the compiled build the `eindex` bin runs
const built = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(built) || Math.max(newest(join(root, 'src')), newest(join(root, 'workers'))) > statSync(built).mtimeMs) {
  say('compiling TypeScript');
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
}

// 3. Chromium: CHROMIUM_PATH, the system's, or Playwright's own
const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].filter(Boolean);
if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH)) fail(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
if (!candidates.some((p) => existsSync(p))) {
  let bundled = '';
  try {
    const { chromium } = await import('playwright-core');
    bundled = chromium.executablePath();
  } catch { /* no bundled browser */ }
  if (!bundled || !existsSync(bundled)) {
    const isRoot = process.getuid?.() === 0;
    const hasApt = existsSync('/usr/bin/apt-get');
    if (!isRoot || !hasApt) fail('no Chromium found: run "sudo apt-get install chromium" (or set CHROMIUM_PATH to a Chromium/Chrome binary)');
    say('installing Chromium from the system packages (apt-get install chromium)');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (!existsSync('/usr/bin/chromium')) fail('apt-get did not install /usr/bin/chromium');
  }
}
