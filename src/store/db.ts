// SQLite history (better-sqlite3): runs, institutions, site results, pages, violations. Every write of a
// site is one transaction and idempotent: a site lands in a run exactly once, whoever delivers it twice.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { SiteResult } from '../schema/result.js';
import type { Target } from '../targets/targets.js';
import { UserError, errorMessage } from '../util/errors.js';

export const DEFAULT_DB = process.env.EINDEX_DB ?? 'eindex.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
  mode TEXT NOT NULL,
  targets_file TEXT NOT NULL,
  targets_json TEXT NOT NULL,
  options_json TEXT NOT NULL,
  methodology_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS institutions (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, grp TEXT NOT NULL, url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS site_results (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  institution_id TEXT NOT NULL REFERENCES institutions(id),
  status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  error TEXT,
  grade TEXT,
  accessibility_score REAL,
  mobile_friendly INTEGER,
  mobile_score REAL,
  statement INTEGER,
  pages_ok INTEGER NOT NULL DEFAULT 0,
  pages_error INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT NOT NULL,
  result BLOB,
  PRIMARY KEY (run_id, institution_id)
);
CREATE TABLE IF NOT EXISTS pages (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  institution_id TEXT NOT NULL,
  url TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  accessibility_score REAL,
  mobile_friendly INTEGER,
  PRIMARY KEY (run_id, institution_id, url)
);
CREATE TABLE IF NOT EXISTS violations (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  institution_id TEXT NOT NULL,
  page_url TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  impact TEXT,
  wcag TEXT NOT NULL,
  nodes INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS violations_by_site ON violations (run_id, institution_id);
CREATE TABLE IF NOT EXISTS checks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'error')),
  client TEXT NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT,
  error TEXT,
  grade TEXT,
  result BLOB
);
CREATE VIEW IF NOT EXISTS errors AS
  SELECT run_id, institution_id, NULL AS url, error FROM site_results WHERE status = 'error'
  UNION ALL SELECT run_id, institution_id, url, error FROM pages WHERE status = 'error';
