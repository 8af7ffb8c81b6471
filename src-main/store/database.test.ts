import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src-shared/api/errors.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { LATEST_SCHEMA_VERSION, openDatabase } from './database.js';
import { RunsRepo } from './repos/runs-repo.js';

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
});
