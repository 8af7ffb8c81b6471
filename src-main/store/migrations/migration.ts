/** One schema migration: the version PRAGMA user_version takes once it is applied, a name and its SQL. */
export interface Migration {
  version: number;
  name: string;
  up: string;
}
