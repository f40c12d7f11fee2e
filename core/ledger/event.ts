import { canonicalJson } from '../util/canonical-json';

/**
 * The terminal's append-only event log. Every row is one immutable fact; corrections are new
 * events referencing the original (`refEventId`). Point movements carry `delta` (integer
 * points, signed); facts without a point movement (a sale, a member enrolment) carry 0.
 *
 * Invariant: for every member, balance == Σ delta over their events.
 * Chain: hash = sha256(prevHash ‖ canonicalJson(event without hash)), per terminal, genesis
 * prevHash = '' (see ../shared/research/sync.md §2.1, §2.6).
 */
export const LEDGER_KINDS = [
  'sale', // the sale's facts (lines, totals, payments digest), delta 0
  'earn', // points earned on a sale
  'redeem', // points spent on a sale (negative delta)
  'earn_reversal', // clawback of earned points on a refund/void (negative)
  'redeem_reversal', // restore of redeemed points on a refund/void (positive)
  'refund', // the refund's facts, delta 0
  'bonus', // welcome / birthday / referral / staff-recorded action
  'adjust', // manual manager adjustment with a reason
  'expire', // points expiring (negative)
  'member_create', // enrolment (no personal data: that lives in the member table)
  'correction', // server-issued correction flowing back to the till
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export type LedgerEvent = Readonly<{
  id: string; // UUIDv7
  terminalId: string;
  seq: number; // gap-free per terminal, starting at 1
  kind: LedgerKind;
  memberId: string | null;
  delta: number; // integer points
  saleId: string | null;
  refEventId: string | null;
  occurredAt: string; // business time, ISO 8601 with offset (from --at or the clock)
  programVersion: number | null;
  payload: Readonly<Record<string, unknown>>; // JSON-safe, integers only
  prevHash: string;
  hash: string;
}>;

export type UnhashedEvent = Omit<LedgerEvent, 'hash'>;

/** The exact string whose SHA-256 is the event's hash. Hashing itself is done by the host (node:crypto / WebCrypto). */
export function chainPreimage(event: UnhashedEvent): string {
  const { prevHash, ...rest } = event;
  return prevHash + canonicalJson(rest);
}

export const GENESIS_HASH = '';
