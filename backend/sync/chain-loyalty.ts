import { epoch, plusDays } from '../../core/loyalty/calendar';
import { replayLots, summarizeLots } from '../../core/loyalty/lots';
import type { Program } from '../../core/loyalty/program';
import type { MemberSnapshot, StampState } from '../../core/loyalty/quote';
import { inScope } from '../../core/loyalty/scope';
import type { ChainLoyaltyWire, MemberSnapshotWire } from '../../core/sync/protocol';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

/**
 * The chain's tier, stamp cards and pending points on a registered till. The server projects
 * them from every till's pushed facts (server/projections.ts) as of the pull; this till adds its
 * own sales recorded after the pull's `asOfSeq` (the server had not seen them), so nothing is
 * counted twice (sales ≤ asOfSeq are in the chain's figures) or lost (later ones are added here).
 * Pending points: this till's own lots are authoritative for what it earned (pushed or not);
 * the chain's lot list supplies everything else (other tills, server recomputations).
 */

/** What applyPull stores per member: the wire projection and the local seq it includes. */
type Stored = ChainLoyaltyWire & { asOfSeq: number };

/** Called by applyPull for every pulled member, inside its transaction. */
export function storeChainLoyalty(db: Db, m: MemberSnapshotWire, asOfSeq: number): void {
  const loyalty = m.loyalty ? JSON.stringify({ ...m.loyalty, asOfSeq } satisfies Stored) : null;
  stmt(db, 'UPDATE sync_member_snapshot SET pending = ?, loyalty = ? WHERE member_id = ?').run(Math.max(0, m.pending ?? 0), loyalty, m.memberId);
}

function stored(db: Db, memberId: string): { pending: number; loyalty: Stored | null } | undefined {
  const r = stmt(db, 'SELECT pending, loyalty FROM sync_member_snapshot WHERE member_id = ?').get(memberId) as { pending: number; loyalty: string | null } | undefined;
  if (!r) return undefined;
  let loyalty: Stored | null = null;
  try {
    loyalty = r.loyalty ? (JSON.parse(r.loyalty) as Stored) : null;
  } catch {
    loyalty = null; // the CHECK keeps it JSON; a shape from a future server is ignored, not fatal
  }
  return { pending: r.pending, loyalty };
}

/** Whether this till is registered with a chain server. Checked on every member quote and sale: a cached point lookup. */
export function isChainTill(db: Db): boolean {
  return stmt(db, 'SELECT 1 FROM sync_credential WHERE id = 1').get() !== undefined;
}

function ownTerminalId(db: Db): string | null {
  return (stmt(db, 'SELECT terminal_id FROM sync_credential WHERE id = 1').pluck().get() as string | undefined) ?? null;
}

/**
 * Chain points not spendable at `atIso` that this till's own lots do not already count: lots
 * earned at other tills or added by the server, still pending then. A snapshot from a server
 * without lots falls back to its `pending` figure (conservative: may include our own).
 */
export function chainPendingElsewhere(db: Db, memberId: string, atIso: string): number {
  const s = stored(db, memberId);
  if (!s) return 0;
  if (!s.loyalty || !Array.isArray(s.loyalty.pendingLots)) return s.pending;
  const own = ownTerminalId(db);
  const at = epoch(atIso)!;
  let sum = 0;
  for (const l of s.loyalty.pendingLots) {
    if (l.fromTill && l.terminalId === own) continue;
    const t = epoch(l.availableAt);
    if (t !== null && t > at && Number.isSafeInteger(l.points) && l.points > 0) sum += l.points;
  }
  return sum;
}

