/**
 * The reproductions of a database that is not ours to write, spawned as a user runs the
 * CLI: another program's SQLite file (refused, not a byte changed, nothing left beside it) and a
 * read-only database (DB_UNWRITABLE naming the file, no 0444 -wal/-shm left behind). Root writes
 * through file modes, so the read-only case runs the CLI as an unprivileged user when the tests
 * run as root (node's spawn `uid`/`gid`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';
import { openDatabase } from '../store/database.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');
const NOBODY = 65534;

function cli(db: string, args: string[], asNobody = false) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FLOPSCOPE_DB: db, ...(asNobody ? { HOME: path.dirname(db) } : {}) },
    timeout: 60_000,
    ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) out[name] = createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex');
  return out;
}

describe('flopscope on a database that is not its own', () => {
  it("refuses another program's SQLite file (FLOPSCOPE_DB=other.db flopscope plan --params 1e9) and changes nothing", () => {
    for (const sql of ['create table customers(n); insert into customers values (42);', 'create table runs(id integer primary key, mine text);']) {
      const dir = tempDir();
      const file = path.join(dir, 'other.db');
      const raw = new Database(file);
      raw.exec(sql);
      raw.close();
      const before = snapshot(dir);
      const r = cli(file, ['plan', '--params', '1e9', '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toBe('DB_FOREIGN');
      expect(r.stderr).toContain(`${file} is not a FLOPscope database`);
      expect(r.stdout + r.stderr).not.toMatch(/Stored as run|already exists/);
      expect(snapshot(dir)).toEqual(before);
    }
  }, 60_000);

  it('fails on a read-only database with DB_UNWRITABLE naming the file, and leaves no -wal/-shm behind', () => {
    const dir = tempDir();
    const file = path.join(dir, 'ro.db');
    openDatabase(file).close();
    fs.chmodSync(file, 0o444);
    // The folder stays writable (so SQLite could create -wal/-shm there): only the file is read-only.
    fs.chmodSync(dir, 0o777);
    const before = snapshot(dir);
    const asNobody = process.getuid?.() === 0;
    const r = cli(file, ['plan', '--params', '1e9', '--json'], asNobody);
    expect(r.code, r.stderr).toBe(1);
    const error = JSON.parse(r.stdout).error as { code: string; message: string };
    expect(error.code).toBe('DB_UNWRITABLE');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/read-only/);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['ro.db']);
  }, 60_000);
});
