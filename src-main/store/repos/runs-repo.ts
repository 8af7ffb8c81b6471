/**
 * SQL for the runs table (Node side). A run is written in one transaction together with the
 * machine it was measured on, so a crash leaves either both or neither. Runs carry a stable `uid`
 * (kept across export/import), tags and a note; deleting is soft (`deleted_at`) so the History page
 * can undo it, and soft-deleted rows are purged later (`purgeDeleted`). Everything that reads runs
 * (`get`, `list`, `ids`) ignores soft-deleted rows.
 */
import { randomUUID } from 'node:crypto';
import type { HardwareReport, Run, RunKind, RunSummary, RunSummaryFigures } from '../../../src-shared/api/types.js';
import { MEASURED_KINDS as RUN_KIND_MEASURED, RUN_KIND_ENTRIES, runKind } from '../../../src-shared/runs/kinds/index.js';
import type { Db } from '../database.js';
import { MachinesRepo } from './machines-repo.js';

/**
 * The time and energy figures of a measuring run, read out of its result in the list query
 * (json_extract; json_type for the boolean, which json_extract would turn into 0/1). Which kinds
 * carry which figure, and where in the result, is each kind's `summary` in the run-kind registry
 * (src-shared/runs/kinds/<kind>.ts).
 */
const FIGURE_COLUMNS = figureColumns();

function figureColumns(): string {
  const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
  /** CASE over the kinds that have `path` (kinds grouped by path), NULL for the others. */
  const column = (alias: string, paths: Array<[RunKind, string | undefined]>, read = 'json_extract') => {
    const byPath = new Map<string, RunKind[]>();
    for (const [kind, path] of paths) if (path) byPath.set(path, [...(byPath.get(path) ?? []), kind]);
    if (!byPath.size) return `NULL AS ${alias}`;
    const whens = [...byPath].map(([path, kinds]) => `WHEN r.kind IN (${kinds.map(sqlText).join(', ')}) THEN ${read}(r.result_json, ${sqlText(path)})`);
    return `CASE ${whens.join(' ')} END AS ${alias}`;
  };
  const summaries = RUN_KIND_ENTRIES.filter((e) => e.measured).map((e) => [e.name, e.summary ?? {}] as const);
  const energy = (field: string): Array<[RunKind, string | undefined]> => summaries.map(([k, s]) => [k, s.energy ? `$.energy.${field}` : undefined]);
  return [
    column('f_elapsed', summaries.map(([k, s]) => [k, s.elapsed])),
    column('f_latency', summaries.map(([k, s]) => [k, s.latency])),
    column('f_joules', energy('joules')),
    column('f_estimated', energy('estimated'), 'json_type'),
    column('f_source', energy('source')),
    column('f_basis', energy('estimateBasis')),
    column('f_jpi', summaries.map(([k, s]) => [k, s.joulesPerInference])),
  ].join(', ');
}

/** How many JSON paths a kind's subject may read (src-shared/runs/kinds/entry.ts SubjectSpec). */
const SUBJECT_PATHS = 4;

/**
 * The subject's values, read out of each run's result or params in the list query (json_extract;
 * objects and arrays come back as JSON text), one column per path index, CASE over the kinds.
 */
const SUBJECT_COLUMNS = subjectColumns();

function subjectColumns(): string {
  const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const columns: string[] = [];
  for (let i = 0; i < SUBJECT_PATHS; i++) {
    const whens = RUN_KIND_ENTRIES.flatMap((e) => {
      const p = e.subject?.paths[i];
      if (!p) return [];
      const [doc, path] = p.startsWith('params:') ? ['r.params_json', p.slice('params:'.length)] : ['r.result_json', p];
      return [`WHEN r.kind = ${sqlText(e.name)} THEN json_extract(${doc}, ${sqlText(path)})`];
    });
    columns.push(whens.length ? `CASE ${whens.join(' ')} END AS s${i}` : `NULL AS s${i}`);
  }
  return columns.join(', ');
}

type SubjectRow = Record<`s${0 | 1 | 2 | 3}`, unknown>;

function toSubject(kind: RunKind, row: SubjectRow): string | null {
  const spec = runKind(kind).subject;
  if (!spec) return null;
  try {
    return spec.text([row.s0, row.s1, row.s2, row.s3].slice(0, spec.paths.length));
  } catch {
    return null;
  }
}

interface FigureRow {
  f_elapsed: unknown;
  f_latency: unknown;
  f_joules: unknown;
  f_estimated: unknown;
  f_source: unknown;
  f_basis: unknown;
  f_jpi: unknown;
}

/** Kinds whose runs measure this machine, and so carry time and energy (the registry's `measured`). */
const MEASURED_KINDS: ReadonlySet<RunKind> = new Set(RUN_KIND_MEASURED);

