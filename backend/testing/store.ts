import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../db/connection';
import type { Db } from '../db/types';
import { openUnattendedShift } from '../shifts/shift';

export type TestStore = Readonly<{ db: Db; dir: string; path: string; cleanup(): void }>;

/** A real SQLite file in a fresh temp dir with every migration applied. Call cleanup() in `after`. */
export async function createTestStore(prefix = 'kopilka-test-', opts: Readonly<{ openShift?: boolean }> = {}): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'kopilka.db');
  const db = await openStore(path);
  // Sales need an open cash shift; tests of the shifts themselves pass { openShift: false }.
  if (opts.openShift !== false) openUnattendedShift(db, 'test', '2000-01-01T00:00:00.000Z');
  return {
    db,
    dir,
    path,
    cleanup() {
      try {
        if (db.open) db.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Every row of every table (sorted, as text) so a test can prove a refused operation changed
 * nothing. schema_migrations is included: a bad input must not migrate anything either.
 */
export function dumpDb(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const parts: string[] = [];
  for (const t of tables) {
    const rows = db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][];
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    parts.push(`## ${t} (${rows.length})\n${lines.join('\n')}`);
  }
  return parts.join('\n');
}
