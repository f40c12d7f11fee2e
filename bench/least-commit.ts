import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { canonicalJson } from '../core/util/canonical-json';
import { uuidv7 } from '../core/util/ids';
import { percentile, round, timeBesideBare, type BenchResult } from './types';

/**
 * The least a sale commit could cost on this disk: the records written with nothing else
 * to do. No rules, no re-quote, no lots, no shift attribution, no triggers; every value (ids,
 * hashes, JSON) made before the transaction starts, so the timed part is SQLite inserting
 * prepared rows and the fsync. Measured beside the same bare one-row commit as the sale
 * (alternating, same file), so the ratio says whether *any* store that writes these records can
 * meet the "commit p99 ≤ 1.5 × bare p99" here, whatever its application code does.
 *
 * Four layouts, from what item 7 lists down to what no till would run:
 * - `tables`: sale, its lines, its payment, 3 ledger events with their outbox rows and the
 *   member's balance cache, each in its own table with only the keys a till cannot do without
 *   (sale by receipt and by id, ledger by seq, by id and by member): 9 B-trees;
 * - `inline`: the same with the lines and payments folded into the sale row as JSON: 6 B-trees;
 * - `journal`: the whole sale with its events as one row of an append-only journal (which would be
 *   its own outbox, read in order), a member-keyed entry to find the member's sales and the balance
 *   cache: 3 B-trees, the fewest a ledger with a balance cache and per-member history can write;
 * - `journal, timed with its hashing`: the same journal commit, with the work item 4 asks of every
 *   event (UUIDv7 ids, canonical JSON, the SHA-256 chain) done inside the timed part, as a commit
 *   must (the chain needs the head it extends): the least application work any sale does;
 * - `one row`: the whole sale as one row of one table, no ledger, no balance: 1 B-tree.
 *
 * Checkpoints run between the timed commits (RESTART every 250, so the WAL file is reused, not
 * grown): the floor is measured in the most favourable conditions the disk allows.
 */
const VERSION = 'v2';
const MEMBERS = 1_000_000;
const EVENTS = 2_000_000;
const CHECKPOINT_EVERY = 250;

type Layout = 'tables' | 'inline' | 'journal' | 'journal, timed with its hashing' | 'one row';
const LAYOUTS: readonly Layout[] = ['tables', 'inline', 'journal', 'journal, timed with its hashing', 'one row'];

const SCHEMA = `
  CREATE TABLE member_balance (member_id TEXT PRIMARY KEY, balance INTEGER NOT NULL, updated_seq INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE ledger_event (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, member_id TEXT, kind TEXT NOT NULL, delta INTEGER NOT NULL,
    sale_id TEXT, occurred_at TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
  CREATE INDEX ledger_event_member ON ledger_event (member_id, seq);
  CREATE TABLE outbox (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL);
  CREATE TABLE sale (receipt_no INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, member_id TEXT, occurred_at TEXT NOT NULL,
    total INTEGER NOT NULL, redeem_points INTEGER NOT NULL, earn_points INTEGER NOT NULL, detail TEXT);
  CREATE TABLE sale_line (receipt_no INTEGER NOT NULL, line_no INTEGER NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL,
    qty INTEGER NOT NULL, unit_price INTEGER NOT NULL, amount INTEGER NOT NULL, earned INTEGER NOT NULL, PRIMARY KEY (receipt_no, line_no)) WITHOUT ROWID;
  CREATE TABLE payment (receipt_no INTEGER NOT NULL, n INTEGER NOT NULL, method TEXT NOT NULL, amount INTEGER NOT NULL, PRIMARY KEY (receipt_no, n)) WITHOUT ROWID;
  CREATE TABLE sale_blob (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE journal_member (member_id TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (member_id, id)) WITHOUT ROWID;
  CREATE TABLE bare (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
`;

