import { parseProgram } from '../core/loyalty/program';
import { quote, type CartLine } from '../core/loyalty/quote';
import type { LedgerEvent } from '../core/ledger/event';
import { createLogger } from '../core/util/logger';

const log = createLogger('server-earn');

/**
 * The server's own answer to "how many points did this sale earn": the pure quote engine run
 * over the sale's recorded facts with the program version the till used. Null when the facts
 * or the version are not available here (the till's claim then stands, unverified).
 */
export function recomputeEarn(sale: Pick<LedgerEvent, 'payload' | 'programVersion' | 'occurredAt' | 'memberId'>, programs: ReadonlyMap<number, unknown>): number | null {
  const p = sale.payload as Record<string, unknown>;
  const cart = cartOfSale(p);
  if (cart === null || sale.programVersion === null) return null;
  const programJson = programs.get(sale.programVersion);
  if (programJson === undefined) return null;
  try {
    const program = parseProgram(programJson);
    const redeemPoints = Number(p.redeemPoints ?? 0);
    const q = quote({
      program,
      programVersion: sale.programVersion,
      lines: cart,
      member: sale.memberId ? { id: sale.memberId, balance: Number.MAX_SAFE_INTEGER, ...parseEarnContext(p.earnContext) } : null,
      redeem: redeemPoints > 0 ? { mode: 'points', points: redeemPoints } : { mode: 'none' },
      at: sale.occurredAt,
    });
    return q.earnPoints;
  } catch (err) {
    log.debug('earn not recomputable', err instanceof Error ? err.message : err);
    return null;
  }
}

/** A review date no sale reaches: the claimed level is held as it was at the till. */
const NO_REVIEW = '9999-12-31T00:00:00.000Z';

/**
 * The member facts the till's earn depended on, as it recorded them with the sale: the tier level
 * the rate came from and how often the member had used each limited campaign. Without them a
 * Silver member's 7 % would be "corrected" down to the base rate and a used-up campaign counted
 * again. Whether the level itself was deserved is the projection's question (server/projections.ts),
 * not this arithmetic check's. Anything malformed is ignored, so the recompute falls back to the
 * facts every sale has.
 */
export function parseEarnContext(raw: unknown): { tier?: { levelId: string; reviewAt: string }; windowSpend?: number; lifetimeSpend?: number; campaignUses?: Record<string, number> } {
  if (typeof raw !== 'object' || raw === null) return {};
  const c = raw as Record<string, unknown>;
  const out: ReturnType<typeof parseEarnContext> = {};
  if (typeof c.tierLevelId === 'string' && c.tierLevelId.length > 0 && c.tierLevelId.length <= 64) {
    // Spend 0 and a review date in the far future: evaluateTier keeps the stored level as it is.
    out.tier = { levelId: c.tierLevelId, reviewAt: NO_REVIEW };
    out.windowSpend = 0;
    out.lifetimeSpend = 0;
  }
  if (typeof c.campaignUses === 'object' && c.campaignUses !== null && !Array.isArray(c.campaignUses)) {
    const uses: Record<string, number> = {};
    for (const [id, n] of Object.entries(c.campaignUses as Record<string, unknown>)) if (Number.isSafeInteger(n) && (n as number) >= 0) uses[id] = n as number;
    out.campaignUses = uses;
  }
  return out;
}

/**
 * The cart a sale event recorded, or null when its line facts are incomplete: guessing a missing
 * earnsPoints flag would issue false corrections (earn) or false stamps (server/projections.ts).
 */
export function cartOfSale(payload: Readonly<Record<string, unknown>>): CartLine[] | null {
  const lines = payload.lines;
  if (!Array.isArray(lines)) return null;
  if (!lines.every((l: Record<string, unknown>) => typeof l === 'object' && l !== null && typeof l.earnsPoints === 'boolean' && Number.isSafeInteger(l.qty) && Number.isSafeInteger(l.unitPrice))) return null;
  return lines.map((l: Record<string, unknown>, i) => ({
    lineNo: Number(l.lineNo ?? i + 1),
    productId: String(l.productId ?? ''),
    sku: String(l.sku ?? ''),
    name: String(l.name ?? ''),
    category: String(l.category ?? ''),
    qty: Number(l.qty),
    unitPrice: Number(l.unitPrice),
    earnsPoints: l.earnsPoints !== false,
    payableWithPoints: l.payableWithPoints !== false,
  }));
}
