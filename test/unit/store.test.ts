// The SQLite store, on a real SQLite file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { parseAge } from '../../src/cli/run.js';
import { buildSiteResult } from '../../src/grading/site-result.js';
import { DEFAULT_METHODOLOGY } from '../../src/grading/methodology.js';
import type { Target } from '../../src/targets/targets.js';

const target: Target = { id: 'vm', name: 'Veselības ministrija', group: 'ministry', url: 'https://www.vm.gov.lv/' };
const result = buildSiteResult({
  url: target.url, startedAt: new Date(), finishedAt: new Date(),
  tool: { name: 'eindex', version: '0', axeCore: '4', lighthouse: null, browser: 'x', playwright: '1' },
  emulation: { device: 'd', width: 412, height: 823, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
  axeTags: ['wcag2a'], statement: { found: false, url: null, linkText: null, foundOn: null },
  discovery: { robotsTxt: 'none', sitemaps: [], sitemapUrls: 0, linksSeen: 0, documents: [], excluded: [] },
  pages: [{
    candidate: { url: target.url, source: 'start', depth: 0 }, links: [], durationMs: 5,
    axe: { version: '4', tags: [], needsReview: [], inapplicable: [], passes: [{ id: 'list', impact: 'serious', nodes: 1 }],
      violations: [{ id: 'image-alt', impact: 'critical', description: '', help: '', helpUrl: '', tags: ['wcag111'], wcag: ['1.1.1'], nodes: [{ target: ['img'], html: '<img>' }] }] },
    mobileFacts: { viewportContent: null, contentWidth: 980, textCharsByFontPx: { 16: 10 }, targets: { total: 0, tooSmall: 0, examples: [] }, plugins: 0 },
  }],
}, DEFAULT_METHODOLOGY);

describe('SQLite store', () => {
  it('stores a site once per run, with its pages and violations, in one transaction', () => {
    const store = new Store(join(mkdtempSync(join(tmpdir(), 'eindex-store-')), 'db.sqlite'));
    const runId = store.createRun({ mode: 'test', targetsFile: 't.yaml', targets: [target], options: {}, methodologyVersion: 'x' });
    expect(store.saveSite(runId, target, { status: 'ok', result })).toBe(true);
    expect(store.saveSite(runId, target, { status: 'ok', result })).toBe(false); // delivered twice, lands once
    expect(store.sites(runId)).toHaveLength(1);
    expect(store.siteResult(runId, 'vm')).toEqual(result);
    expect(store.db.prepare('SELECT rule_id, impact, wcag, nodes FROM violations').all()).toEqual([{ rule_id: 'image-alt', impact: 'critical', wcag: '1.1.1', nodes: 1 }]);
    expect(store.doneTargets(runId)).toEqual(new Set(['vm']));
    expect(store.unfinishedRun('t.yaml')?.id).toBe(runId);
    store.finishRun(runId, 'done');
    expect(store.unfinishedRun('t.yaml')).toBeUndefined();
    store.close();
  });

  it('prune deletes old runs with everything that hangs on them', () => {
    const store = new Store(join(mkdtempSync(join(tmpdir(), 'eindex-store-')), 'db.sqlite'));
    const old = store.createRun({ mode: 'test', targetsFile: 't.yaml', targets: [target], options: {}, methodologyVersion: 'x' });
    store.saveSite(old, target, { status: 'ok', result });
    store.finishRun(old, 'done');
    store.db.prepare("UPDATE runs SET started_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(old);
    const recent = store.createRun({ mode: 'test', targetsFile: 't.yaml', targets: [target], options: {}, methodologyVersion: 'x' });
    store.saveSite(recent, target, { status: 'error', error: 'cannot reach' });
    store.finishRun(recent, 'done');
    expect(store.prune(new Date(Date.now() - parseAge('90d')))).toBe(1);
    expect(store.runs().map((r) => r.id)).toEqual([recent]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM violations').get()).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM errors').get()).toEqual({ n: 1 });
    store.close();
  });

  it('a database that cannot be opened is one clear error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'eindex-store-')), 'a-file');
    writeFileSync(file, 'not a directory');
    expect(() => new Store(join(file, 'db.sqlite'))).toThrow(/cannot open database/);
    expect(() => new Store(file)).toThrow(/cannot open database .*a-file: file is not a database/);
  });
});

describe('schema migrations', () => {
  it('a database made by eindex 0.1.0 is migrated on open, its runs kept; a newer one is refused', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { readFileSync } = await import('node:fs');
    const { SCHEMA_VERSION } = await import('../../src/store/db.js');
    const file = join(mkdtempSync(join(tmpdir(), 'eindex-migrate-')), 'old.sqlite');
    // As 0.1.0 left it: its schema, user_version 0, a run with a site and a page.
    const old = new Database(file);
    old.exec(readFileSync(new URL('../fixtures/store/schema-0.1.0.sql', import.meta.url), 'utf8'));
    old.prepare("INSERT INTO runs (started_at, status, mode, targets_file, targets_json, options_json, methodology_version) VALUES ('2026-11-01T01:00:00Z', 'done', 'in-process', 't.yaml', '[]', '{}', '2026.2')").run();
    old.prepare("INSERT INTO institutions (id, name, grp, url) VALUES ('vm', 'Veselības ministrija', 'ministry', 'https://www.vm.gov.lv/')").run();
    old.prepare("INSERT INTO site_results (run_id, institution_id, status, grade, finished_at) VALUES (1, 'vm', 'ok', 'high', '2026-11-01T01:05:00Z')").run();
    old.prepare("INSERT INTO pages (run_id, institution_id, url, status) VALUES (1, 'vm', 'https://www.vm.gov.lv/', 'ok')").run();
    expect(old.pragma('user_version', { simple: true })).toBe(0);
    old.close();

    const store = new Store(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.runs(10).map((r) => [r.id, r.status])).toEqual([[1, 'done']]);
      expect(store.sites(1).map((s) => [s.institution_id, s.grade])).toEqual([['vm', 'high']]);
      const columns = (store.db.prepare('PRAGMA table_info(pages)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['reason', 'template']));
      // The new release writes a site into the migrated database.
      const run = store.createRun({ mode: 'test', targetsFile: 't.yaml', targets: [target], options: {}, methodologyVersion: 'x' });
      expect(store.saveSite(run, target, { status: 'ok', result })).toBe(true);
    } finally {
      store.close();
    }
    // Opened again: nothing to do, nothing lost.
    new Store(file).close();

    const newer = new Database(file);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => new Store(file)).toThrow(/made by a newer eindex/);
  });
});
