// The database's disk fills up mid-run, or the database is on a read-only file system: the run stops with
// one clear line, keeps what it stored, and `--resume` finishes it with every site exactly once.
// Needs root to mount a small tmpfs (as on our CI machine); skipped elsewhere.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { REDIS_URL, runCli, startCli, waitFor } from '../helpers.js';
import { serveSlowSite, type SlowSite } from '../slow-sites.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-db-faults-'));
const mnt = join(tmp, 'mnt');
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    mkdirSync(mnt, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
const sites: SlowSite[] = [];
let targets = '';
const faults = { injected: 0, survived: 0 };

const stored = (db: string) => {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare('SELECT institution_id AS id, COUNT(*) AS n FROM site_results GROUP BY institution_id ORDER BY institution_id').all() as { id: string; n: number }[]);
  } finally {
    d.close();
  }
};
/** Starts a run of the registry into a database on the small file system; returns once `sites` have landed. */
async function runUntilStored(file: string, sites: number, extra: string[] = []) {
  const db = join(mnt, file);
  const args = ['run', targets, '--db', db, '--no-lighthouse', '--no-screenshots', '--quiet', '--concurrency', '1', ...extra];
  const run = startCli(args);
  await waitFor(`${sites} site(s) to land`, () => {
    try {
      return stored(db).length >= sites;
    } catch {
      return false;
    }
  }, 60_000);
  return { db, args, run };
}

async function obliterate(name: string) {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const q = new Queue(name, { connection });
  await q.obliterate({ force: true }).catch(() => {});
  await q.close();
  connection.disconnect();
}

/** `--resume` finishes the run: every site stored, each exactly once. */
async function resumeCompletes(db: string, args: string[]) {
  const resumed = await runCli([...args, '--resume']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const after = stored(db);
  expect(after.map((r) => r.id)).toEqual(['s0', 's1', 's2', 's3']);
  expect(after.every((r) => r.n === 1)).toBe(true);
  faults.survived++;
}

const remount = (opts: string) => execFileSync('mount', ['-o', `remount,${opts}`, mnt], { stdio: 'pipe' });

beforeAll(async () => {
  for (let i = 0; i < 4; i++) sites.push(await serveSlowSite(300, 2));
  targets = join(tmp, 'targets.yaml');
  writeFileSync(targets, `targets:\n${sites.map((s, i) => `  - { private: true, id: s${i}, name: "S${i}", group: municipality, url: "${s.url}", maxPages: 2 }\n`).join('')}`);
});

afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
  if (canMount) execFileSync('umount', ['-l', mnt], { stdio: 'pipe' });
  console.log(`database faults: ${faults.injected} injected, ${faults.survived} survived with nothing lost or duplicated`);
});

describe.skipIf(!canMount)('the database cannot be written', () => {
  // In this process, and with the audits on a BullMQ worker: the run that stores is the one that stops.
  for (const mode of ['in-process', 'bullmq'] as const) {
    it(`disk full mid-run (${mode}): one clear line, the stored sites kept, --resume completes with every site once`, async () => {
      const queue = `eindex-dbfull-${process.pid}-${Date.now()}`;
      const extra = mode === 'bullmq' ? ['--redis', REDIS_URL, '--queue', queue] : [];
      const worker = mode === 'bullmq' ? startCli(['worker', '--allow-private', '--redis', REDIS_URL, '--queue', queue, '--no-checks']) : null;
      try {
        const { db, args, run } = await runUntilStored(`full-${mode}.sqlite`, 1, extra);
        faults.injected++;
        // Fill what is left of the file system.
        try {
          execFileSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=64k'], { stdio: 'pipe' });
        } catch { /* dd stops at "No space left on device" */ }
        const code = await run.exited;
        const out = run.output().trim();
        expect(code, out).toBe(2);
        expect(out.split('\n').filter((l) => l.startsWith('eindex:'))).toHaveLength(1);
        expect(out).toMatch(/cannot store s\d in .*full-[a-z-]+\.sqlite: .*(full|SQLITE_FULL|disk).*--resume/i);
        expect(out).not.toMatch(/\n\s+at /); // no stack trace
        const before = stored(db);
        expect(before.length).toBeGreaterThanOrEqual(1);
        rmSync(join(mnt, 'filler'));
        await resumeCompletes(db, args);
      } finally {
        rmSync(join(mnt, 'filler'), { force: true });
        worker?.child.kill('SIGTERM');
        await worker?.exited;
        if (worker) await obliterate(queue);
      }
    }, 180_000);
  }

  it('read-only file system: a clear line, nothing written; writable again, --resume completes', async () => {
    const { db, args, run } = await runUntilStored('ro.sqlite', 2);
    run.child.kill('SIGKILL');
    await run.exited;
    faults.injected++;
    remount('ro');
    try {
      const refused = await runCli([...args, '--resume']);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n').filter((l) => l.startsWith('eindex:'))).toHaveLength(1);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(refused.stderr).toMatch(/cannot (open database|store).*(readonly|read-only|SQLITE_READONLY|SQLITE_CANTOPEN)/i);
    } finally {
      remount('rw');
    }
    await resumeCompletes(db, args);
  }, 180_000);
});
