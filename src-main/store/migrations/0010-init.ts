/**
 * Migration 0010: machines (fingerprint + hardware report) and runs (one stored result each).
 * Runs reference their machine; deleting a machine is refused while runs point at it.
 */
import type { Migration } from './migration.js';

export const migration0010: Migration = {
  version: 10,
  name: 'init',
  up: `
    CREATE TABLE machines (
      id          TEXT PRIMARY KEY,
      hostname    TEXT NOT NULL,
      report_json TEXT NOT NULL CHECK (json_valid(report_json)),
      first_seen  TEXT NOT NULL,
      last_seen   TEXT NOT NULL
    ) STRICT;

    CREATE TABLE runs (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      kind        TEXT NOT NULL,
      machine_id  TEXT NOT NULL REFERENCES machines(id) ON DELETE RESTRICT,
      app_version TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      params_json TEXT NOT NULL CHECK (json_valid(params_json)),
      result_json TEXT NOT NULL CHECK (json_valid(result_json))
    ) STRICT;

    CREATE INDEX runs_kind_created ON runs(kind, created_at DESC);
    CREATE INDEX runs_machine ON runs(machine_id);
  `,
};
