/**
 * Opens the SQLite store (Node side). WAL so the app and the CLI can share one file, foreign keys
 * on, a busy timeout so a writer waits for the other process instead of failing, and migrations
 * applied against PRAGMA user_version in one transaction. Every failure becomes an ApiFailure with
 * a code the doors can show (DB_CORRUPT, DB_UNWRITABLE, DB_TOO_NEW); the file is never rewritten
 * or deleted to "fix" it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiFailure } from '../../src-shared/api/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron uses its own build). */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ApiFailure('DB_UNWRITABLE', `Cannot create the folder for the database ${file}: ${(e as Error).message}`);
  }
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (e) {
    throw translate(e, file);
  }
  try {
    // Reading the header first tells a corrupt or foreign file apart before we write anything.
    db.pragma('schema_version', { simple: true });
    db.pragma('busy_timeout = 5000');
    // A file from a newer app is refused before anything is written to it (WAL switch included).
    refuseNewer(db, file, migrations);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations);
    return db;
  } catch (e) {
    db.close();
    throw translate(e, file);
  }
}

function refuseNewer(db: Db, file: string, migrations: readonly Migration[]): void {
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new ApiFailure(
      'DB_TOO_NEW',
      `The database ${file} has schema version ${current}, newer than this FLOPscope understands (${latest}). ` +
        'It was written by a newer FLOPscope: update the app, or point --db / FLOPSCOPE_DB at another file.',
    );
  }
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (!migrations.some((m) => m.version > current)) return;
  // IMMEDIATE takes the write lock up front, so two processes opening a fresh file at once
  // cannot both try to migrate it: the second waits (busy_timeout) and then sees nothing pending.
  const apply = db.transaction(() => {
    const again = db.pragma('user_version', { simple: true }) as number;
    for (const m of migrations.filter((x) => x.version > again)) {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    }
  });
  apply.immediate();
}

function translate(e: unknown, file: string): ApiFailure {
  if (e instanceof ApiFailure) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || /not a database|malformed/i.test(msg)) {
    return new ApiFailure(
      'DB_CORRUPT',
      `The file ${file} is not a readable FLOPscope database (${msg}). It was left untouched; ` +
        'move it aside to start a fresh history, or point --db / FLOPSCOPE_DB at another file.',
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_PERM' || /EACCES|EROFS|read-?only|unable to open/i.test(msg)) {
    return new ApiFailure('DB_UNWRITABLE', `Cannot open the database ${file} for writing (${msg}). Check its permissions, or point --db / FLOPSCOPE_DB at a writable path.`);
  }
  return new ApiFailure('INTERNAL', `Database error on ${file}: ${msg}`);
}

export { LATEST_SCHEMA_VERSION };
