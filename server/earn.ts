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
      member: sale.memberId ? { id: sale.memberId, balance: Number.MAX_SAFE_INTEGER } : null,
      redeem: redeemPoints > 0 ? { mode: 'points', points: redeemPoints } : { mode: 'none' },
      at: sale.occurredAt,
    });
    return q.earnPoints;
  } catch (err) {
    log.debug('earn not recomputable', err instanceof Error ? err.message : err);
    return null;
  }
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
