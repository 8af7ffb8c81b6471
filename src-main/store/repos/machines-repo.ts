/** SQL for the machines table (Node side). Takes and returns src-shared types. */
import type { HardwareReport, Machine } from '../../../src-shared/api/types.js';
import type { Db } from '../database.js';

interface MachineRow {
  id: string;
  hostname: string;
  report_json: string;
  first_seen: string;
  last_seen: string;
}

export class MachinesRepo {
  constructor(private readonly db: Db) {}

  /** Inserts the machine or refreshes its report and last-seen time. */
  upsert(report: HardwareReport, now = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO machines (id, hostname, report_json, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET hostname = excluded.hostname, report_json = excluded.report_json, last_seen = excluded.last_seen`,
      )
      .run(report.machine.id, report.machine.hostname, JSON.stringify(report), now, now);
  }

  get(id: string): Machine | null {
    const row = this.db.prepare('SELECT * FROM machines WHERE id = ?').get(id) as MachineRow | undefined;
    return row ? toMachine(row) : null;
  }

  list(): Machine[] {
    return (this.db.prepare('SELECT * FROM machines ORDER BY last_seen DESC').all() as MachineRow[]).map(toMachine);
  }
}

function toMachine(row: MachineRow): Machine {
  return { id: row.id, hostname: row.hostname, report: JSON.parse(row.report_json) as HardwareReport, firstSeen: row.first_seen, lastSeen: row.last_seen };
}
