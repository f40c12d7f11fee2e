import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { summarizeLots } from '../../core/loyalty/lots';
import { balanceOf, verifyLedger } from '../db/ledger';
import { commitSale } from '../sales/checkout';
import { refundSale } from '../sales/refund';
import { seedMember, seedTestCatalog } from '../testing/fixtures';
import { createTestStore, type TestStore } from '../testing/store';
import { expirePoints, memberLots, saveProgram } from './index';

/**
 * Property on a real SQLite file: whatever mix of sales, redemptions, refunds and expiry runs,
 * the lots replayed from the ledger account for the member's balance exactly
 * (spendable + pending + lapsed = Σ delta), and the ledger verifies.
 */
let s: TestStore;
before(async () => {
  s = await createTestStore('kopilka-lots-prop-');
  seedTestCatalog(s.db);
  saveProgram(s.db, { name: 'lots', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 }, points: { pendingDays: 3, expiryDays: 20 } }, '2000-01-01T00:00:00Z');
});
after(() => s.cleanup());

type Step = { kind: 'sale'; qty: number; redeemMax: boolean } | { kind: 'refund'; back: number } | { kind: 'expire' };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('sale' as const), qty: fc.integer({ min: 1, max: 5 }), redeemMax: fc.boolean() }),
  fc.record({ kind: fc.constant('refund' as const), back: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('expire' as const) }),
);

test('lots always account for the ledger balance', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ gapHours: fc.integer({ min: 1, max: 24 * 9 }), step }), { minLength: 1, maxLength: 14 }), (steps) => {
      const m = seedMember(s.db, 50, '2026-01-01T09:00:00+03:00');
      let t = Date.parse('2026-01-02T09:00:00+03:00');
      const sales: string[] = [];
      for (const { gapHours, step: st } of steps) {
        t += gapHours * 3_600_000;
        const at = new Date(t).toISOString();
        try {
          switch (st.kind) {
            case 'sale':
              sales.push(commitSale(s.db, { items: [{ code: 'A', qty: st.qty }], member: { card: m.card }, at, payment: { method: 'card' }, redeem: st.redeemMax ? { mode: 'max' } : { mode: 'none' } }).saleId);
              break;
            case 'refund': {
              const id = sales[sales.length - 1 - st.back];
              if (id) refundSale(s.db, { sale: id, at });
              break;
            }
            case 'expire':
              expirePoints(s.db, at);
              break;
          }
        } catch (e) {
          // Refunding a sale twice is refused by design; anything else is a real failure.
          if (!/already|nothing left|refunded/i.test((e as Error).message)) throw e;
        }
        const sum = summarizeLots(memberLots(s.db, m.id), at);
        assert.equal(sum.available + sum.pending + sum.expired, balanceOf(s.db, m.id));
        assert.ok(sum.pending >= 0 && sum.expired >= 0);
      }
    }),
    { numRuns: 25, seed: 17 },
  );
  assert.equal(verifyLedger(s.db).ok, true);
});
