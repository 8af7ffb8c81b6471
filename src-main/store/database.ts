/**
 * Opens the SQLite store (Node side). WAL so the app and the CLI can share one file, foreign keys
 * on, a busy timeout so a writer waits for the other process instead of failing, and migrations
 * applied against PRAGMA user_version in one transaction. Every failure becomes an ApiFailure with
 * a code the doors can show (DB_CORRUPT, DB_UNWRITABLE, DB_TOO_NEW, DB_FOREIGN); the file is never
 * rewritten or deleted to "fix" it.
 *
 * Our database or none: a FLOPscope database carries PRAGMA application_id = FLOPSCOPE_APPLICATION_ID
 * ("FLOP") in its header. An existing file is judged before SQLite opens it for writing: its header
 * is read with plain file reads, and only when that is not conclusive is it opened read-only (a
 * WAL-mode file on a private copy, since a read-only SQLite connection would create -wal/-shm
 * beside it). A file that is empty (0 bytes, or SQLite with no schema) becomes a FLOPscope database;
 * one from before the stamp is recognised by its exact schema (the tables, columns and indexes the
 * migrations up to LEGACY_MAX_VERSION create) and stamped; anything else is refused with
 * DB_FOREIGN without a byte changed. A file this process may not write (or whose folder it may not
 * write, where -wal/-shm go) is refused with DB_UNWRITABLE before SQLite touches it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiFailure } from '../../src-shared/api/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/**
 * PRAGMA application_id of every FLOPscope database: 0x464C4F50, the ASCII bytes "FLOP" at offset
 * 68 of the file header (`file` shows them; not among SQLite's registered ids in magic.txt).
 */
export const FLOPSCOPE_APPLICATION_ID = 0x464c4f50;

/** The newest schema version written before databases were stamped; unstamped files up to it are recognised by their schema. */
export const LEGACY_MAX_VERSION = 20;

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron uses its own build). */
  nativeBinding?: string;
  migrations?: readonly Migration[];
  /** Whether this process may write `target` (a file or folder). Injected in tests; default fs.accessSync(W_OK). */
  canWrite?: (target: string) => boolean;
}

/** What an existing file turned out to be. */
type Existing = 'absent' | 'empty' | 'ours' | { legacy: number };

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ApiFailure('DB_UNWRITABLE', `Cannot create the folder for the database ${file}: ${(e as Error).message}`);
  }
  const existing = inspect(file, migrations, options);
  refuseUnwritable(file, dir, existing, options.canWrite ?? writable);
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (e) {
    throw translate(e, file);
  }
  try {
    // Reading the header first tells a corrupt file apart before we write anything.
    db.pragma('schema_version', { simple: true });
    db.pragma('busy_timeout = 5000');
    // A file from a newer app is refused before anything is written to it (WAL switch included).
    refuseNewer(db, file, migrations);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, file, migrations, options);
    return db;
  } catch (e) {
    db.close();
    throw translate(e, file);
  }
}

// ---- judging an existing file ------------------------------------------------------------------

interface Header {
  applicationId: number;
  userVersion: number;
  /** File format versions 2 (bytes 18, 19): the file is in WAL mode. */
  wal: boolean;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The 100-byte SQLite header, read with plain file reads (null for a file too short or not SQLite). */
function readHeader(file: string): Header | null {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = fs.readSync(fd, buf, 0, 100, 0);
    if (n < 100 || !buf.subarray(0, 16).equals(SQLITE_MAGIC)) return null;
    return { applicationId: buf.readInt32BE(68), userVersion: buf.readInt32BE(60), wal: buf[18] === 2 || buf[19] === 2 };
  } finally {
    fs.closeSync(fd);
  }
}

