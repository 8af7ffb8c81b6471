/**
 * Migration 0020: history features on runs. Every run gets a stable random `uid` (a v4 UUID,
 * backfilled for existing rows; unique) so a bundle imported twice is recognised, `tags_json`
 * (a JSON array of strings), a free-text `note`, and `deleted_at` (ISO time of a soft delete, kept
 * for undo until purged). Existing rows keep all their data.
 */
import type { Migration } from './migration.js';

/** A random v4 UUID in SQL (SQLite has no uuid function): 8-4-4-4-12 lowercase hex. */
const SQL_UUID_V4 = `lower(
  hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))
)`;

export const migration0020: Migration = {
  version: 20,
  name: 'history',
  up: `
    ALTER TABLE runs ADD COLUMN uid TEXT;
    ALTER TABLE runs ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags_json));
    ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN deleted_at TEXT;

    UPDATE runs SET uid = ${SQL_UUID_V4} WHERE uid IS NULL;

    CREATE UNIQUE INDEX runs_uid ON runs(uid);
    CREATE INDEX runs_deleted ON runs(deleted_at) WHERE deleted_at IS NOT NULL;
  `,
};
