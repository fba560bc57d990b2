// An in-process run killed mid-way and resumed ends with the same set of results as an uninterrupted run.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { SCHEMA_VERSION, siteResultSchema } from '../../src/schema/result.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor } from '../helpers.js';
import { serveSlowSite, type SlowSite } from '../slow-sites.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-resume-'));
const sites: SlowSite[] = [];
let targets: string;

const results = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT institution_id AS id, status, grade, accessibility_score AS score, pages_ok AS pages FROM site_results ORDER BY institution_id').all();
  } finally {
    d.close();
  }
};

beforeAll(async () => {
  for (let i = 0; i < 4; i++) sites.push(await serveSlowSite(400, 2));
  targets = join(tmp, 'targets.yaml');
  writeFileSync(targets, `targets:\n${sites.map((s, i) => `  - { private: true, id: s${i}, name: "S${i}", group: state-institution, url: "${s.url}", maxPages: 3 }\n`).join('')}`);
});
afterAll(() => Promise.all(sites.map((s) => s.close())));

describe('eindex run --resume', () => {
  it('finishes only what is missing and ends with the same results as an uninterrupted run', async () => {
    const whole = join(tmp, 'whole.sqlite');
    expect((await runCli(['run', targets, '--db', whole, '--no-lighthouse', '--quiet', '--concurrency', '1'])).code).toBe(0);

    const cut = join(tmp, 'cut.sqlite');
    const first = startCli(['run', targets, '--db', cut, '--no-lighthouse', '--quiet', '--concurrency', '1']);
    await waitFor('the first site to land', () => {
      try {
        return results(cut).length >= 1;
      } catch {
        return false;
      }
    });
    first.child.kill('SIGKILL');
    await first.exited;
    const before = results(cut).length;
    expect(before).toBeGreaterThanOrEqual(1);
    expect(before).toBeLessThan(sites.length);

    const resumed = await runCli(['run', targets, '--db', cut, '--no-lighthouse', '--quiet', '--resume', '--json', join(tmp, 'run.json')]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${before} of ${sites.length} sites already stored`);
    expect(results(cut)).toEqual(results(whole));
    const run = JSON.parse(readFileSync(join(tmp, 'run.json'), 'utf8'));
    expect(run.sites.map((x: { id: string }) => x.id).sort()).toEqual(['s0', 's1', 's2', 's3']);
    for (const site of run.sites) {
      expect(site).toMatchObject({ group: 'state-institution', status: 'ok', schemaVersion: SCHEMA_VERSION });
      expect(siteResultSchema.safeParse(Object.fromEntries(Object.entries(site).filter(([k]) => !['id', 'name', 'group', 'status'].includes(k)))).success).toBe(true);
    }
    const d = new Database(cut, { readonly: true });
    expect(d.prepare('SELECT COUNT(*) AS n, MAX(status) AS status FROM runs').get()).toEqual({ n: 1, status: 'done' });
    d.close();
  }, 180_000);

  it('refuses --resume when nothing is unfinished', async () => {
    const r = await runCli(['run', targets, '--db', join(tmp, 'empty.sqlite'), '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no unfinished run/);
  });
});
