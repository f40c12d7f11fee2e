import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { summarizeLots } from '../../core/loyalty/lots';
import { balanceOf, verifyLedger } from '../db/ledger';
import { seedTestCatalog } from '../testing/fixtures';
import { ledgerHistory, playHistory } from '../testing/ledger-history';
import { createTestStore, type TestStore } from '../testing/store';
import { memberLots, saveProgram } from './index';

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

test('lots always account for the ledger balance', () => {
  fc.assert(
    fc.property(ledgerHistory({ manual: false, maxLength: 14 }), (history) => {
      playHistory(s.db, history, (m, at) => {
        const sum = summarizeLots(memberLots(s.db, m.id), at);
        assert.equal(sum.available + sum.pending + sum.expired, balanceOf(s.db, m.id));
        assert.ok(sum.pending >= 0 && sum.expired >= 0);
      });
    }),
    { numRuns: 25, seed: 17 },
  );
  assert.equal(verifyLedger(s.db).ok, true);
});
