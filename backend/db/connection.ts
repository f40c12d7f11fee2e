import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { uuidv7 } from '../../core/util/ids';
import { startBackgroundCheckpoints } from './checkpointer';
import { loadMigrations, migrate } from './migrate';
import type { Db, Migration } from './types';

export type OpenOptions = Readonly<{
  /** Defaults to every file in backend/db/migrations. */
  migrations?: readonly Migration[];
  /** Skip running migrations (tools that inspect an old file as it is). */
  migrate?: boolean;
  readonly?: boolean;
  /**
   * The till's writer: checkpoints in a worker thread instead of inside every ~30th commit
   * (see checkpointer.ts). Off by default: short-lived tools and tests don't need a thread.
   */
  backgroundCheckpoints?: boolean;
}>;

/**
 * Pragmas every connection needs. WAL lets readers work beside the writer; synchronous=FULL
 * because with NORMAL a committed sale may roll back after a power cut (see research/sync.md §2.1).
 */
export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 32 MB of page cache (default is 2 MB): member, card and balance index pages stay in memory
  // on a store with a million members, so a card lookup does not go back to the file.
  db.pragma('cache_size = -32000');
}

/** Open (creating if needed) the terminal store and bring its schema up to date. */
export async function openStore(path: string, opts: OpenOptions = {}): Promise<Db> {
  const migrations = opts.migrate === false ? [] : (opts.migrations ?? (await loadMigrations()));
  return openStoreWith(path, migrations, opts);
}

/** Synchronous variant for callers that already hold the migration list (benchmarks, child processes). */
export function openStoreWith(path: string, migrations: readonly Migration[], opts: OpenOptions = {}): Db {
  if (path !== ':memory:' && !opts.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, opts.readonly ? { readonly: true, fileMustExist: true } : {});
  if (opts.readonly) {
    db.pragma('busy_timeout = 5000');
    return db;
  }
  applyPragmas(db);
  if (opts.migrate !== false) {
    migrate(db, migrations);
    ensureTerminalId(db);
  }
  if (opts.backgroundCheckpoints) startBackgroundCheckpoints(db);
  return db;
}

/**
 * The terminal's identity: generated once, never changed, since it is part of every hashed
 * event. Registration with the sync server records this id rather than replacing it.
 */
export function ensureTerminalId(db: Db): string {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").get();
  if (!hasMeta) return '';
  const row = db.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").get() as { value: string } | undefined;
  if (row) return row.value;
  const id = uuidv7();
  db.prepare("INSERT INTO meta (key, value) VALUES ('terminal_id', ?)").run(id);
  return id;
}

const terminalIds = new WeakMap<Db, string>();
export function terminalId(db: Db): string {
  let id = terminalIds.get(db);
  if (!id) {
    id = ensureTerminalId(db);
    terminalIds.set(db, id);
  }
  return id;
}