/** This till's own points still pending at `atIso` (its lots replayed from the ledger, as the checkout does). */
export function localPending(db: Db, memberId: string, atIso: string): number {
  const rows = stmt(db,
    `SELECT e.seq, e.id, e.kind, e.delta, e.ref_event_id, e.occurred_at, l.available_at, l.expires_at
       FROM ledger_event e LEFT JOIN loyalty_lot l ON l.event_id = e.id
      WHERE e.member_id = ? AND e.delta <> 0 ORDER BY e.seq`,
  ).all(memberId) as { seq: number; id: string; kind: string; delta: number; ref_event_id: string | null; occurred_at: string; available_at: string | null; expires_at: string | null }[];
  const moves = rows.map((r) => ({ seq: r.seq, eventId: r.id, kind: r.kind, delta: r.delta, refEventId: r.ref_event_id, occurredAt: r.occurred_at, availableAt: r.available_at, expiresAt: r.expires_at }));
  return summarizeLots(replayLots(moves), atIso).pending;
}

type LocalSale = { id: string; total: number; occurred_at: string };

/** This till's member sales the pulled projection does not include yet (recorded after asOfSeq). */
function salesSince(db: Db, memberId: string, asOfSeq: number): LocalSale[] {
  return stmt(db,
    `SELECT s.id, s.total, s.occurred_at FROM ledger_event e JOIN sale s ON s.id = e.sale_id
      WHERE e.member_id = ? AND e.kind = 'sale' AND e.seq > ? ORDER BY e.seq`,
  ).all(memberId, asOfSeq) as LocalSale[];
}

/** Qualifying spend of this till's sales and refunds after asOfSeq whose sale lies in (sinceMs, atMs] (as backend/loyalty/spend.ts counts it). */
function localSpendSince(db: Db, program: Program, memberId: string, asOfSeq: number, sinceMs: number | null, atMs: number): number {
  const inRange = (iso: string) => {
    const t = epoch(iso)!;
    return t <= atMs && (sinceMs === null || t > sinceMs);
  };
  let spend = 0;
  const gs = program.giftCertificates.scope;
  const giftLines = stmt(db, 'SELECT product_id, sku, category, amount, discount FROM sale_line WHERE sale_id = ?');
  for (const s of salesSince(db, memberId, asOfSeq)) {
    if (!inRange(s.occurred_at)) continue;
    spend += s.total;
    if (gs.categories.length + gs.products.length > 0) {
      for (const l of giftLines.all(s.id) as { product_id: string; sku: string; category: string; amount: number; discount: number }[]) {
        if (inScope(gs, { productId: l.product_id, sku: l.sku, category: l.category })) spend -= l.amount - l.discount;
      }
    }
  }
  const refunds = stmt(db,
    `SELECT r.amount, s.occurred_at FROM ledger_event e JOIN refund r ON r.id = json_extract(e.payload, '$.refundId') JOIN sale s ON s.id = r.sale_id
      WHERE e.member_id = ? AND e.kind = 'refund' AND e.seq > ?`,
  ).all(memberId, asOfSeq) as { amount: number; occurred_at: string }[];
  for (const r of refunds) if (inRange(r.occurred_at)) spend -= r.amount;
  return spend;
}

/**
 * Stamp cards: the chain's as of the pull, plus what this till's later sales gave and took (a
 * reward consumes `goal` stamps), minus the in-scope units its later refunds returned (never
 * below zero, as backend/loyalty/refund.ts does), in the order they happened here.
 */