`;

/**
 * The schema is versioned (PRAGMA user_version). Version 1 is the schema eindex 0.1.0 created (it left
 * user_version at 0); each later version is one migration, applied in a transaction when an older
 * database is opened. A database from a newer eindex is refused, never written with an older schema.
 */
const MIGRATIONS: { to: number; why: string; sql: string }[] = [
  { to: 2, why: 'each page records why it was sampled and its template', sql: 'ALTER TABLE pages ADD COLUMN reason TEXT; ALTER TABLE pages ADD COLUMN template INTEGER;' },
];
export const SCHEMA_VERSION = 1 + MIGRATIONS.length;

function migrate(db: Database.Database) {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > SCHEMA_VERSION) throw new Error(`it was made by a newer eindex (schema version ${found}; this one knows up to ${SCHEMA_VERSION})`);
  if (found === SCHEMA_VERSION) return;
  db.transaction(() => {
    // Version 0 (eindex 0.1.0, or a new file): the base tables, as 0.1.0 made them, where missing.
    if (found < 1) db.exec(SCHEMA);
    for (const m of MIGRATIONS) if (m.to > Math.max(found, 1)) db.exec(m.sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

export interface RunRow {
  id: number; started_at: string; finished_at: string | null; status: 'running' | 'done' | 'interrupted';
  mode: string; targets_file: string; targets_json: string; options_json: string; methodology_version: string;
}

export interface SiteRow {
  run_id: number; institution_id: string; status: 'ok' | 'error'; error: string | null; grade: string | null;
  accessibility_score: number | null; mobile_friendly: number | null; mobile_score: number | null; statement: number | null;
  pages_ok: number; pages_error: number; finished_at: string; name: string; grp: string; url: string;
}

export interface CheckRow {
  id: string; url: string; status: 'queued' | 'running' | 'done' | 'error'; client: string; created_at: string; finished_at: string | null;
  error: string | null; grade: string | null; result: SiteResult | null;
}

/** What a finished site delivers: a full result, or the reason it has none. */
export type SiteOutcome = { status: 'ok'; result: SiteResult } | { status: 'error'; error: string };

export class Store {
  readonly db: Database.Database;

  constructor(readonly path: string) {
    try {
      if (path !== ':memory:') {
        mkdirSync(dirname(path), { recursive: true });
        // A new database is readable by its owner only (its runs' options, its checks' addresses);
        // SQLite gives its -wal and -shm files the same mode.
        if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      }
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
    } catch (err) {
      throw new UserError(`cannot open database ${path}: ${errorMessage(err)}`);
    }
  }

  /** For commands that only read history: a missing file is a mistaken --db, not a new database. */
  static existing(path: string): Store {
    if (path !== ':memory:' && !existsSync(path)) throw new UserError(`no database at ${path} (eindex run <targets.yaml> makes one; --db names another)`);
    return new Store(path);
  }

  close() {
    this.db.close();
  }

  createRun(r: { mode: string; targetsFile: string; targets: Target[]; options: unknown; methodologyVersion: string }): number {
    const info = this.db.prepare(`INSERT INTO runs (started_at, status, mode, targets_file, targets_json, options_json, methodology_version)
      VALUES (?, 'running', ?, ?, ?, ?, ?)`).run(new Date().toISOString(), r.mode, r.targetsFile, JSON.stringify(r.targets), JSON.stringify(r.options), r.methodologyVersion);
    return Number(info.lastInsertRowid);
  }

  finishRun(id: number, status: 'done' | 'interrupted') {
    this.db.prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?').run(status, new Date().toISOString(), id);
  }

  run(id: number): RunRow | undefined {
    return this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  }

  latestRun(): RunRow | undefined {
    return this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get() as RunRow | undefined;
  }

  /** The newest run before this one that stored any site: what a report compares with. */
  previousRun(runId: number): RunRow | undefined {
    return this.db.prepare(`SELECT r.* FROM runs r WHERE r.id < ? AND EXISTS (SELECT 1 FROM site_results s WHERE s.run_id = r.id)
      ORDER BY r.id DESC LIMIT 1`).get(runId) as RunRow | undefined;
  }

  /** The newest run of this targets file that did not finish: what `--resume` continues. */
  unfinishedRun(targetsFile: string): RunRow | undefined {
    return this.db.prepare("SELECT * FROM runs WHERE targets_file = ? AND status != 'done' ORDER BY id DESC LIMIT 1").get(targetsFile) as RunRow | undefined;
  }

  runs(limit = 50): (RunRow & { sites: number; ok: number })[] {
    return this.db.prepare(`SELECT r.*, COUNT(s.institution_id) AS sites, SUM(s.status = 'ok') AS ok FROM runs r
      LEFT JOIN site_results s ON s.run_id = r.id GROUP BY r.id ORDER BY r.id DESC LIMIT ?`).all(limit) as (RunRow & { sites: number; ok: number })[];
  }

  doneTargets(runId: number): Set<string> {
    return new Set((this.db.prepare('SELECT institution_id FROM site_results WHERE run_id = ?').all(runId) as { institution_id: string }[]).map((r) => r.institution_id));
  }

  /** Stores one site's outcome; returns false when the run already has it (a duplicate delivery). */
  saveSite(runId: number, target: Target, outcome: SiteOutcome): boolean {
    return this.db.transaction(() => {
    this.db.prepare(`INSERT INTO institutions (id, name, grp, url) VALUES (?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET name = excluded.name, grp = excluded.grp, url = excluded.url`).run(target.id, target.name, target.group, target.url);
    const r = outcome.status === 'ok' ? outcome.result : null;
    const info = this.db.prepare(`INSERT INTO site_results (run_id, institution_id, status, error, grade, accessibility_score, mobile_friendly,
      mobile_score, statement, pages_ok, pages_error, finished_at, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(run_id, institution_id) DO NOTHING`).run(
      runId, target.id, outcome.status, outcome.status === 'error' ? outcome.error : null, r?.grade ?? null, r?.accessibilityScore ?? null,
      r ? (r.mobileFriendly === null ? null : Number(r.mobileFriendly)) : null, r?.mobileScore ?? null,
      r ? Number(r.accessibilityStatement.found) : null, r?.summary.pagesOk ?? 0, r?.summary.pagesError ?? 0,
      new Date().toISOString(), r ? gzipSync(JSON.stringify(r)) : null,
    );
    if (info.changes === 0 || !r) return info.changes > 0;
    const page = this.db.prepare('INSERT OR IGNORE INTO pages (run_id, institution_id, url, status, error, accessibility_score, mobile_friendly, reason, template) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const templateOf = new Map((r.sample.pages ?? []).map((x) => [x.url, x.template]));
    const violation = this.db.prepare('INSERT INTO violations (run_id, institution_id, page_url, rule_id, impact, wcag, nodes) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const p of r.pages) {
      page.run(runId, target.id, p.url, p.status, p.error ?? null, p.accessibilityScore ?? null, p.mobile ? Number(p.mobile.mobileFriendly) : null, p.reason ?? p.source, templateOf.get(p.url) ?? null);
      for (const v of p.axe?.violations ?? []) violation.run(runId, target.id, p.url, v.id, v.impact, v.wcag.join(' '), v.nodes.length);
    }
    return true;
    })();
  }

  sites(runId: number): SiteRow[] {
    return this.db.prepare(`SELECT s.*, i.name, i.grp, i.url FROM site_results s JOIN institutions i ON i.id = s.institution_id
      WHERE s.run_id = ? ORDER BY i.grp, i.id`).all(runId) as SiteRow[];
  }

  siteResult(runId: number, institutionId: string): SiteResult | null {
    const row = this.db.prepare('SELECT result FROM site_results WHERE run_id = ? AND institution_id = ?').get(runId, institutionId) as { result: Buffer | null } | undefined;
    return row?.result ? (JSON.parse(gunzipSync(row.result).toString('utf8')) as SiteResult) : null;
  }

  createCheck(id: string, url: string, client: string) {
    this.db.prepare("INSERT INTO checks (id, url, status, client, created_at) VALUES (?, ?, 'queued', ?, ?)").run(id, url, client, new Date().toISOString());
  }

  setCheckStatus(id: string, status: 'queued' | 'running') {
    this.db.prepare("UPDATE checks SET status = ? WHERE id = ? AND status IN ('queued', 'running')").run(status, id);
  }

  finishCheck(id: string, outcome: SiteOutcome) {
    const r = outcome.status === 'ok' ? outcome.result : null;
    this.db.prepare("UPDATE checks SET status = ?, finished_at = ?, error = ?, grade = ?, result = ? WHERE id = ? AND status IN ('queued', 'running')").run(
      outcome.status === 'ok' ? 'done' : 'error', new Date().toISOString(), outcome.status === 'error' ? outcome.error : null, r?.grade ?? null,
      r ? gzipSync(JSON.stringify(r)) : null, id);
  }

  check(id: string): CheckRow | undefined {
    const row = this.db.prepare('SELECT * FROM checks WHERE id = ?').get(id) as (Omit<CheckRow, 'result'> & { result: Buffer | null }) | undefined;
    return row ? { ...row, result: row.result ? (JSON.parse(gunzipSync(row.result).toString('utf8')) as SiteResult) : null } : undefined;
  }

  /** Checks a stopped server left unfinished. */
  unfinishedChecks(): string[] {
    return (this.db.prepare("SELECT id FROM checks WHERE status IN ('queued', 'running')").all() as { id: string }[]).map((r) => r.id);
  }

  deleteRun(id: number): boolean {
    const info = this.db.prepare("DELETE FROM runs WHERE id = ? AND status != 'running'").run(id);
    this.db.prepare('DELETE FROM institutions WHERE id NOT IN (SELECT institution_id FROM site_results)').run();
    return info.changes > 0;
  }

  /** One institution's results across runs, oldest first: the trend. */
  history(institutionId: string, limit = 60): (SiteRow & { started_at: string })[] {
    return (this.db.prepare(`SELECT s.*, i.name, i.grp, i.url, r.started_at FROM site_results s JOIN institutions i ON i.id = s.institution_id
      JOIN runs r ON r.id = s.run_id WHERE s.institution_id = ? ORDER BY s.run_id DESC LIMIT ?`).all(institutionId, limit) as (SiteRow & { started_at: string })[]).reverse();
  }

  /** Deletes runs started before `before`; returns how many. */
  prune(before: Date): number {
    const info = this.db.prepare("DELETE FROM runs WHERE started_at < ? AND status != 'running'").run(before.toISOString());
    this.db.prepare('DELETE FROM institutions WHERE id NOT IN (SELECT institution_id FROM site_results)').run();
    if (info.changes > 0) this.db.exec('VACUUM');
    return info.changes;
  }
}
