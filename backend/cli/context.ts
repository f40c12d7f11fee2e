import type { Command } from 'commander';
import envPaths from 'env-paths';
import { join } from 'node:path';
import { openStore } from '../db/connection';
import type { Db } from '../db/types';

/**
 * What every command needs: whether --json was given, the store opened lazily from
 * --db / KOPILKA_DB / the per-user data directory, and output helpers.
 */
export type CliContext = Readonly<{
  json(): boolean;
  /** Print a result: one JSON object with --json, otherwise the human text. */
  out(value: unknown, human: string): void;
  /** Where the database lives (resolved, not opened). */
  dbPath(): string;
  /** The store, opened and migrated on first use; closed by `close()`. */
  db(): Promise<Db>;
  close(): void;
}>;

export function defaultDbPath(): string {
  return join(envPaths('kopilka', { suffix: '' }).data, 'kopilka.db');
}

export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.KOPILKA_DB || defaultDbPath();
}

export function createCliContext(program: Command): CliContext {
  let opened: Promise<Db> | null = null;
  let handle: Db | null = null;
  const dbPath = () => resolveDbPath(program.opts().db as string | undefined);
  return {
    json: () => Boolean(program.opts().json),
    out(value, human) {
      process.stdout.write((program.opts().json ? JSON.stringify(value) : human) + '\n');
    },
    dbPath,
    db() {
      opened ??= openStore(dbPath()).then((db) => (handle = db));
      return opened;
    },
    close() {
      if (handle?.open) handle.close();
      handle = null;
      opened = null;
    },
  };
}
