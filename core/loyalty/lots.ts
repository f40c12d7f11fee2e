import { epoch } from './calendar';

/**
 * Points as lots. Every positive ledger movement opens a lot (spendable from `availableAt`,
 * gone at `expiresAt`, both fixed when it was earned so a later policy change never re-dates it);
 * every negative movement consumes lots, soonest-expiring first. The lots are replayed from the
 * ledger, so they always agree with it: Σ remaining − debt == Σ delta.
 */
export type LedgerMove = Readonly<{
  seq: number;
  eventId: string;
  kind: string;
  delta: number;
  refEventId: string | null;
  occurredAt: string;
  /** From the lot policy recorded at earn time; absent = spendable at once, never expires. */
  availableAt?: string | null;
  expiresAt?: string | null;
}>;

export type Lot = Readonly<{
  eventId: string;
  seq: number;
  points: number;
  remaining: number;
  availableAt: string;
  expiresAt: string | null;
}>;

type MutableLot = { -readonly [K in keyof Lot]: Lot[K] } & { avail: number; exp: number };

export type LotReplay = Readonly<{ lots: readonly Lot[]; debt: number }>;

const NEVER = Number.MAX_SAFE_INTEGER;

/** Order in which lots are spent at time `now`: spendable ones, then pending, then lapsed; soonest expiry first, then oldest. */
function spendOrder(now: number) {
  const rank = (l: MutableLot) => (l.exp <= now ? 2 : l.avail <= now ? 0 : 1);
  return (a: MutableLot, b: MutableLot): number => rank(a) - rank(b) || a.exp - b.exp || a.seq - b.seq;
}

export function replayLots(moves: readonly LedgerMove[]): LotReplay {
  const sorted = [...moves].sort((a, b) => a.seq - b.seq);
  const lots: MutableLot[] = [];
  const byId = new Map<string, MutableLot>();
  let debt = 0;
  for (const m of sorted) {
    if (m.delta > 0) {
      // Incoming points first pay off any debt (a clawback that found the points already spent).
      const pay = Math.min(debt, m.delta);
      debt -= pay;
      const rest = m.delta - pay;
      const availableAt = m.availableAt ?? m.occurredAt;
      const lot: MutableLot = {
        eventId: m.eventId,
        seq: m.seq,
        points: m.delta,
        remaining: rest,
        availableAt,
        expiresAt: m.expiresAt ?? null,
        avail: epoch(availableAt)!,
        exp: epoch(m.expiresAt) ?? NEVER,
      };
      lots.push(lot);
      byId.set(m.eventId, lot);
      continue;
    }
    if (m.delta === 0) continue;
    let need = -m.delta;
    // A reversal or an expiry takes from the lot it refers to first (clawing back pending points of that sale).
    const ref = m.refEventId ? byId.get(m.refEventId) : undefined;
    if (ref && ref.remaining > 0) {
      const take = Math.min(ref.remaining, need);
      ref.remaining -= take;
      need -= take;
    }
    if (need > 0) {
      const now = epoch(m.occurredAt)!;
      const open = lots.filter((l) => l.remaining > 0).sort(spendOrder(now));
      for (const l of open) {
        if (need === 0) break;
        const take = Math.min(l.remaining, need);
        l.remaining -= take;
        need -= take;
      }
    }
    debt += need;
  }
  return {
    lots: lots.filter((l) => l.remaining > 0).map(({ avail: _a, exp: _e, ...l }) => l),
    debt,
  };
}

export type PointsSummary = Readonly<{
  available: number; // spendable now (negative when in debt)
  pending: number; // earned, spendable later
  expired: number; // past expiry but no `expire` event written yet
  lots: readonly Lot[]; // open lots that still count (not expired), soonest-expiring first
}>;

export function summarizeLots(replay: LotReplay, at: string): PointsSummary {
  const now = epoch(at)!;
  let available = 0 - replay.debt; // not -debt: -0 would leak into JSON comparisons
  let pending = 0;
  let expired = 0;
  const open: Lot[] = [];
  for (const l of replay.lots) {
    const exp = epoch(l.expiresAt) ?? NEVER;
    if (exp <= now) {
      expired += l.remaining;
      continue;
    }
    if (epoch(l.availableAt)! <= now) available += l.remaining;
    else pending += l.remaining;
    open.push(l);
  }
  open.sort((a, b) => (epoch(a.expiresAt) ?? NEVER) - (epoch(b.expiresAt) ?? NEVER) || a.seq - b.seq);
  return { available, pending, expired, lots: open };
}

/** Lots whose expiry has passed at `at`: each becomes one `expire` event referring to the lot. */
export function dueExpiries(replay: LotReplay, at: string): readonly Readonly<{ eventId: string; points: number; expiresAt: string }>[] {
  const now = epoch(at)!;
  return replay.lots
    .filter((l) => l.expiresAt !== null && epoch(l.expiresAt)! <= now && l.remaining > 0)
    .sort((a, b) => a.seq - b.seq)
    .map((l) => ({ eventId: l.eventId, points: l.remaining, expiresAt: l.expiresAt! }));
}
