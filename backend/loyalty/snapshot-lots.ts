import { replayLots, type LedgerMove, type Lot, type LotReplay } from '../../core/loyalty/lots';
import { fail } from '../../core/util/errors';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

/**
 * A member's lots without replaying their whole history: the projection `loyalty_lot_state`
 * (migration 022) holds the replay's result up to `through_seq`, and only the member's events
 * after it are folded on top. Folding resumes exactly where a full replay would be, because the
 * replay's own output (open lots in seq order, plus debt) is all the state it carries forward:
 * a lot already used up behaves like no lot at all, and debt only exists when no lot is open.
 * lot-state.test.ts checks the two answers are equal after every kind of ledger movement.
 */

type MoveRow = { seq: number; id: string; kind: string; delta: number; ref_event_id: string | null; occurred_at: string; available_at: string | null; expires_at: string | null };
type StoredLot = [eventId: string, seq: number, points: number, remaining: number, availableAt: string, expiresAt: string | null];
type StateRow = { through_seq: number; debt: number; lots: string };

const MOVES = `SELECT e.seq, e.id, e.kind, e.delta, e.ref_event_id, e.occurred_at, l.available_at, l.expires_at
       FROM ledger_event e LEFT JOIN loyalty_lot l ON l.event_id = e.id
       WHERE e.member_id = ? AND e.delta <> 0`;

function toMoves(rows: readonly MoveRow[]): LedgerMove[] {
  return rows.map((r) => ({ seq: r.seq, eventId: r.id, kind: r.kind, delta: r.delta, refEventId: r.ref_event_id, occurredAt: r.occurred_at, availableAt: r.available_at, expiresAt: r.expires_at }));
}

/** Every point movement of a member with the lot policy recorded when it was earned. */
export function memberMoves(db: Db, memberId: string, beforeIso?: string): LedgerMove[] {
  const sql = `${MOVES} ${beforeIso ? 'AND julianday(e.occurred_at) < julianday(?)' : ''} ORDER BY e.seq`;
  return toMoves(stmt(db, sql).all(...(beforeIso ? [memberId, beforeIso] : [memberId])) as MoveRow[]);
}

function movesAfter(db: Db, memberId: string, afterSeq: number): LedgerMove[] {
  return toMoves(stmt(db, `${MOVES} AND e.seq > ? ORDER BY e.seq`).all(memberId, afterSeq) as MoveRow[]);
}

const toLot = (l: StoredLot): Lot => ({ eventId: l[0], seq: l[1], points: l[2], remaining: l[3], availableAt: l[4], expiresAt: l[5] });

/** The full replay from the ledger: the definition the projection must always agree with. */
export function replayMemberLots(db: Db, memberId: string, beforeIso?: string): LotReplay {
  return replayLots(memberMoves(db, memberId, beforeIso));
}

/**
 * A member's lots folded through `lastSeq`: `base` with the moves in `pending` still to apply
 * (applied when someone asks for the lots, so a projection save that has nothing to store yet
 * does not replay at all). `folded` = moves since the stored projection.
 */
type Fold = { base: LotReplay; pending: readonly LedgerMove[]; folded: readonly LedgerMove[]; lastSeq: number };

function replayOf(f: Fold): LotReplay {
  if (f.pending.length > 0) {
    f.base = resume(f.base, f.pending);
    f.pending = [];
  }
  return f.base;
}

/**
 * Resume a replay: the stored debt, then each open lot as a move of its remaining points, then
 * the newer events. Seq 0 is below every real seq (they start at 1).
 */
function resume(base: LotReplay, newer: readonly LedgerMove[]): LotReplay {
  if (newer.length === 0) return base;
  const seed: LedgerMove[] = base.debt > 0 ? [{ seq: 0, eventId: '', kind: 'debt', delta: -base.debt, refEventId: null, occurredAt: '2000-01-01T00:00:00Z' }] : [];
  for (const l of base.lots) seed.push({ seq: l.seq, eventId: l.eventId, kind: 'lot', delta: l.remaining, refEventId: null, occurredAt: l.availableAt, availableAt: l.availableAt, expiresAt: l.expiresAt });
  const r = replayLots([...seed, ...newer]);
  // A resumed lot opened with its remaining points; its size as earned is the base's.
  const points = new Map(base.lots.map((l) => [l.eventId, l.points]));
  return { lots: r.lots.map((l) => (points.has(l.eventId) ? { ...l, points: points.get(l.eventId)! } : l)), debt: r.debt };
}

