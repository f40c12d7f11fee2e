import pg from 'pg';
import { KopilkaError } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';

const log = createLogger('server-db');

/** What every server module talks to: parameterised SQL, identical on PostgreSQL and PGlite. */
export type Row = Record<string, unknown>;
export interface Sql {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<{ rows: T[]; rowCount: number }>;
}

/** Error-injection hook: called once per attempt just before COMMIT; throw to abort that attempt. */
export type FaultHook = (attempt: number, label: string) => void | Promise<void>;

export interface ServerDb extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Run `fn` in one transaction; on a serialization failure (40001) or deadlock (40P01) the
   * whole attempt is rolled back and `fn` runs again from the start, so `fn` must derive
   * everything from what it reads inside the transaction (CockroachDB requires this loop).
   */
  tx<T>(label: string, fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Attempts that ended in a retryable failure, for tests and the bench. */
  readonly stats: { retries: number; commits: number };
  faultHook: FaultHook | null;
  close(): Promise<void>;
}

export const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 12;

export function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && RETRYABLE.has(String((err as { code?: unknown }).code));
}

/** A synthetic serialization failure, exactly what CockroachDB or SERIALIZABLE PostgreSQL raise. */
export function serializationFailure(): Error {
  return Object.assign(new Error('could not serialize access due to concurrent update (injected)'), { code: '40001' });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function withRetry<T>(db: ServerDb, label: string, attemptOnce: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const v = await attemptOnce(attempt);
      db.stats.commits++;
      return v;
    } catch (err) {
      if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
      db.stats.retries++;
      log.debug(`${label}: retry ${attempt} after ${(err as { code: string }).code}`);
      // Full jitter keeps two colliding transactions from colliding again in lockstep.
      await sleep(Math.floor(Math.random() * Math.min(200, 2 ** attempt * 2)));
    }
  }
}

/** Statements are named by their text so each connection parses and plans them once. */
const names = new Map<string, string>();
function statementName(text: string): string | undefined {
  if (/^\s*(BEGIN|COMMIT|ROLLBACK|CREATE|DROP|ALTER|INSERT INTO server_schema_migration)/i.test(text)) return undefined;
  let n = names.get(text);
  if (!n) {
    n = 'k' + names.size.toString(36);
    names.set(text, n);
  }
  return n;
}

export type PgOptions = Readonly<{ connectionString: string; max?: number; isolation?: 'read committed' | 'serializable' }>;

/** Production: a pg.Pool against PostgreSQL (or Citus / CockroachDB / YugabyteDB, see server/README.md). */
export function openPostgres(opts: PgOptions): ServerDb {
  const pool = new pg.Pool({ connectionString: opts.connectionString, max: opts.max ?? 8 });
  pool.on('error', (err) => log.warn('idle client error', err.message));
  const begin = opts.isolation === 'serializable' ? 'BEGIN ISOLATION LEVEL SERIALIZABLE' : 'BEGIN';
  const db: ServerDb = {
    kind: 'postgres',
    stats: { retries: 0, commits: 0 },
    faultHook: null,
    async query(text, params) {
      const r = await pool.query(text, params as unknown[]);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    },
    tx(label, fn) {
      return withRetry(db, label, async (attempt) => {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query(begin);
          const sql: Sql = {
            async query(text, params) {
              const name = statementName(text);
              const r = await client.query(name ? { name, text, values: params as unknown[] } : { text, values: params as unknown[] });
              return { rows: r.rows, rowCount: r.rowCount ?? 0 };
            },
          };
          const v = await fn(sql);
          await db.faultHook?.(attempt, label);
          await client.query('COMMIT');
          return v;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          throw err;
        } finally {
          client.release(broken);
        }
      });
    },
    async close() {
      await pool.end();
    },
  };
  return db;
}

/**
 * Development / single-shop appliance: PostgreSQL compiled to WASM, in this process. It is one
 * session, so every transaction goes through one queue (never pg.Pool over a socket: see
 * research/sync.md §1.3); the SQL is the same as on PostgreSQL.
 */
export async function openPglite(dataDir?: string): Promise<ServerDb> {
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = dataDir ? new PGlite(dataDir) : new PGlite();
  await lite.waitReady;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const p = queue.then(job, job);
    queue = p.catch(() => undefined);
    return p;
  };
  const run: Sql['query'] = async (text, params) => {
    const r = await lite.query(text, params ? [...params] : []);
    return { rows: r.rows as never[], rowCount: r.affectedRows ?? r.rows.length };
  };
  const db: ServerDb = {
    kind: 'pglite',
    stats: { retries: 0, commits: 0 },
    faultHook: null,
    query: (text, params) => serial(() => run(text, params)),
    tx(label, fn) {
      return withRetry(db, label, (attempt) =>
        serial(async () => {
          await run('BEGIN');
          try {
            const v = await fn({ query: run });
            await db.faultHook?.(attempt, label);
            await run('COMMIT');
            return v;
          } catch (err) {
            await run('ROLLBACK').catch(() => undefined);
            throw err;
          }
        }),
      );
    },
    async close() {
      await queue.catch(() => undefined);
      await lite.close();
    },
  };
  return db;
}

/** DATABASE_URL → PostgreSQL; otherwise PGlite in `dataDir` (or in memory when none). */
export async function openServerDb(opts: Readonly<{ databaseUrl?: string; dataDir?: string }>): Promise<ServerDb> {
  if (opts.databaseUrl) return openPostgres({ connectionString: opts.databaseUrl });
  return openPglite(opts.dataDir);
}

export function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new KopilkaError('INTERNAL', `Expected an integer from the database, got ${String(v)}`);
  return n;
}

/**
 * A PostgreSQL array literal, for one column of a batch passed as `unnest($n::type[], …)`:
 * strings quoted and escaped, null as NULL, booleans t/f, numbers as written (integers only
 * reach here). node-postgres would convert a JS array element by element through its generic
 * value path, which cost ingest ~12 µs of Node per event over its ~15 columns.
 */
export function pgArray(values: readonly (string | number | boolean | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'string') out += '"' + (v.includes('"') || v.includes('\\') ? v.replace(/["\\]/g, '\\$&') : v) + '"';
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else out += String(v);
  }
  return out + '}';
}