/** A member-keyed store of the bench's shape (random members, indexes grown by inserts), built once. */
function build(path: string): void {
  const tmp = path + '.building';
  for (const f of [tmp, tmp + '-wal', tmp + '-shm']) rmSync(f, { force: true });
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  db.exec(SCHEMA);
  const members = Array.from({ length: MEMBERS }, () => globalThis.crypto.randomUUID());
  const insBalance = db.prepare('INSERT INTO member_balance VALUES (?, 0, 0)');
  db.transaction(() => { for (const m of members) insBalance.run(m); })();
  const insEvent = db.prepare("INSERT INTO ledger_event VALUES (?, ?, ?, 'earn', 5, NULL, '2025-06-01T12:00:00.000Z', '{}', ?, ?)");
  const hash = 'f'.repeat(64);
  let rng = 0x2545f491;
  for (let start = 1; start <= EVENTS; start += 200_000) {
    db.transaction(() => {
      for (let seq = start; seq < Math.min(EVENTS + 1, start + 200_000); seq++) {
        rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5;
        insEvent.run(seq, uuidv7(Date.parse('2025-01-01T00:00:00Z') + seq), members[(rng >>> 0) % MEMBERS], hash, hash);
      }
    })();
  }
  db.close();
  renameSync(tmp, path);
}

/** One sale's rows, made before its transaction: what the timed part binds. */
type Prepared = Readonly<{
  receiptNo: number; saleId: string; memberId: string;
  events: ReadonlyArray<Readonly<{ seq: number; id: string; kind: string; delta: number; payload: string; prevHash: string; hash: string }>>;
  detail: string; body: string;
}>;

const LINES = [
  { lineNo: 1, sku: 'P1', name: 'Товар 1', category: 'Кофе', qty: 1, unitPrice: 5700, amount: 5700, earned: 285 },
  { lineNo: 2, sku: 'P2', name: 'Товар 2', category: 'Чай', qty: 2, unitPrice: 6400, amount: 12800, earned: 640 },
  { lineNo: 3, sku: 'P3', name: 'Товар 3', category: 'Выпечка', qty: 1, unitPrice: 7100, amount: 7100, earned: 355 },
];
const PAYMENTS = [{ method: 'points', amount: 1000 }, { method: 'card', amount: 24600 }];
/** The `inline` layout's lines and payments, the same for every sale here. */
const DETAIL = canonicalJson({ lines: LINES, payments: PAYMENTS });

