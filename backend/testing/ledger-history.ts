import fc from 'fast-check';
import { appendEvents } from '../db/ledger';
import type { Db } from '../db/types';
import { expirePoints } from '../loyalty/index';
import { commitSale } from '../sales/checkout';
import { refundSale } from '../sales/refund';
import { seedMember } from './fixtures';

/**
 * Random member histories for ledger property tests: sales (redeeming or not), refunds of a
 * recent sale, expiry runs and, optionally, manual movements, hours to days apart. Expects the
 * catalog from seedTestCatalog (product `A`) and a program already saved.
 */
export type HistoryStep =
  | { kind: 'sale'; qty: number; redeemMax: boolean }
  | { kind: 'refund'; back: number }
  | { kind: 'expire' }
  | { kind: 'manual'; delta: number };
export type History = readonly Readonly<{ gapHours: number; step: HistoryStep }>[];

export function ledgerHistory(opts: Readonly<{ manual: boolean; maxLength: number }>): fc.Arbitrary<History> {
  const kinds: fc.Arbitrary<HistoryStep>[] = [
    fc.record({ kind: fc.constant('sale' as const), qty: fc.integer({ min: 1, max: 5 }), redeemMax: fc.boolean() }),
    fc.record({ kind: fc.constant('refund' as const), back: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('expire' as const) }),
  ];
  if (opts.manual) kinds.push(fc.record({ kind: fc.constant('manual' as const), delta: fc.integer({ min: -80, max: 80 }).filter((d) => d !== 0) }));
  return fc.array(fc.record({ gapHours: fc.integer({ min: 1, max: 24 * 9 }), step: fc.oneof(...kinds) }), { minLength: 1, maxLength: opts.maxLength });
}

/** Plays a history for a new member (50 points to start) and calls `check` after every step. */
export function playHistory(db: Db, history: History, check: (member: ReturnType<typeof seedMember>, at: string) => void): void {
  const m = seedMember(db, 50, '2026-01-01T09:00:00+03:00');
  let t = Date.parse('2026-01-02T09:00:00+03:00');
  const sales: string[] = [];
  for (const { gapHours, step } of history) {
    t += gapHours * 3_600_000;
    const at = new Date(t).toISOString();
    try {
      switch (step.kind) {
        case 'sale':
          sales.push(commitSale(db, { items: [{ code: 'A', qty: step.qty }], member: { card: m.card }, at, payment: { method: 'card' }, redeem: step.redeemMax ? { mode: 'max' } : { mode: 'none' } }).saleId);
          break;
        case 'refund': {
          const id = sales[sales.length - 1 - step.back];
          if (id) refundSale(db, { sale: id, at });
          break;
        }
        case 'expire':
          expirePoints(db, at);
          break;
        case 'manual':
          db.transaction(() => appendEvents(db, [{ kind: 'adjust', memberId: m.id, delta: step.delta, occurredAt: at, payload: { reason: 'test' } }]))();
          break;
      }
    } catch (e) {
      // Refunding a sale twice is refused by design; anything else is a real failure.
      if (!/already|nothing left|refunded/i.test((e as Error).message)) throw e;
    }
    check(m, at);
  }
}