const lastSeqOf = (moves: readonly LedgerMove[], from: number): number => (moves.length ? moves[moves.length - 1]!.seq : from);

/** The replay through the projection, and how many of the member's moves had to be folded on top. */
function foldFromStore(db: Db, memberId: string): Fold {
  const st = stmt(db, 'SELECT through_seq, debt, lots FROM loyalty_lot_state WHERE member_id = ?').get(memberId) as StateRow | undefined;
  if (!st) {
    const all = memberMoves(db, memberId);
    return { base: replayLots(all), pending: [], folded: all, lastSeq: lastSeqOf(all, 0) };
  }
  const stored = JSON.parse(st.lots) as StoredLot[];
  const newer = movesAfter(db, memberId, st.through_seq);
  return { base: { lots: stored.map(toLot), debt: st.debt }, pending: newer, folded: newer, lastSeq: lastSeqOf(newer, st.through_seq) };
}

/**
 * Folds already made in the current commit, per member. A sale folds its member's lots up to
 * three times (the quote's snapshot, expiry, the projection save) and only appends events in
 * between, so each later fold needs only the moves after the previous one. Lives exactly as long
 * as `withLotFolds`' callback, which runs inside one write transaction: nobody else can append,
 * and this connection only appends after the seqs already folded.
 */
const folds = new WeakMap<Db, Map<string, Fold>>();

export function withLotFolds<T>(db: Db, fn: () => T): T {
  if (!db.inTransaction) fail('INTERNAL', 'withLotFolds must run inside the write transaction');
  if (folds.has(db)) return fn();
  folds.set(db, new Map());
  try {
    return fn();
  } finally {
    folds.delete(db);
  }
}

function foldedLots(db: Db, memberId: string): Fold {
  const memo = folds.get(db);
  const prior = memo?.get(memberId);
  let f: Fold;
  if (prior) {
    const newer = movesAfter(db, memberId, prior.lastSeq);
    f = newer.length === 0 ? prior : { base: prior.base, pending: [...prior.pending, ...newer], folded: [...prior.folded, ...newer], lastSeq: lastSeqOf(newer, prior.lastSeq) };
  } else {
    f = foldFromStore(db, memberId);
  }
  memo?.set(memberId, f);
  return f;
}

/** Lots of a member now (or as of `beforeIso`, which always replays: the projection is "now" only). */
export function memberLots(db: Db, memberId: string, beforeIso?: string): LotReplay {
  if (beforeIso) return replayMemberLots(db, memberId, beforeIso);
  return replayOf(foldedLots(db, memberId));
}

/**
 * Store the member's lots as of their latest move whenever this transaction folded any moves
 * (their first sale, and every sale that earned or spent points). A sale then reads one row and
 * finds no newer moves, instead of reading the events since an older state back from the ledger:
 * on a till with years of history those are scattered rows, each a page that is often not in
 * memory, and the read sits inside the sale's write transaction. The row rewritten is the one
 * just read, so it costs one page in the WAL. Called at the end of the sale transaction, when
 * every event it appended has its lot policy recorded: a positive event folded before its policy
 * row exists would be stored as "spendable at once, never expires". Other writers (refunds,
 * expiry, staff actions) need not call it; their events are folded on read.
 */
export function saveMemberLots(db: Db, memberId: string): void {
  if (!db.inTransaction) fail('INTERNAL', 'saveMemberLots must run inside the transaction that wrote the events');
  const f = foldedLots(db, memberId);
  const { folded } = f;
  if (folded.length === 0) return;
  const replay = replayOf(f);
  const through = folded[folded.length - 1]!.seq;
  const lots: StoredLot[] = replay.lots.map((l) => [l.eventId, l.seq, l.points, l.remaining, l.availableAt, l.expiresAt]);
  stmt(db,
    `INSERT INTO loyalty_lot_state (member_id, through_seq, debt, lots) VALUES (?, ?, ?, ?)
     ON CONFLICT (member_id) DO UPDATE SET through_seq = excluded.through_seq, debt = excluded.debt, lots = excluded.lots`,
  ).run(memberId, through, replay.debt, JSON.stringify(lots));
  folds.get(db)?.set(memberId, { base: replay, pending: [], folded: [], lastSeq: f.lastSeq });
}
