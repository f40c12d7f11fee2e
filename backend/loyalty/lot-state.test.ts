import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { appendEvents, verifyLedger } from '../db/ledger';
import { commitSale } from '../sales/checkout';
import { refundSale } from '../sales/refund';
import { seedMember, seedTestCatalog } from '../testing/fixtures';
import { createTestStore, type TestStore } from '../testing/store';
import { expirePoints, saveProgram } from './index';
import { memberLots, replayMemberLots } from './snapshot-lots';

/**
 * The lot projection (loyalty_lot_state) is a cache of the replay: after any mix of sales,
 * redemptions, refunds (including clawbacks into debt), expiry and manual movements, the lots
 * read through it equal the lots replayed from the whole ledger, and dropping it changes nothing.
 */
let s: TestStore;
before(async () => {
  s = await createTestStore('kopilka-lot-state-');
  seedTestCatalog(s.db);
  saveProgram(s.db, { name: 'lots', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 }, points: { pendingDays: 3, expiryDays: 20 } }, '2000-01-01T00:00:00Z');
});
after(() => s.cleanup());

type Step =
  | { kind: 'sale'; qty: number; redeemMax: boolean }
  | { kind: 'refund'; back: number }
  | { kind: 'expire' }
  | { kind: 'manual'; delta: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('sale' as const), qty: fc.integer({ min: 1, max: 5 }), redeemMax: fc.boolean() }),
  fc.record({ kind: fc.constant('refund' as const), back: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({ kind: fc.constant('manual' as const), delta: fc.integer({ min: -80, max: 80 }).filter((d) => d !== 0) }),
);

function stateRows(): number {
  return s.db.prepare('SELECT count(*) FROM loyalty_lot_state').pluck().get() as number;
}

test('lots through the projection equal the full replay after every ledger movement', () => {
  let checks = 0;
  let resumed = 0;
  fc.assert(
    fc.property(fc.array(fc.record({ gapHours: fc.integer({ min: 1, max: 24 * 9 }), step }), { minLength: 1, maxLength: 16 }), (steps) => {
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
            case 'manual':
              s.db.transaction(() => appendEvents(s.db, [{ kind: 'adjust', memberId: m.id, delta: st.delta, occurredAt: at, payload: { reason: 'test' } }]))();
              break;
          }
        } catch (e) {
          if (!/already|nothing left|refunded/i.test((e as Error).message)) throw e;
        }
        const hasState = s.db.prepare('SELECT 1 FROM loyalty_lot_state WHERE member_id = ?').get(m.id) !== undefined;
        if (hasState) resumed++;
        assert.deepEqual(memberLots(s.db, m.id), replayMemberLots(s.db, m.id));
        checks++;
      }
    }),
    { numRuns: 40, seed: 23 },
  );
  assert.ok(resumed > checks / 3, `the projection was exercised (${resumed} of ${checks} reads)`);
  assert.equal(verifyLedger(s.db).ok, true);
});

test('the projection can be dropped at any time: answers stay the same and the next sale rebuilds it', () => {
  const m = seedMember(s.db, 500, '2026-05-01T09:00:00+03:00');
  commitSale(s.db, { items: [{ code: 'A', qty: 2 }], member: { card: m.card }, at: '2026-05-02T10:00:00+03:00', payment: { method: 'card' }, redeem: { mode: 'points', points: 30 } });
  const before = memberLots(s.db, m.id);
  assert.ok(stateRows() > 0);
  s.db.prepare('DELETE FROM loyalty_lot_state').run();
  assert.deepEqual(memberLots(s.db, m.id), before);
  commitSale(s.db, { items: [{ code: 'A', qty: 1 }], member: { card: m.card }, at: '2026-05-03T10:00:00+03:00', payment: { method: 'card' } });
  assert.equal(s.db.prepare('SELECT count(*) FROM loyalty_lot_state WHERE member_id = ?').pluck().get(m.id), 1);
  assert.deepEqual(memberLots(s.db, m.id), replayMemberLots(s.db, m.id));
});