function inspect(file: string, migrations: readonly Migration[], options: OpenOptions): Existing {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new ApiFailure('DB_UNWRITABLE', `The database path ${file} is not a file. Point --db / FLOPSCOPE_DB at a file.`);
    size = stat.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw translate(e, file);
  }
  if (size === 0) return 'empty';
  let header: Header | null;
  try {
    header = readHeader(file);
  } catch (e) {
    throw translate(e, file);
  }
  if (!header) throw corrupt(file, 'the file does not start with an SQLite header');
  if (header.applicationId === FLOPSCOPE_APPLICATION_ID) return 'ours';
  if (header.applicationId !== 0) throw foreign(file, `its application_id is 0x${(header.applicationId >>> 0).toString(16).padStart(8, '0')}, another program's`);
  // Unstamped: look inside, read-only. The stamp itself may still sit in the WAL of a live database.
  const seen = withReadOnlyView(file, header, options, (ro) => ({
    applicationId: ro.pragma('application_id', { simple: true }) as number,
    userVersion: ro.pragma('user_version', { simple: true }) as number,
    schema: schemaOf(ro),
  }));
  if (seen.applicationId === FLOPSCOPE_APPLICATION_ID) return 'ours';
  if (seen.applicationId !== 0) throw foreign(file, `its application_id is 0x${(seen.applicationId >>> 0).toString(16).padStart(8, '0')}, another program's`);
  const verdict = judgeUnstamped(seen.userVersion, seen.schema, migrations, options);
  if (verdict === 'foreign') throw foreign(file, describeUnknown(seen.userVersion, seen.schema));
  return verdict;
}

/** 'empty', { legacy: v } (an unstamped FLOPscope schema of version v) or 'foreign'. */
function judgeUnstamped(userVersion: number, schema: Schema, migrations: readonly Migration[], options: OpenOptions): 'empty' | { legacy: number } | 'foreign' {
  if (userVersion === 0 && schema.length === 0) return 'empty';
  if (userVersion < 1 || userVersion > LEGACY_MAX_VERSION || !migrations.some((m) => m.version === userVersion)) return 'foreign';
  return sameSchema(schema, expectedSchema(migrations, userVersion, options)) ? { legacy: userVersion } : 'foreign';
}

function describeUnknown(userVersion: number, schema: Schema): string {
  const tables = schema.filter((o) => o.type === 'table').map((o) => o.name);
  const listed = tables.length ? `tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}` : 'no tables';
  return `it has no FLOPscope application_id and its schema (${listed}; user_version ${userVersion}) is not one FLOPscope made`;
}

/**
 * Runs `read` on a read-only connection to the file that creates nothing beside it: the file
 * itself in rollback-journal mode (or when its -wal and -shm already exist), else a private copy
 * of the file and its -wal.
 */
