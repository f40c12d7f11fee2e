import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { chainPreimage, GENESIS_HASH, type LedgerEvent, type LedgerKind } from '../core/ledger/event';
import { uuidv7 } from '../core/util/ids';
import type { MemberSnapshotWire, PullResponse, PushRequest } from '../core/sync/protocol';
import { openPglite, openPostgres, type ServerDb } from './db/database';
import { migrateServer } from './db/migrate';

/**
 * A fresh, migrated server database for one test file: on PostgreSQL (TEST_DATABASE_URL) a new
 * database created for this run and dropped by cleanup(); otherwise an in-memory PGlite.
 */
export type TestServerDb = Readonly<{ db: ServerDb; url: string | null; cleanup(): Promise<void>; dump(): Promise<string> }>;

export async function createTestServerDb(opts: Readonly<{ isolation?: 'serializable'; max?: number; migrateUpTo?: number }> = {}): Promise<TestServerDb> {
  const base = process.env.TEST_DATABASE_URL;
  let db: ServerDb;
  let url: string | null = null;
  let drop = async () => {};
  if (base) {
    const name = `kopilka_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = '/' + name;
    url = u.toString();
    db = openPostgres({ connectionString: url, max: opts.max ?? 6, ...(opts.isolation ? { isolation: opts.isolation } : {}) });
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    db = await openPglite();
  }
  await migrateServer(db, opts.migrateUpTo === undefined ? {} : { upTo: opts.migrateUpTo });
  return {
    db,
    url,
    async cleanup() {
      await db.close();
      await drop();
    },
    dump: () => dumpServer(db),
  };
}

/** Every row of every table, sorted, as text: proves a refused request changed nothing. */
export async function dumpServer(db: ServerDb): Promise<string> {
  const tables = (await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);
  const parts: string[] = [];
  for (const t of tables) {
    const rows = (await db.query(`SELECT * FROM "${t}"`)).rows.map((r) => JSON.stringify(r)).sort();
    parts.push(`## ${t} (${rows.length})\n${rows.join('\n')}`);
  }
  return parts.join('\n');
}

/** An in-memory till that mints correctly chained events (server tests that need no SQLite). */
export class ChainWriter {
  seq = 0;
  head = GENESIS_HASH;
  readonly events: LedgerEvent[] = [];
  constructor(readonly terminalId: string = uuidv7()) {}
  add(kind: LedgerKind, memberId: string | null, delta: number, extra: Partial<Pick<LedgerEvent, 'saleId' | 'refEventId' | 'payload' | 'programVersion' | 'occurredAt'>> = {}): LedgerEvent {
    this.seq += 1;
    const unhashed = {
      id: uuidv7(),
      terminalId: this.terminalId,
      seq: this.seq,
      kind,
      memberId,
      delta,
      saleId: extra.saleId ?? null,
      refEventId: extra.refEventId ?? null,
      occurredAt: extra.occurredAt ?? new Date().toISOString(),
      programVersion: extra.programVersion ?? null,
      payload: extra.payload ?? {},
      prevHash: this.head,
    };
    const hash = createHash('sha256').update(chainPreimage(unhashed), 'utf8').digest('hex');
    // Written out rather than spread: a spread copy is a slow-properties object, unlike the
    // parsed JSON the server gets from a real till, and made ingest look slower than it is.
    const u = unhashed;
    const e: LedgerEvent = {
      id: u.id, terminalId: u.terminalId, seq: u.seq, kind: u.kind, memberId: u.memberId, delta: u.delta, saleId: u.saleId, refEventId: u.refEventId,
      occurredAt: u.occurredAt, programVersion: u.programVersion, payload: u.payload, prevHash: u.prevHash, hash,
    };
    this.head = hash;
    this.events.push(e);
    return e;
  }
  batch(events: readonly LedgerEvent[], batchId: string = uuidv7(), clientTime = new Date().toISOString()): PushRequest {
    return { batchId, fromSeq: events[0]!.seq, toSeq: events[events.length - 1]!.seq, prevHash: events[0]!.prevHash, events, clientTime };
  }
}

/** Register a till directly in the database (tests that exercise ingest without HTTP). */
export async function provisionTill(db: ServerDb, shop = 'Test shop', terminalId: string = uuidv7()): Promise<{ terminalId: string; shopId: string; secret: string }> {
  const { createProvisioningCode, registerTerminal } = await import('./auth');
  const code = await createProvisioningCode(db, shop);
  const r = await registerTerminal(db, { code: code.code, terminalId, name: 'till' });
  return { terminalId, shopId: r.shopId, secret: r.secret };
}

/** Every page of a pull from `from` (or from the start) to the end: the members in order and the last cursor. */
export async function pullAll(pull: (cursor: string | undefined) => Promise<PullResponse>, from?: string): Promise<{ members: MemberSnapshotWire[]; cursor: string }> {
  const members: MemberSnapshotWire[] = [];
  let cursor = from;
  for (;;) {
    const page = await pull(cursor);
    members.push(...page.members);
    cursor = page.nextCursor;
    if (!page.hasMore) return { members, cursor };
  }
}
