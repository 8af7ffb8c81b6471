import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src-shared/api/errors.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { FLOPSCOPE_APPLICATION_ID, LATEST_SCHEMA_VERSION, openDatabase } from './database.js';
import { migration0010 } from './migrations/0010-init.js';
import { migration0020 } from './migrations/0020-history.js';
import { RunsRepo } from './repos/runs-repo.js';

/** Every file in the folder with the SHA-256 of its bytes: "nothing changed" means this is equal before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) out[name] = createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex');
  return out;
}

/** A database made by another program with the given SQL, closed again (rollback journal unless wal). */
function foreignDb(sql: string, options: { wal?: boolean; name?: string } = {}): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, options.name ?? 'other.db');
  const raw = new Database(file);
  if (options.wal) raw.pragma('journal_mode = WAL');
  raw.exec(sql);
  raw.close();
  return { dir, file };
}

function failureOf(fn: () => unknown): ApiFailure {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    return e as ApiFailure;
  }
  throw new Error('expected a failure');
}

describe('openDatabase', () => {
  it('creates the file in WAL mode with foreign keys and the latest schema', () => {
    const file = path.join(tempDir(), 'nested', 'dir', 'f.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('refuses a database written by a newer FLOPscope and leaves it untouched', () => {
    const file = path.join(tempDir(), 'newer.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER)');
    raw.pragma(`application_id = ${FLOPSCOPE_APPLICATION_ID}`);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.close();
    const before = fs.readFileSync(file);
    const failure = failureOf(() => openDatabase(file));
    expect(failure.code).toBe('DB_TOO_NEW');
    expect(failure.message).toContain(String(LATEST_SCHEMA_VERSION + 10));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a corrupt file clearly and does not overwrite it', () => {
    const file = path.join(tempDir(), 'corrupt.db');
    const garbage = Buffer.from('this is not sqlite at all '.repeat(400));
    fs.writeFileSync(file, garbage);
    const failure = failureOf(() => openDatabase(file));
    expect(failure.code).toBe('DB_CORRUPT');
    expect(failure.message).toContain(file);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports an unwritable location clearly', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    // A path "inside" a regular file can never be created, whoever runs the test (root included).
    const failure = failureOf(() => openDatabase(path.join(blocker, 'sub', 'f.db')));
    expect(failure.code).toBe('DB_UNWRITABLE');
    expect(failure.message).toContain('a-file');
  });

  it('rolls a failing migration back as a whole', () => {
    const file = path.join(tempDir(), 'mig.db');
    const broken = [
      { version: 10, name: 'ok', up: 'CREATE TABLE a (x INTEGER);' },
      { version: 20, name: 'broken', up: 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL;' },
    ];
    expect(() => openDatabase(file, { migrations: broken })).toThrow();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT count(*) n FROM sqlite_master WHERE name IN ('a','b')").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('lets two connections (app and CLI) write the same file', () => {
    const file = path.join(tempDir(), 'shared.db');
    const a = openDatabase(file);
    const b = openDatabase(file);
    const ra = new RunsRepo(a);
    const rb = new RunsRepo(b);
    const id1 = ra.insert({ kind: 'hardware', machine: sampleReport(), appVersion: '0', params: {}, result: { n: 1 } });
    const id2 = rb.insert({ kind: 'hardware', machine: sampleReport(), appVersion: '0', params: {}, result: { n: 2 } });
    expect(rb.get(id1)?.result).toEqual({ n: 1 });
    expect(ra.get(id2)?.result).toEqual({ n: 2 });
    a.close();
    b.close();
  });

  it('stamps a new database with FLOPscope\'s application_id (in the file header)', () => {
    const file = path.join(tempDir(), 'new.db');
    const db = openDatabase(file);
    expect(db.pragma('application_id', { simple: true })).toBe(FLOPSCOPE_APPLICATION_ID);
    db.close();
    expect(FLOPSCOPE_APPLICATION_ID).toBe(0x464c4f50);
    expect(fs.readFileSync(file).subarray(68, 72).toString('latin1')).toBe('FLOP');
  });

  describe('refuses another program\'s SQLite file without changing a byte', () => {
    const cases: Array<[string, string, { wal?: boolean }]> = [
      ['a customers table (user_version 0)', 'CREATE TABLE customers(n); INSERT INTO customers VALUES (1), (2);', {}],
      ['its own runs table', 'CREATE TABLE runs(id INTEGER PRIMARY KEY, what TEXT); INSERT INTO runs (what) VALUES (\'mine\');', {}],
      ['a WAL-mode file', 'CREATE TABLE customers(n); INSERT INTO customers VALUES (1);', { wal: true }],
      ['another application_id and no tables', 'PRAGMA application_id = 1196444487;', {}],
      ['FLOPscope\'s tables at user_version 20 plus a table of its own', `${migration0010.up} ${migration0020.up} CREATE TABLE extra(x); PRAGMA user_version = 20;`, { wal: true }],
      ['FLOPscope-like tables with a column missing', `${migration0010.up.replace('hostname    TEXT NOT NULL,', '')} PRAGMA user_version = 10;`, {}],
      ['FLOPscope\'s tables claiming a version they do not have', `${migration0010.up} PRAGMA user_version = 20;`, {}],
    ];
    for (const [what, sql, options] of cases) {
      it(what, () => {
        const { dir, file } = foreignDb(sql, options);
        const before = snapshot(dir);
        const failure = failureOf(() => openDatabase(file));
        expect(failure.code).toBe('DB_FOREIGN');
        expect(failure.message).toContain(file);
        expect(failure.message).toMatch(/not a FLOPscope database/);
        expect(snapshot(dir)).toEqual(before);
        expect(Object.keys(before)).toEqual(['other.db']);
      });
    }
  });

  it('adopts an empty file and an SQLite file with no schema', () => {
    for (const init of [(f: string) => fs.writeFileSync(f, ''), (f: string) => new Database(f).close()]) {
      const file = path.join(tempDir(), 'empty.db');
      init(file);
      const db = openDatabase(file);
      expect(db.pragma('application_id', { simple: true })).toBe(FLOPSCOPE_APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      db.close();
    }
  });

  it('recognises a FLOPscope database from before the stamp (versions 10 and 20, WAL) by its exact schema, stamps and migrates it, keeping its rows', () => {
    for (const [version, sql] of [
      [10, migration0010.up],
      [20, migration0010.up + migration0020.up],
    ] as const) {
      const dir = tempDir();
      const file = path.join(dir, 'old.db');
      const raw = new Database(file);
      raw.pragma('journal_mode = WAL');
      raw.exec(sql);
      raw.pragma(`user_version = ${version}`);
      raw.prepare("INSERT INTO machines VALUES ('m', 'host', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')").run();
      raw.prepare("INSERT INTO runs (kind, machine_id, app_version, created_at, params_json, result_json) VALUES ('plan', 'm', '0.1.0', '2026-01-01T00:00:00.000Z', '{}', '{\"kept\":true}')").run();
      raw.close();
      const db = openDatabase(file);
      expect(db.pragma('application_id', { simple: true })).toBe(FLOPSCOPE_APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(new RunsRepo(db).get(1)?.result).toEqual({ kept: true });
      db.close();
      expect(fs.readdirSync(dir)).toEqual(['old.db']);
    }
  });

  it('refuses a read-only database with DB_UNWRITABLE naming the file, before SQLite opens it (no -wal/-shm left behind)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'ro.db');
    openDatabase(file).close();
    fs.chmodSync(file, 0o444);
    const before = snapshot(dir);
    // Root writes through 0444, so the check is whether the process may write, not the mode bits: simulate a process that may not.
    const failure = failureOf(() => openDatabase(file, { canWrite: () => false }));
    expect(failure.code).toBe('DB_UNWRITABLE');
    expect(failure.message).toContain(file);
    expect(failure.message).toMatch(/read-only/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('writes refused after opening', () => {
  it('answers a write SQLite refuses as read-only with DB_UNWRITABLE naming the file, not INTERNAL', async () => {
    const { createBackend } = await import('../core/backend.js');
    const dbPath = path.join(tempDir(), 'became-ro.db');
    const backend = createBackend({ dbPath, host: 'cli', detect: async () => sampleReport() });
    const saved = await backend.dispatch('hardware.detect', { save: true });
    expect(saved.ok).toBe(true);
    // As if its permissions changed while the app ran: SQLite now refuses every write with SQLITE_READONLY.
    backend.db().pragma('query_only = ON');
    const env = await backend.dispatch('runs.update', { id: 1, note: 'x' });
    expect(env).toMatchObject({ ok: false, error: { code: 'DB_UNWRITABLE' } });
    expect(!env.ok && env.error.message).toContain(dbPath);
    await backend.close();
  });
});