export function leastCommit(outDir: string, n: number): BenchResult[] {
  const path = `${outDir}/least-commit-${VERSION}.db`;
  if (!existsSync(path)) build(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('cache_size = -200000');
  const members = db.prepare('SELECT member_id FROM member_balance LIMIT ? OFFSET ?').pluck().all(n + 200, Math.floor(Math.random() * (MEMBERS - n - 200))) as string[];
  const s = {
    sale: db.prepare('INSERT INTO sale VALUES (?, ?, ?, ?, 25600, 10, 1280, ?)'),
    line: db.prepare('INSERT INTO sale_line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    payment: db.prepare('INSERT INTO payment VALUES (?, ?, ?, ?)'),
    event: db.prepare("INSERT INTO ledger_event VALUES (?, ?, ?, ?, ?, ?, '2026-03-02T12:00:00+03:00', ?, ?, ?)"),
    outbox: db.prepare('INSERT INTO outbox VALUES (?, ?)'),
    balance: db.prepare('UPDATE member_balance SET balance = balance + ?, updated_seq = ? WHERE member_id = ?'),
    blob: db.prepare('INSERT INTO sale_blob (id, body) VALUES (?, ?)'),
    journalMember: db.prepare('INSERT INTO journal_member VALUES (?, ?)'),
  };
  const bare = db.prepare('INSERT INTO bare (v) VALUES (?)');
  /** The sale's events with their outbox rows, and the member's balance cache. */
  const ledgerRows = (p: Prepared): void => {
    for (const e of p.events) {
      s.event.run(e.seq, e.id, p.memberId, e.kind, e.delta, p.saleId, e.payload, e.prevHash, e.hash);
      s.outbox.run(e.seq, e.id);
    }
    s.balance.run(1270, p.events[2]!.seq, p.memberId);
  };
  const write: Record<Layout, (p: Prepared) => void> = {
    tables: db.transaction((p: Prepared) => {
      s.sale.run(p.receiptNo, p.saleId, p.memberId, '2026-03-02T12:00:00+03:00', null);
      for (const l of LINES) s.line.run(p.receiptNo, l.lineNo, l.sku, l.name, l.category, l.qty, l.unitPrice, l.amount, l.earned);
      PAYMENTS.forEach((m, i) => s.payment.run(p.receiptNo, i + 1, m.method, m.amount));
      ledgerRows(p);
    }).immediate,
    inline: db.transaction((p: Prepared) => {
      s.sale.run(p.receiptNo, p.saleId, p.memberId, '2026-03-02T12:00:00+03:00', p.detail);
      ledgerRows(p);
    }).immediate,
    journal: db.transaction((p: Prepared) => {
      const { lastInsertRowid } = s.blob.run(null, p.body);
      s.journalMember.run(p.memberId, lastInsertRowid);
      s.balance.run(1270, p.events[2]!.seq, p.memberId);
    }).immediate,
    'journal, timed with its hashing': (p: Prepared) => write.journal(p),
    'one row': db.transaction((p: Prepared) => void s.blob.run(null, p.body)).immediate,
  };
  let seq = (db.prepare('SELECT max(seq) FROM ledger_event').pluck().get() as number | null) ?? 0;
  let receiptNo = (db.prepare('SELECT max(receipt_no) FROM sale').pluck().get() as number | null) ?? 0;
  let head = 'a'.repeat(64);
  const chained = (memberId: string, saleId: string, kind: string, delta: number, payload: Readonly<Record<string, unknown>>) => {
    const e = { seq: ++seq, id: uuidv7(), kind, delta, memberId, saleId, occurredAt: '2026-03-02T12:00:00+03:00', payload: canonicalJson(payload) };
    const prevHash = head;
    head = createHash('sha256').update(prevHash + canonicalJson({ ...e, payload })).digest('hex');
    return { ...e, prevHash, hash: head };
  };
  const prepare = (memberId: string): Prepared => {
    const saleId = uuidv7();
    const events = [
      chained(memberId, saleId, 'sale', 0, { receiptNo: receiptNo + 1, currency: 'RUB', subtotal: 25600, total: 25600, toPay: 24600, redeemPoints: 10, lines: LINES, payments: PAYMENTS }),
      chained(memberId, saleId, 'redeem', -10, { reason: 'Оплата баллами', value: 1000 }),
      chained(memberId, saleId, 'earn', 1280, { reason: '5 % от оплаченного деньгами' }),
    ];
    return { receiptNo: ++receiptNo, saleId, memberId, events, detail: DETAIL, body: canonicalJson({ saleId, memberId, lines: LINES, payments: PAYMENTS, events }) };
  };

  const results: BenchResult[] = [];
  for (const layout of LAYOUTS) {
    db.pragma('wal_checkpoint(RESTART)');
    const inside = layout === 'journal, timed with its hashing';
    let p: Prepared | null = null;
    const { commits, bares } = timeBesideBare(
      n,
      200,
      (i) => write[layout](p ?? prepare(members[i % members.length]!)),
      () => bare.run('x'.repeat(64)),
      (i) => {
        if (i % CHECKPOINT_EVERY === 0) db.pragma('wal_checkpoint(RESTART)');
        p = inside ? null : prepare(members[i % members.length]!);
      },
    );
    // Pages one such commit appends to the WAL, counted.
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (let i = 0; i < 50; i++) write[layout](prepare(members[(i * 13) % members.length]!));
    const pages = statSync(path + '-wal').size / 50 / ((db.pragma('page_size', { simple: true }) as number) + 24);
    const c50 = percentile(commits, 50), c99 = percentile(commits, 99), b50 = percentile(bares, 50), b99 = percentile(bares, 99);
    results.push({
      name: `least commit, ${layout}: p99 / bare p99`, unit: '×', value: round(c99 / b99, 2),
      note: `p50 ${round(c50)} / p99 ${round(c99)} ms beside bare p50 ${round(b50)} / p99 ${round(b99)} ms (p50 / p50 ${round(c50 / b50, 2)}×); ${round(pages, 1)} WAL pages per commit; ${inside ? 'the inserts and the ids, canonical JSON and hash chain of its 3 events' : 'nothing but the inserts'}`,
    });
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return results;
}
