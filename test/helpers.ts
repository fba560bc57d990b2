// Shared by the browser suites: run the real CLI, serve fixture folders, find the corpus.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'sites');
/** The long tier (npm run test:long): reference comparisons run on every case, not a spread of them. */
export const LONG_TIER = process.env.EINDEX_TESTS === 'long';

/** Every case in the long tier; in `npm test`, an even spread of about one in `every` (first and last kept). */
export function tierSample<T>(items: T[], every: number): T[] {
  if (LONG_TIER || items.length <= every) return items;
  const n = Math.ceil(items.length / every);
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]!);
}

export const CORPUS = [process.env.EINDEX_CORPUS, join(ROOT, '..', 'shared', 'corpus')].find((p) => p && existsSync(p));

export interface CliRun { code: number | null; stdout: string; stderr: string }

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Starts the built CLI as a long-running child (workers), with its output collected. */
export function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'eindex.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs the built CLI (`bin/eindex.js`) as a user would. */
export function runCli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'eindex.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every process descending from `root` (ps snapshot). */
export function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid,ppid'], { encoding: 'utf8' }).trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    for (const [child, parent] of rows) if (parent === pid) (out.push(child!), stack.push(child!));
  }
  return out;
}

/** The processes descending from `root` whose command line contains `text` ("chromium", a script's name). */
export function descendantsRunning(root: number, text: string): number[] {
  return descendants(root).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false; // it exited meanwhile
    }
  });
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const auditDir = mkdtempSync(join(tmpdir(), 'eindex-audits-'));
/** `eindex audit --quiet --json` as a user runs it; nothing on stderr, and the result read back. */
export async function auditResult(args: string[], timeoutMs = 600_000): Promise<import('../src/schema/result.js').SiteResult> {
  const json = join(auditDir, `${Math.random().toString(36).slice(2)}.json`);
  const run = await runCli(['audit', '--quiet', '--json', json, ...args], { timeoutMs });
  if (run.stderr) throw new Error(`eindex audit wrote to stderr: ${run.stderr}`);
  return JSON.parse(readFileSync(json, 'utf8'));
}

export const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;

export const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});

/** A Redis of a test's own, without persistence, on a free port: it can be killed and restarted empty. */
export class PrivateRedis {
  #child: ChildProcess | null = null;
  private constructor(readonly port: number) {}
  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.restart();
    return r;
  }
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  /** Starts it (again, empty, after kill()). */
  async restart() {
    this.#child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor('redis to answer', () => spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' }).stdout?.includes('PONG'), 10_000);
  }
  kill() {
    this.#child?.kill('SIGKILL');
  }
}

/** Site results stored so far in a run's database (0 while it does not exist yet): how far a run got. */
export function sitesStored(db: string): number {
  try {
    const d = new Database(db, { readonly: true });
    try {
      return (d.prepare('SELECT COUNT(*) AS n FROM site_results').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}
