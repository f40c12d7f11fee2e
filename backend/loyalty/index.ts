/**
 * The seam between checkout and the loyalty rules. Checkout asks for a member's snapshot
 * before quoting and hands the committed sale back so rule state (tiers, stamps, lots,
 * campaign usage) can be recorded in the same transaction. The loyalty-rules work owns this
 * folder and grows both functions; checkout only calls them.
 *
 * FIRST VERSIONS written by the terminal core so checkout works end to end:
 * - loadMemberSnapshot = the cached balance, nothing else;
 * - recordLoyaltyEffects = no-op (the ledger events earn/redeem are written by checkout itself);
 * - the active program = highest stored version, or DEFAULT_PROGRAM (version null) when none is stored.
 */
import { DEFAULT_PROGRAM, parseProgram, type Program } from '../../core/loyalty/program';
import type { MemberSnapshot, Quote } from '../../core/loyalty/quote';
import type { LedgerEvent } from '../../core/ledger/event';
import type { Db } from '../db/types';

export type { MemberSnapshot } from '../../core/loyalty/quote';

export function loadMemberSnapshot(db: Db, memberId: string, _atIso: string): MemberSnapshot {
  const row = db.prepare('SELECT balance FROM member_balance WHERE member_id = ?').get(memberId) as { balance: number } | undefined;
  return { id: memberId, balance: row?.balance ?? 0 };
}

export type ActiveProgram = Readonly<{ version: number | null; program: Program }>;

export function loadActiveProgram(db: Db, atIso: string): ActiveProgram {
  const row = db
    .prepare('SELECT version, body FROM program WHERE active_from <= ? ORDER BY version DESC LIMIT 1')
    .get(atIso) as { version: number; body: string } | undefined;
  if (!row) return { version: null, program: DEFAULT_PROGRAM };
  return { version: row.version, program: parseProgram(JSON.parse(row.body)) };
}

/** Store a new program version (validated); returns its version number. Old versions stay. */
export function saveProgram(db: Db, input: unknown, activeFrom: string, note = ''): number {
  const program = parseProgram(input);
  const next = ((db.prepare('SELECT max(version) FROM program').pluck().get() as number | null) ?? 0) + 1;
  db.prepare('INSERT INTO program (version, body, active_from, created_at, note) VALUES (?, ?, ?, ?, ?)').run(
    next, JSON.stringify(program), activeFrom, new Date().toISOString(), note,
  );
  return next;
}

export type SaleEffectsInput = Readonly<{
  saleId: string;
  memberId: string | null;
  occurredAt: string;
  quote: Quote;
  events: readonly LedgerEvent[];
}>;

/** Called inside the checkout transaction after the sale and its ledger events are written. */
export function recordLoyaltyEffects(_db: Db, _input: SaleEffectsInput): void {
  // Intentionally empty in the first version: see the file comment.
}
