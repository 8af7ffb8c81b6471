import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migration0010 } from './0010-init.js';

describe('migration 0010 (init)', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec(migration0010.up);

  it('creates machines and runs', () => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['machines', 'runs']));
  });

  it('rejects a run for an unknown machine and non-JSON results', () => {
    const insertRun = db.prepare('INSERT INTO runs (kind, machine_id, app_version, created_at, params_json, result_json) VALUES (?, ?, ?, ?, ?, ?)');
    expect(() => insertRun.run('bench', 'nope', '0', 'now', '{}', '{}')).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO machines VALUES ('m', 'h', '{}', 'now', 'now')").run();
    expect(() => insertRun.run('bench', 'm', '0', 'now', '{}', 'not json')).toThrow(/CHECK/);
    expect(insertRun.run('bench', 'm', '0', 'now', '{}', '{"ok":1}').changes).toBe(1);
    expect(() => db.prepare("DELETE FROM machines WHERE id = 'm'").run()).toThrow(/FOREIGN KEY/);
  });
});
