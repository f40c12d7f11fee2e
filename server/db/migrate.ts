import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerDb } from './database';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export type SqlMigration = Readonly<{ version: number; name: string; sql: string }>;

export function loadSqlMigrations(): readonly SqlMigration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(DIR, f), 'utf8') }));
}

/**
 * Numbered SQL files, each applied once in its own transaction. The version row is inserted
 * first, so two servers starting together cannot both apply the same file (the loser's
 * primary-key conflict rolls its attempt back). `upTo` stops after that version (migration tests).
 */
export async function migrateServer(db: ServerDb, opts: Readonly<{ upTo?: number }> = {}): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS server_schema_migration (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM server_schema_migration')).rows.map((r) => Number(r.version)));
  const ran: number[] = [];
  for (const m of loadSqlMigrations()) {
    if (done.has(m.version) || m.version > (opts.upTo ?? Infinity)) continue;
    await db.tx(`migrate ${m.version}`, async (sql) => {
      await sql.query('INSERT INTO server_schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
      for (const stmt of splitStatements(m.sql)) await sql.query(stmt);
    });
    ran.push(m.version);
  }
  return ran;
}

/** Split on `;` at line ends, keeping `$$ … $$` bodies whole (extended protocol runs one statement at a time). */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if (/^\s*--/.test(line) && !inDollar) continue;
    cur += line + '\n';
    const dollars = (line.match(/\$\$/g) ?? []).length;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*$/.test(line)) {
      out.push(cur.trim().replace(/;$/, ''));
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
