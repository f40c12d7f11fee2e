import type BetterSqlite3 from 'better-sqlite3';

/** The terminal's SQLite handle. Every service takes it as its first argument. */
export type Db = BetterSqlite3.Database;

/** One schema step. `up` runs inside its own transaction; it must not open another. */
export type Migration = Readonly<{
  version: number;
  name: string;
  up(db: Db): void;
}>;
