import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/util/canonical-json';
import { fail } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';
import { chainPreimage, GENESIS_HASH, LEDGER_KINDS, type LedgerEvent, type LedgerKind, type UnhashedEvent } from '../../core/ledger/event';
import { terminalId } from './connection';
import type { Db } from './types';

/** What a use case hands to the ledger; id, seq, terminal and hashes are filled in here. */
export type NewEvent = Readonly<{
  kind: LedgerKind;
  memberId: string | null;
  delta: number;
  saleId?: string | null;
  refEventId?: string | null;
  occurredAt: string;
  programVersion?: number | null;
  payload?: Readonly<Record<string, unknown>>;
}>;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function hashEvent(e: UnhashedEvent): string {
  return sha256Hex(chainPreimage(e));
}

type Stmts = {
  head: { get(): unknown };
  insert: { run(...a: unknown[]): unknown };
  outbox: { run(...a: unknown[]): unknown };
  balance: { run(...a: unknown[]): unknown };
};
const stmtCache = new WeakMap<Db, Stmts>();
function stmts(db: Db): Stmts {
  let s = stmtCache.get(db);
  if (!s) {
    s = {
      head: db.prepare('SELECT seq, hash FROM ledger_event ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, sale_id, ref_event_id, occurred_at, program_version, payload, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      outbox: db.prepare('INSERT INTO outbox (seq, event_id) VALUES (?, ?)'),
      balance: db.prepare(
        `INSERT INTO member_balance (member_id, balance, updated_seq) VALUES (?, ?, ?)
         ON CONFLICT (member_id) DO UPDATE SET balance = balance + excluded.balance, updated_seq = excluded.updated_seq`,
      ),
    };
    stmtCache.set(db, s);
  }
  return s;
}

const jsonOrNull = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/**
 * `chainPreimage(e)` spelled out with the payload's canonical JSON already in hand: the commit
 * path stores that same text in the row, so serialising the payload once instead of twice.
 * Keys are in code-unit order as canonicalJson sorts them; ledger.test.ts checks the two agree.
 */
export function preimageWithPayload(e: UnhashedEvent, payloadJson: string): string {
  if (!Number.isSafeInteger(e.seq)) throw new Error(`canonicalJson: non-integer number ${e.seq}`);
  if (e.programVersion !== null && !Number.isSafeInteger(e.programVersion)) throw new Error(`canonicalJson: non-integer number ${e.programVersion}`);
  return (
    e.prevHash + '{"delta":' + String(e.delta) + ',"id":' + JSON.stringify(e.id) + ',"kind":' + JSON.stringify(e.kind) + ',"memberId":' + jsonOrNull(e.memberId) +
    ',"occurredAt":' + JSON.stringify(e.occurredAt) + ',"payload":' + payloadJson + ',"programVersion":' + (e.programVersion === null ? 'null' : String(e.programVersion)) +
    ',"refEventId":' + jsonOrNull(e.refEventId) + ',"saleId":' + jsonOrNull(e.saleId) + ',"seq":' + String(e.seq) + ',"terminalId":' + JSON.stringify(e.terminalId) + '}'
  );
}

export function ledgerHead(db: Db): { seq: number; hash: string } {
  const row = stmts(db).head.get() as { seq: number; hash: string } | undefined;
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Append events to the ledger inside the caller's transaction: next gap-free seq, UUIDv7 id,
 * hash chained to the previous row, an outbox row for sync and the member's balance cache.
 * Called outside a transaction it refuses, because the whole point is that a sale and its
 * events commit or vanish together.
 */
export function appendEvents(db: Db, events: readonly NewEvent[]): LedgerEvent[] {
  if (!db.inTransaction) fail('INTERNAL', 'appendEvents must run inside the transaction that records the business fact');
  if (events.length === 0) return [];
  const s = stmts(db);
  const term = terminalId(db);
  let { seq, hash: prev } = ledgerHead(db);
  const out: LedgerEvent[] = [];
  const moved = new Map<string, { delta: number; seq: number }>();
  for (const e of events) {
    if (!LEDGER_KINDS.includes(e.kind)) fail('INTERNAL', `Unknown ledger event kind ${String(e.kind)}`);
    if (!Number.isSafeInteger(e.delta)) fail('VALIDATION', `A point movement must be a whole number, got ${e.delta}`);
    seq += 1;
    const unhashed: UnhashedEvent = {
      id: uuidv7(),
      terminalId: term,
      seq,
      kind: e.kind,
      memberId: e.memberId ?? null,
      delta: e.delta,
      saleId: e.saleId ?? null,
      refEventId: e.refEventId ?? null,
      occurredAt: e.occurredAt,
      programVersion: e.programVersion ?? null,
      payload: e.payload ?? {},
      prevHash: prev,
    };
    const payloadJson = canonicalJson(unhashed.payload);
    const hash = sha256Hex(preimageWithPayload(unhashed, payloadJson));
    s.insert.run(
      seq, unhashed.id, term, unhashed.kind, unhashed.memberId, unhashed.delta, unhashed.saleId, unhashed.refEventId,
      unhashed.occurredAt, unhashed.programVersion, payloadJson, prev, hash,
    );
    s.outbox.run(seq, unhashed.id);
    if (unhashed.memberId !== null) {
      const b = moved.get(unhashed.memberId);
      if (b) {
        b.delta += unhashed.delta;
        b.seq = seq;
      } else moved.set(unhashed.memberId, { delta: unhashed.delta, seq });
    }
    out.push({ ...unhashed, hash });
    prev = hash;
  }
  // One balance write per member, not per event (a sale's sale/redeem/earn are one member's):
  // the same sum and last seq as event-by-event, in fewer statements.
  for (const [memberId, b] of moved) s.balance.run(memberId, b.delta, b.seq);
  return out;
}

export type LedgerRow = {
  seq: number; id: string; terminal_id: string; kind: string; member_id: string | null; delta: number;
  sale_id: string | null; ref_event_id: string | null; occurred_at: string; program_version: number | null;
  payload: string; prev_hash: string; hash: string;
};

export function rowToEvent(r: LedgerRow): LedgerEvent {
  return {
    id: r.id,
    terminalId: r.terminal_id,
    seq: r.seq,
    kind: r.kind as LedgerKind,
    memberId: r.member_id,
    delta: r.delta,
    saleId: r.sale_id,
    refEventId: r.ref_event_id,
    occurredAt: r.occurred_at,
    programVersion: r.program_version,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function balanceOf(db: Db, memberId: string): number {
  const row = db.prepare('SELECT balance FROM member_balance WHERE member_id = ?').get(memberId) as { balance: number } | undefined;
  return row?.balance ?? 0;
}

export type VerifyProblem = Readonly<{
  code: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'bad_payload' | 'balance_mismatch' | 'unknown_kind';
  seq: number | null;
  memberId?: string;
  message: string;
}>;
export type VerifyReport = Readonly<{
  ok: boolean;
  events: number;
  members: number;
  headSeq: number;
  headHash: string;
  problem: VerifyProblem | null;
}>;

/**
 * Re-check the whole ledger from genesis: seqs 1..n with no gaps, each prev_hash equal to the
 * previous row's hash, each hash recomputed from the stored fields, and every member's cached
 * balance equal to Σ delta. Stops at (and reports) the first bad row.
 */
export function verifyLedger(db: Db): VerifyReport {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  const sums = new Map<string, number>();
  let events = 0;
  const bad = (problem: VerifyProblem): VerifyReport => ({ ok: false, events, members: sums.size, headSeq: expectedSeq - 1, headHash: prev, problem });
  const it = db.prepare('SELECT * FROM ledger_event ORDER BY seq').iterate() as IterableIterator<LedgerRow>;
  for (const r of it) {
    if (r.seq !== expectedSeq) return bad({ code: 'seq_gap', seq: r.seq, message: `Event seq ${r.seq} follows ${expectedSeq - 1}: events are missing or reordered` });
    if (r.prev_hash !== prev) return bad({ code: 'prev_hash_mismatch', seq: r.seq, message: `Event ${r.seq} does not chain to event ${r.seq - 1}` });
    if (!(LEDGER_KINDS as readonly string[]).includes(r.kind)) return bad({ code: 'unknown_kind', seq: r.seq, message: `Event ${r.seq} has unknown kind ${r.kind}` });
    let ev: LedgerEvent;
    try {
      ev = rowToEvent(r);
    } catch {
      return bad({ code: 'bad_payload', seq: r.seq, message: `Event ${r.seq} payload is not JSON` });
    }
    const { hash: _h, ...unhashed } = ev;
    let recomputed: string;
    try {
      recomputed = hashEvent(unhashed);
    } catch {
      return bad({ code: 'bad_payload', seq: r.seq, message: `Event ${r.seq} payload is not canonical (non-integer number?)` });
    }
    if (recomputed !== r.hash) return bad({ code: 'hash_mismatch', seq: r.seq, message: `Event ${r.seq} was altered after it was written (hash does not match its contents)` });
    if (r.member_id !== null) sums.set(r.member_id, (sums.get(r.member_id) ?? 0) + r.delta);
    prev = r.hash;
    expectedSeq++;
    events++;
  }
  const cached = db.prepare('SELECT member_id, balance FROM member_balance').all() as { member_id: string; balance: number }[];
  const seen = new Set<string>();
  for (const c of cached) {
    seen.add(c.member_id);
    const sum = sums.get(c.member_id) ?? 0;
    if (sum !== c.balance) return bad({ code: 'balance_mismatch', seq: null, memberId: c.member_id, message: `Member ${c.member_id}: cached balance ${c.balance} ≠ ledger sum ${sum}` });
  }
  for (const [m, sum] of sums) {
    if (!seen.has(m) && sum !== 0) return bad({ code: 'balance_mismatch', seq: null, memberId: m, message: `Member ${m}: no cached balance but ledger sum ${sum}` });
  }
  return { ok: true, events, members: sums.size, headSeq: expectedSeq - 1, headHash: prev, problem: null };
}
