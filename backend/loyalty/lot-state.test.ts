import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { verifyLedger } from '../db/ledger';
import { commitSale } from '../sales/checkout';
import { seedMember, seedTestCatalog } from '../testing/fixtures';
import { ledgerHistory, playHistory } from '../testing/ledger-history';
import { createTestStore, type TestStore } from '../testing/store';
import { saveProgram } from './index';
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

function stateRows(): number {
  return s.db.prepare('SELECT count(*) FROM loyalty_lot_state').pluck().get() as number;
}

test('lots through the projection equal the full replay after every ledger movement', () => {
  let checks = 0;
  let resumed = 0;
  fc.assert(
    fc.property(ledgerHistory({ manual: true, maxLength: 16 }), (history) => {
      playHistory(s.db, history, (m) => {
        const hasState = s.db.prepare('SELECT 1 FROM loyalty_lot_state WHERE member_id = ?').get(m.id) !== undefined;
        if (hasState) resumed++;
        assert.deepEqual(memberLots(s.db, m.id), replayMemberLots(s.db, m.id));
        checks++;
      });
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

test('every sale that moves points leaves the stored lots current, so the next sale reads no older events', () => {
  const m = seedMember(s.db, 300, '2026-06-01T09:00:00+03:00');
  const lastMove = () => s.db.prepare('SELECT max(seq) FROM ledger_event WHERE member_id = ? AND delta <> 0').pluck().get(m.id) as number;
  const through = () => s.db.prepare('SELECT through_seq FROM loyalty_lot_state WHERE member_id = ?').pluck().get(m.id) as number | undefined;
  for (let day = 2; day <= 6; day++) {
    commitSale(s.db, { items: [{ code: 'A', qty: 1 }], member: { card: m.card }, at: `2026-06-0${day}T10:00:00+03:00`, payment: { method: 'card' }, redeem: { mode: 'points', points: day % 2 === 0 ? 10 : 0 } });
    assert.equal(through(), lastMove(), `after the sale on day ${day}`);
  }
  assert.deepEqual(memberLots(s.db, m.id), replayMemberLots(s.db, m.id));
});
