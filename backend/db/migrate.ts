import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import type { Db, Migration } from './types';

const log = createLogger('migrate');
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const FILE_RE = /^(\d{3})-[a-z0-9-]+\.ts$/;

let cached: Promise<readonly Migration[]> | null = null;

/**
 * Every `migrations/NNN-name.ts` file, in version order. Areas add files in their own number
 * range (see docs/conventions.md), so the runner discovers them instead of keeping a list
 * that every area would have to edit.
 */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<readonly Migration[]> {
  if (dir === MIGRATIONS_DIR && cached) return cached;
  const p = (async () => {
    const files = readdirSync(dir).filter((f) => FILE_RE.test(f)).sort();
    const out: Migration[] = [];
    for (const f of files) {
      const mod = (await import(pathToFileURL(join(dir, f)).href)) as { migration?: Migration };
      const m = mod.migration;
      if (!m || typeof m.up !== 'function') fail('INTERNAL', `Migration file ${f} does not export \`migration\``);
      if (m.version !== Number(f.slice(0, 3))) fail('INTERNAL', `Migration file ${f} declares version ${m.version}`);
      out.push(m);
    }
    return checkOrder(out);
  })();
  if (dir === MIGRATIONS_DIR) cached = p;
  return p;
}

function checkOrder(list: Migration[]): readonly Migration[] {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.version === sorted[i - 1]!.version) fail('INTERNAL', `Two migrations share version ${sorted[i]!.version}`);
  }
  return sorted;
}

export function appliedVersions(db: Db): Set<number> {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const rows = db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[];
  return new Set(rows);
}

/**
 * Apply every migration not yet recorded, each in its own IMMEDIATE transaction, so a crash
 * mid-way leaves the database at the last complete version. `upTo` stops early (tests).
 */
export function migrate(db: Db, migrations: readonly Migration[], upTo = Infinity): number[] {
  const done = appliedVersions(db);
  const ran: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of checkOrder([...migrations])) {
    if (m.version > upTo || done.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
    ran.push(m.version);
    log.debug(`applied ${String(m.version).padStart(3, '0')}-${m.name}`);
  }
  return ran;
}