const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function toFigures(row: FigureRow): RunSummaryFigures {
  const joules = finiteOrNull(row.f_joules);
  const estimated = row.f_estimated === 'true' ? true : row.f_estimated === 'false' ? false : null;
  return {
    elapsedSeconds: finiteOrNull(row.f_elapsed),
    latencyMedianMs: finiteOrNull(row.f_latency),
    energy:
      joules !== null && estimated !== null && typeof row.f_source === 'string'
        ? { joules, estimated, source: row.f_source, estimateBasis: typeof row.f_basis === 'string' ? row.f_basis : null }
        : null,
    joulesPerInference: finiteOrNull(row.f_jpi),
  };
}

interface RunRow {
  id: number;
  kind: RunKind;
  machine_id: string;
  app_version: string;
  created_at: string;
  params_json: string;
  result_json: string;
  uid: string;
  tags_json: string;
  note: string;
  deleted_at: string | null;
  hostname: string;
}

export interface NewRun {
  kind: RunKind;
  machine: HardwareReport;
  appVersion: string;
  params: unknown;
  result: unknown;
  createdAt?: string;
  /** Kept when given (an imported run keeps its bundle's uid); a fresh random UUID otherwise. */
  uid?: string;
  tags?: string[];
  note?: string;
}

/** A run whose machine is already stored (import: machines are written first, once each). */
export type StoredRunInput = Omit<NewRun, 'machine' | 'createdAt' | 'uid'> & { machineId: string; createdAt: string; uid: string };

export interface RunFilter {
  kind?: string;
  machineId?: string;
  limit?: number;
  /** ISO date or date-time: runs created at or after it. */
  since?: string;
  /** ISO date or date-time: runs created at or before it (a bare date includes that whole day, UTC). */
  until?: string;
  /** Case-insensitive substring over kind, hostname, note, tags and params. */
  search?: string;
  /** Runs carrying this tag (case-insensitive). */
  tag?: string;
}

const SELECT = 'SELECT r.*, m.hostname FROM runs r JOIN machines m ON m.id = r.machine_id';

export class RunsRepo {
  private readonly machines: MachinesRepo;
  constructor(private readonly db: Db) {
    this.machines = new MachinesRepo(db);
  }

  insert(run: NewRun): number {
    const createdAt = run.createdAt ?? new Date().toISOString();
    const tx = this.db.transaction(() => {
      this.machines.upsert(run.machine, createdAt);
      return this.insertStored({ ...run, machineId: run.machine.machine.id, createdAt, uid: run.uid ?? randomUUID() });
    });
    return tx.immediate();
  }

  /** Inserts a run for a machine already in the machines table (no machine upsert). */
  insertStored(run: StoredRunInput): number {
    const info = this.db
      .prepare('INSERT INTO runs (kind, machine_id, app_version, created_at, params_json, result_json, uid, tags_json, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(
        run.kind,
        run.machineId,
        run.appVersion,
        run.createdAt,
        JSON.stringify(run.params ?? null),
        JSON.stringify(run.result ?? null),
        run.uid,
        JSON.stringify(normalizeTags(run.tags ?? [])),
        run.note ?? '',
      );
    return Number(info.lastInsertRowid);
  }