function stampsSince(db: Db, program: Program, memberId: string, chain: Readonly<Record<string, StampState>>, asOfSeq: number): Record<string, StampState> {
  const out: Record<string, StampState> = {};
  for (const [id, s] of Object.entries(chain)) if (s && Number.isSafeInteger(s.count)) out[id] = { count: s.count, lastAt: s.lastAt ?? null };
  const goals = new Map(program.stamps.map((c) => [c.id, c.goal]));
  const given = stmt(db, 'SELECT card_id, added, rewards FROM sale_stamp WHERE sale_id = ?');
  const saleLines = stmt(db, 'SELECT line_no, product_id, sku, category FROM sale_line WHERE sale_id = ?');
  const events = stmt(db,
    `SELECT e.kind, e.sale_id, e.occurred_at, e.payload FROM ledger_event e
      WHERE e.member_id = ? AND e.kind IN ('sale', 'refund') AND e.seq > ? AND e.sale_id IS NOT NULL ORDER BY e.seq`,
  ).all(memberId, asOfSeq) as { kind: 'sale' | 'refund'; sale_id: string; occurred_at: string; payload: string }[];
  for (const e of events) {
    if (e.kind === 'sale') {
      for (const r of given.all(e.sale_id) as { card_id: string; added: number; rewards: number }[]) {
        const goal = goals.get(r.card_id);
        if (goal === undefined) continue;
        const prev = out[r.card_id] ?? { count: 0, lastAt: null };
        const lastAt = prev.lastAt && epoch(prev.lastAt)! > epoch(e.occurred_at)! ? prev.lastAt : e.occurred_at;
        out[r.card_id] = { count: Math.max(0, prev.count + r.added - goal * r.rewards), lastAt };
      }
      continue;
    }
    const returned = (JSON.parse(e.payload) as { lines?: { lineNo?: number; qty?: number }[] }).lines ?? [];
    const lines = new Map((saleLines.all(e.sale_id) as { line_no: number; product_id: string; sku: string; category: string }[]).map((l) => [l.line_no, l]));
    for (const card of program.stamps) {
      const s = out[card.id];
      if (!s) continue;
      let units = 0;
      for (const r of returned) {
        const l = r.lineNo === undefined ? undefined : lines.get(r.lineNo);
        if (l && Number.isSafeInteger(r.qty) && inScope(card.scope, { productId: l.product_id, sku: l.sku, category: l.category })) units += r.qty!;
      }
      if (units > 0) out[card.id] = { count: Math.max(0, s.count - units), lastAt: s.lastAt };
    }
  }
  return out;
}

/** Snapshots withChainLoyalty produced (checkout may be handed one twice). */
const combined = new WeakSet<MemberSnapshot>();

/**
 * The member as checkout should quote them on a registered till: tier state, qualifying spend,
 * stamp cards and pending points chain-wide. A stand-alone till, a member never pulled or a
 * server without projections leaves `local` as it is.
 *
 * Called by backend/loyalty/snapshot.ts at the end of loadMemberSnapshot.
 */
export function withChainLoyalty(db: Db, local: MemberSnapshot, atIso: string, program: Program): MemberSnapshot {
  // Applying it twice would add the chain's pending points twice: a combined snapshot is returned as it is.
  if (combined.has(local)) return local;
  if (!isChainTill(db)) return local;
  const s = stored(db, local.id);
  if (!s?.loyalty) return local;
  const chain = s.loyalty;
  const atMs = epoch(atIso)!;
  const tiers = program.tiers;
  const windowStart = tiers ? epoch(plusDays(atIso, -tiers.windowDays, program.timezone))! : null;
  // The chain's spend is as of its asOf; sales that left the window since are not subtracted
  // until the next pull (the server re-projects them when they leave: recheck_at).
  const windowSpend = Math.max(0, (chain.windowSpend ?? 0) + localSpendSince(db, program, local.id, chain.asOfSeq, windowStart, atMs));
  const lifetimeSpend = Math.max(0, (chain.lifetimeSpend ?? 0) + localSpendSince(db, program, local.id, chain.asOfSeq, null, atMs));
  const out: MemberSnapshot = {
    ...local,
    tier: chain.tier ? { levelId: chain.tier.levelId, reviewAt: chain.tier.reviewAt } : (local.tier ?? null),
    windowSpend: tiers?.basis === 'rolling' ? windowSpend : (local.windowSpend ?? 0),
    lifetimeSpend: tiers?.basis === 'lifetime' ? lifetimeSpend : (local.lifetimeSpend ?? 0),
    stamps: stampsSince(db, program, local.id, chain.stamps ?? {}, chain.asOfSeq),
    pending: (local.pending ?? 0) + chainPendingElsewhere(db, local.id, atIso),
  };
  combined.add(out);
  return out;
}
