/**
 * SQL for the runs table (Node side). A run is written in one transaction together with the
 * machine it was measured on, so a crash leaves either both or neither.
 */
import type { HardwareReport, Run, RunKind, RunSummary } from '../../../src-shared/api/types.js';
import type { Db } from '../database.js';
import { MachinesRepo } from './machines-repo.js';

interface RunRow {
  id: number;
  kind: RunKind;
  machine_id: string;
  app_version: string;
  created_at: string;
  params_json: string;
  result_json: string;
  hostname: string;
}

export interface NewRun {
  kind: RunKind;
  machine: HardwareReport;
  appVersion: string;
  params: unknown;
  result: unknown;
  createdAt?: string;
}

export class RunsRepo {
  private readonly machines: MachinesRepo;
  constructor(private readonly db: Db) {
    this.machines = new MachinesRepo(db);
  }

  insert(run: NewRun): number {
    const createdAt = run.createdAt ?? new Date().toISOString();
    const tx = this.db.transaction(() => {
      this.machines.upsert(run.machine, createdAt);
      const info = this.db
        .prepare('INSERT INTO runs (kind, machine_id, app_version, created_at, params_json, result_json) VALUES (?, ?, ?, ?, ?, ?)')
        .run(run.kind, run.machine.machine.id, run.appVersion, createdAt, JSON.stringify(run.params ?? null), JSON.stringify(run.result ?? null));
      return Number(info.lastInsertRowid);
    });
    return tx.immediate();
  }

  get(id: number): Run | null {
    const row = this.db
      .prepare('SELECT r.*, m.hostname FROM runs r JOIN machines m ON m.id = r.machine_id WHERE r.id = ?')
      .get(id) as RunRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      machineId: row.machine_id,
      appVersion: row.app_version,
      createdAt: row.created_at,
      params: JSON.parse(row.params_json) as unknown,
      result: JSON.parse(row.result_json) as unknown,
    };
  }

  list(filter: { kind?: string; machineId?: string; limit?: number } = {}): RunSummary[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.kind) {
      where.push('r.kind = ?');
      args.push(filter.kind);
    }
    if (filter.machineId) {
      where.push('r.machine_id = ?');
      args.push(filter.machineId);
    }
    const sql =
      'SELECT r.id, r.kind, r.machine_id, r.app_version, r.created_at, m.hostname FROM runs r JOIN machines m ON m.id = r.machine_id' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY r.created_at DESC, r.id DESC LIMIT ?';
    args.push(filter.limit ?? 1000);
    return (this.db.prepare(sql).all(...args) as RunRow[]).map((row) => ({
      id: row.id,
      kind: row.kind,
      machineId: row.machine_id,
      appVersion: row.app_version,
      createdAt: row.created_at,
      hostname: row.hostname,
    }));
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }
}
