import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas } from '../db/connection';
import { loadMigrations, migrate } from '../db/migrate';
import type { Db } from '../db/types';

/**
 * For migration tests: a real file migrated to just before `version`, then to `version`,
 * so each test sees exactly what its migration added. Returns the db and a cleanup.
 */
export async function migratedTo(version: number): Promise<{ db: Db; before: Set<string>; after: Set<string>; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-mig-'));
  const db = new Database(join(dir, 'm.db'));
  applyPragmas(db);
  const all = await loadMigrations();
  migrate(db, all, version - 1);
  const before = objects(db);
  const ran = migrate(db, all, version);
  if (!ran.includes(version)) throw new Error(`migration ${version} did not run`);
  const after = objects(db);
  return {
    db,
    before,
    after,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function objects(db: Db): Set<string> {
  const rows = db.prepare("SELECT type || ':' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  return new Set(rows);
}

export function added(before: Set<string>, after: Set<string>): string[] {
  return [...after].filter((x) => !before.has(x)).sort();
}
