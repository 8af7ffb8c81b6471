import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/fixtures.js';
import { openDatabase } from '../database.js';
import { migration0010 } from './0010-init.js';

describe('migration 0020 (history)', () => {
  it('adds uid, tags, note and deleted_at to an existing file; old rows keep their data and get unique uids', () => {
    const file = path.join(tempDir(), 'old.db');
    const raw = new Database(file);
    raw.exec(migration0010.up);
    raw.pragma('user_version = 10');
    raw.prepare("INSERT INTO machines VALUES ('m', 'host', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')").run();
    const insert = raw.prepare("INSERT INTO runs (kind, machine_id, app_version, created_at, params_json, result_json) VALUES ('bench', 'm', '0.1.0', ?, ?, ?)");
    for (let i = 0; i < 5; i++) insert.run(`2026-01-0${i + 1}T00:00:00.000Z`, JSON.stringify({ i }), JSON.stringify({ gflops: i * 10 }));
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(20);
    const rows = db.prepare('SELECT * FROM runs ORDER BY id').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(5);
    rows.forEach((row, i) => {
      expect(row).toMatchObject({ kind: 'bench', machine_id: 'm', app_version: '0.1.0', created_at: `2026-01-0${i + 1}T00:00:00.000Z`, tags_json: '[]', note: '', deleted_at: null });
      expect(JSON.parse(row.params_json as string)).toEqual({ i });
      expect(JSON.parse(row.result_json as string)).toEqual({ gflops: i * 10 });
      expect(row.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
    expect(new Set(rows.map((r) => r.uid)).size).toBe(5);
    expect(() => db.prepare('UPDATE runs SET uid = ? WHERE id = 2').run(rows[0]!.uid)).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE runs SET tags_json = 'nope' WHERE id = 1").run()).toThrow(/CHECK/);
    db.close();
  });
});
