import type { LedgerEvent } from '../ledger/event';

/**
 * The wire protocol between a till and the chain server (research/sync.md §2). Shared by
 * server/ and backend/sync so both sides agree on names. All numbers are integers.
 */
export const PROTOCOL_VERSION = 1;
export const MAX_BATCH_EVENTS = 500;

export type RegisterRequest = Readonly<{ code: string; terminalId: string; name: string }>;
export type RegisterResponse = Readonly<{ terminalId: string; secret: string; shopId: string; shopName: string }>;

export type PushRequest = Readonly<{
  batchId: string;
  fromSeq: number;
  toSeq: number;
  prevHash: string;
  events: readonly LedgerEvent[];
  clientTime: string; // the till's wall clock, ISO: only for drift detection, never for ordering
}>;

/**
 * Per-event outcome. `accepted`/`duplicate` are success (a replay is fine); `conflict`,
 * `seq_reused`, `gap`, `chain_mismatch` are integrity failures that quarantine the till;
 * `not_processed` follows an integrity failure in the same batch.
 */
export type EventStatus = 'accepted' | 'duplicate' | 'conflict' | 'seq_reused' | 'gap' | 'chain_mismatch' | 'not_processed';

/** A server ledger entry the till should know about (a correction of its own event, a settlement). */
export type ServerEntry = Readonly<{
  entryId: string;
  memberId: string;
  kind: 'correction' | 'overdraft_settle' | 'hold_post';
  delta: number;
  refEventId: string | null;
  reason: string;
}>;

export type EventResult = Readonly<{
  eventId: string;
  seq: number;
  status: EventStatus;
  expected?: number;
  /** Position of the event in the request's `events` (servers that list only non-accepted events). */
  index?: number;
  /** Older servers only: entries now come in PushResponse.serverEntries. */
  serverEntries?: readonly ServerEntry[];
}>;

/**
 * The answer to a push. Current servers list in `results` only the events whose status is not
 * `accepted` (each with its `index` in the request) and give `accepted`, the number of accepted
 * events: every event of the request not listed was accepted (`outcomesOf` spells that out).
 * A 500-event batch that went well thus answers in a few hundred bytes instead of ~45 KB, and
 * the server stores that copy for replay. Older servers (and their stored replays) omit
 * `accepted` and list every event, with server entries nested in the results.
 */
export type PushResponse = Readonly<{
  ackedThroughSeq: number;
  chainHead: string;
  appliedThroughSeq: number;
  terminalStatus: 'active' | 'quarantined' | 'revoked';
  results: readonly EventResult[];
  accepted?: number;
  /** Server entries about this batch's accepted events (corrections, settlements), in event order. */
  serverEntries?: readonly ServerEntry[];
  serverTime: string;
  clockOffsetMs: number;
  clockDrift: boolean;
}>;

/** Every event's outcome, in request order, from either form of the answer. */
export function outcomesOf(events: readonly Pick<LedgerEvent, 'id' | 'seq'>[], r: PushResponse): EventResult[] {
  if (r.accepted === undefined) return [...r.results];
  const listed = new Map<number, EventResult>();
  for (const x of r.results) if (x.index !== undefined) listed.set(x.index, x);
  if (listed.size !== r.results.length || listed.size + r.accepted !== events.length) {
    throw new Error(`The push answer does not cover the request: ${r.accepted} accepted + ${r.results.length} listed for ${events.length} events`);
  }
  return events.map((e, i) => listed.get(i) ?? { eventId: e.id, seq: e.seq, status: 'accepted' });
}

/** The server entries of a push answer, from either form. */
export function serverEntriesOf(r: PushResponse): readonly ServerEntry[] {
  return r.serverEntries ?? r.results.flatMap((x) => x.serverEntries ?? []);
}

export type MemberSnapshotWire = Readonly<{
  memberId: string;
  balance: number;
  held: number;
  available: number; // balance − held
  debt: number;
  tier: string | null;
  stamps: number;
  blocked: boolean;
  offlineRedeemAllowed: boolean;
  offlineAllowance: number; // points redeemable offline for this member until the next pull
  version: string; // opaque (partition:position)
  /** Earned points not yet spendable at serverTime (included in balance, excluded from offlineAllowance). Absent from older servers. */
  pending?: number;
  /** The chain-wide tier, stamp cards and pending lots (server/projections.ts). Absent from older servers. */
  loyalty?: ChainLoyaltyWire;
}>;

/** Projected from every till's sale facts with core/loyalty's rules; times are ISO. */
export type ChainLoyaltyWire = Readonly<{
  asOf: string;
  programVersion: number | null;
  tier: Readonly<{ levelId: string; reviewAt: string }> | null; // the stored state (as a till's loyalty_tier)
  windowSpend: number; // qualifying spend over the rolling window at asOf
  lifetimeSpend: number;
  stamps: Readonly<Record<string, Readonly<{ count: number; lastAt: string | null }>>>;
  /** Lots still pending at asOf; `terminalId` + `fromTill` let the till that earned them skip its own (it has them as lots). */
  pendingLots: readonly Readonly<{ points: number; availableAt: string; terminalId: string | null; fromTill: boolean }>[];
}>;

export type OfflinePolicy = Readonly<{
  maxSnapshotAgeSeconds: number; // older snapshot → no offline redemption
  perSaleCap: number; // points per sale while offline
  perMemberCap: number; // points per member per offline period on one till
  allowanceShareBps: number; // allowance = min(perMemberCap, share × available)
}>;

export type PullResponse = Readonly<{
  members: readonly MemberSnapshotWire[];
  program: Readonly<{ version: number; program: unknown }> | null;
  policy: OfflinePolicy;
  ackedThroughSeq: number;
  appliedThroughSeq: number;
  nextCursor: string;
  hasMore: boolean;
  serverTime: string;
}>;

export type HoldRequest = Readonly<{ holdId: string; memberId: string; points: number; ttlSeconds?: number }>;
export type HoldResponse = Readonly<{ holdId: string; memberId: string; points: number; status: 'pending' | 'posted' | 'voided' | 'expired'; expiresAt: string; available: number }>;

export type ErrorBody = Readonly<{ error: Readonly<{ code: string; message: string; details?: Record<string, unknown> }> }>;
