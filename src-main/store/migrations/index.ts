/**
 * The ordered list of schema migrations. Each has a version (the value PRAGMA user_version takes
 * once it is applied) and SQL. Append new ones with a higher version; never edit an applied one.
 */
import { migration0010 } from './0010-init.js';
import { migration0020 } from './0020-history.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [migration0010, migration0020];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