  get(id: number): Run | null {
    const row = this.db.prepare(`${SELECT} WHERE r.id = ? AND r.deleted_at IS NULL`).get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  /** True when a run (soft-deleted ones included) has this uid. */
  hasUid(uid: string): boolean {
    return this.db.prepare('SELECT 1 FROM runs WHERE uid = ?').get(uid) !== undefined;
  }

  /** Ids of every live run, oldest first (export order). */
  ids(): number[] {
    return (this.db.prepare('SELECT id FROM runs WHERE deleted_at IS NULL ORDER BY created_at ASC, id ASC').all() as { id: number }[]).map((r) => r.id);
  }

  list(filter: RunFilter = {}): RunSummary[] {
    const where: string[] = ['r.deleted_at IS NULL'];
    const args: unknown[] = [];
    if (filter.kind) {
      where.push('r.kind = ?');
      args.push(filter.kind);
    }
    if (filter.machineId) {
      where.push('r.machine_id = ?');
      args.push(filter.machineId);
    }
    if (filter.since) {
      where.push('r.created_at >= ?');
      args.push(isoBound(filter.since, 'since'));
    }
    if (filter.until) {
      const bare = /^\d{4}-\d{2}-\d{2}$/.test(filter.until);
      where.push(bare ? 'r.created_at < ?' : 'r.created_at <= ?');
      args.push(bare ? new Date(Date.parse(`${filter.until}T00:00:00.000Z`) + 86_400_000).toISOString() : isoBound(filter.until, 'until'));
    }
    if (filter.search) {
      where.push('(instr(lower(r.kind), ?) > 0 OR instr(lower(m.hostname), ?) > 0 OR instr(lower(r.note), ?) > 0 OR instr(lower(r.tags_json), ?) > 0 OR instr(lower(r.params_json), ?) > 0)');
      const needle = filter.search.toLowerCase();
      args.push(needle, needle, needle, needle, needle);
    }
    if (filter.tag) {
      where.push('EXISTS (SELECT 1 FROM json_each(r.tags_json) t WHERE lower(t.value) = ?)');
      args.push(filter.tag.trim().toLowerCase());
    }
    const sql =
      `SELECT r.id, r.kind, r.machine_id, r.app_version, r.created_at, r.uid, r.tags_json, r.note, m.hostname, ${FIGURE_COLUMNS}, ${SUBJECT_COLUMNS} FROM runs r JOIN machines m ON m.id = r.machine_id` +
      ` WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT ?`;
    args.push(filter.limit ?? 1000);
    return (this.db.prepare(sql).all(...args) as Array<RunRow & FigureRow & SubjectRow>).map((row) => ({
      id: row.id,
      kind: row.kind,
      machineId: row.machine_id,
      appVersion: row.app_version,
      createdAt: row.created_at,
      uid: row.uid,
      tags: JSON.parse(row.tags_json) as string[],
      note: row.note,
      hostname: row.hostname,
      subject: toSubject(row.kind, row),
      ...(MEASURED_KINDS.has(row.kind) ? { figures: toFigures(row) } : {}),
    }));
  }

  /**
   * Parts of the newest live results of one kind on one machine, read by JSON path in SQL, so a
   * caller that needs a few fields of many large results parses only those (each part is the
   * value at its path, or null where the result has none).
   */
  resultParts(kind: RunKind, machineId: string, paths: readonly string[], limit: number): Array<{ id: number; parts: unknown[] }> {
    const cols = paths.map((_, i) => `json_quote(json_extract(r.result_json, ?)) AS p${i}`).join(', ');
    const rows = this.db
      .prepare(`SELECT r.id, ${cols} FROM runs r WHERE r.deleted_at IS NULL AND r.kind = ? AND r.machine_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`)
      .all(...paths, kind, machineId, limit) as Array<Record<string, unknown>>;
    return rows.map((row) => ({ id: Number(row.id), parts: paths.map((_, i) => (typeof row[`p${i}`] === 'string' ? (JSON.parse(row[`p${i}`] as string) as unknown) : null)) }));
  }

  /** Hard delete (no undo). The API deletes softly; see softDelete. */
  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  /** Marks a live run deleted (hidden everywhere, restorable until purged). False if there is none. */
  softDelete(id: number, now = new Date()): boolean {
    return this.db.prepare('UPDATE runs SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(now.toISOString(), id).changes > 0;
  }

  /** Undoes a soft delete. False if the run is not soft-deleted (never existed, live, or purged). */
  restore(id: number): boolean {
    return this.db.prepare('UPDATE runs SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id).changes > 0;
  }

  /** Removes soft-deleted runs deleted more than `olderThanMs` ago; returns how many. */
  purgeDeleted(olderThanMs: number, now = Date.now()): number {
    const cutoff = new Date(now - olderThanMs).toISOString();
    return this.db.prepare('DELETE FROM runs WHERE deleted_at IS NOT NULL AND deleted_at <= ?').run(cutoff).changes;
  }

  /** Replaces a live run's tags (trimmed, duplicates dropped). False if there is no such run. */
  setTags(id: number, tags: readonly string[]): boolean {
    return this.db.prepare('UPDATE runs SET tags_json = ? WHERE id = ? AND deleted_at IS NULL').run(JSON.stringify(normalizeTags(tags)), id).changes > 0;
  }

  /** Replaces a live run's note. False if there is no such run. */
  setNote(id: number, note: string): boolean {
    return this.db.prepare('UPDATE runs SET note = ? WHERE id = ? AND deleted_at IS NULL').run(note, id).changes > 0;
  }
}

/** Trimmed, empty ones dropped, first spelling kept for case-insensitive duplicates. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

function isoBound(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${field}: expected an ISO date such as 2026-01-31, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    kind: row.kind,
    machineId: row.machine_id,
    appVersion: row.app_version,
    createdAt: row.created_at,
    params: JSON.parse(row.params_json) as unknown,
    result: JSON.parse(row.result_json) as unknown,
    uid: row.uid,
    tags: JSON.parse(row.tags_json) as string[],
    note: row.note,
  };
}