function withReadOnlyView<T>(file: string, header: Header, options: OpenOptions, read: (db: Db) => T): T {
  const needsCopy = header.wal && !(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`));
  let tmp: string | null = null;
  let target = file;
  try {
    if (needsCopy) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-dbcheck-'));
      target = path.join(tmp, 'check.db');
      fs.copyFileSync(file, target);
      if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${target}-wal`);
    }
    const ro = new Database(target, { readonly: true, fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    try {
      return read(ro);
    } finally {
      ro.close();
    }
  } catch (e) {
    if (e instanceof ApiFailure) throw e;
    const err = translate(e, file);
    // A file SQLite cannot read is corrupt; one it cannot read read-only (a hot journal to roll back) is not ours to judge.
    throw err.code === 'INTERNAL' ? foreign(file, `it could not be read read-only (${(e as Error).message})`) : err;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Tables, indexes, views and triggers with their columns: what "the exact schema" compares. */
type Schema = Array<{ type: string; name: string; table: string; columns: string[]; extra: string }>;

function schemaOf(db: Db): Schema {
  const objects = db
    .prepare("SELECT type, name, tbl_name AS tbl FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all() as Array<{ type: string; name: string; tbl: string }>;
  return objects.map((o) => {
    if (o.type === 'table') {
      const cols = db.prepare('SELECT * FROM pragma_table_xinfo(?)').all(o.name) as Array<{ name: string; type: string; notnull: number; dflt_value: unknown; pk: number; hidden: number }>;
      const fks = db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(o.name) as Array<{ table: string; from: string; to: string; on_delete: string }>;
      return {
        type: o.type,
        name: o.name,
        table: o.tbl,
        columns: cols.map((c) => `${c.name} ${c.type} notnull=${c.notnull} default=${String(c.dflt_value)} pk=${c.pk} hidden=${c.hidden}`),
        extra: fks.map((f) => `${f.from}->${f.table}.${f.to} ${f.on_delete}`).join(','),
      };
    }
    if (o.type === 'index') {
      const cols = db.prepare('SELECT * FROM pragma_index_xinfo(?)').all(o.name) as Array<{ name: string | null; desc: number; key: number }>;
      const info = db.prepare('SELECT * FROM pragma_index_list(?)').all(o.tbl) as Array<{ name: string; unique: number; partial: number }>;
      const me = info.find((i) => i.name === o.name);
      return { type: o.type, name: o.name, table: o.tbl, columns: cols.filter((c) => c.key).map((c) => `${c.name} desc=${c.desc}`), extra: `unique=${me?.unique} partial=${me?.partial}` };
    }
    return { type: o.type, name: o.name, table: o.tbl, columns: [], extra: '' };
  });
}

const expectedSchemas = new Map<string, Schema>();

/** The schema the migrations up to `version` create, built in memory. */
function expectedSchema(migrations: readonly Migration[], version: number, options: OpenOptions): Schema {
  const key = `${migrations.map((m) => m.version).join(',')}@${version}`;
  let schema = expectedSchemas.get(key);
  if (!schema) {
    const mem = new Database(':memory:', options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    try {
      for (const m of migrations.filter((x) => x.version <= version)) mem.exec(m.up);
      schema = schemaOf(mem);
    } finally {
      mem.close();
    }
    expectedSchemas.set(key, schema);
  }
  return schema;
}

const sameSchema = (a: Schema, b: Schema): boolean => JSON.stringify(a) === JSON.stringify(b);

function writable(target: string): boolean {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** SQLite needs to write the file and, for -wal/-shm (or a rollback journal), its folder. */
function refuseUnwritable(file: string, dir: string, existing: Existing, canWrite: (target: string) => boolean): void {
  const fileOk = existing === 'absent' || canWrite(file);
  const dirOk = canWrite(dir);
  if (fileOk && dirOk) return;
  const what = !fileOk ? `the file is read-only for this user` : `its folder ${dir} is read-only for this user (SQLite keeps ${path.basename(file)}-wal and -shm beside it)`;
  throw new ApiFailure(
    'DB_UNWRITABLE',
    `The database ${file} is read-only: ${what}. FLOPscope stores every run, so it needs to write there; nothing was changed. ` +
      'Make it writable, or point --db / FLOPSCOPE_DB at a writable file.',
  );
}

function foreign(file: string, why: string): ApiFailure {
  return new ApiFailure(
    'DB_FOREIGN',
    `The file ${file} is not a FLOPscope database: ${why}. It was left untouched (not a byte changed); ` +
      'point --db / FLOPSCOPE_DB at another file, or move it aside.',
  );
}

function corrupt(file: string, why: string): ApiFailure {
  return new ApiFailure(
    'DB_CORRUPT',
    `The file ${file} is not a readable FLOPscope database (${why}). It was left untouched; ` +
      'move it aside to start a fresh history, or point --db / FLOPSCOPE_DB at another file.',
  );
}

// ---- opening for writing -----------------------------------------------------------------------

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

function migrate(db: Db, file: string, migrations: readonly Migration[], options: OpenOptions): void {
  const stamped = () => (db.pragma('application_id', { simple: true }) as number) === FLOPSCOPE_APPLICATION_ID;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (stamped() && !migrations.some((m) => m.version > current)) return;
  // IMMEDIATE takes the write lock up front, so two processes opening a fresh file at once
  // cannot both try to migrate it: the second waits (busy_timeout) and then sees nothing pending.
  // The file is judged again under the lock: another process may have written it since.
  const apply = db.transaction(() => {
    if (!stamped()) {
      const again = db.pragma('user_version', { simple: true }) as number;
      const schema = schemaOf(db);
      const id = db.pragma('application_id', { simple: true }) as number;
      if (id !== 0) throw foreign(file, `its application_id is 0x${(id >>> 0).toString(16).padStart(8, '0')}, another program's`);
      if (judgeUnstamped(again, schema, migrations, options) === 'foreign') throw foreign(file, describeUnknown(again, schema));
      db.pragma(`application_id = ${FLOPSCOPE_APPLICATION_ID}`);
    }
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
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || /not a database|malformed/i.test(msg)) return corrupt(file, msg);
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_PERM' || /EACCES|EPERM|EROFS|read-?only|unable to open/i.test(msg)) {
    return new ApiFailure('DB_UNWRITABLE', `Cannot open the database ${file} for writing (${msg}). Check its permissions, or point --db / FLOPSCOPE_DB at a writable path.`);
  }
  return new ApiFailure('INTERNAL', `Database error on ${file}: ${msg}`);
}

export { LATEST_SCHEMA_VERSION };
