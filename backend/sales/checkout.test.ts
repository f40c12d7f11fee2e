import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore, dumpDb, type TestStore } from '../testing/store';
import { seedMember, seedTestCatalog, useProgram } from '../testing/fixtures';
import { balanceOf, verifyLedger } from '../db/ledger';
import { commitSale, quoteSale, type SaleRequest } from './checkout';
import { loadSale } from './read';
import { buildSaleReceipt } from './receipt';
import type { RedeemRequest } from '../../core/loyalty/quote';

const AT = '2026-03-02T12:00:00+03:00';
const base = { name: 'T', redeem: { pointValue: 100, maxShareBps: 5000, minBalance: 0 } };
const P = {
  pct5: { ...base, earn: { base: { mode: 'percent', bps: 500 } } },
  per100rub: { ...base, earn: { base: { mode: 'per_amount', points: 1, per: 10000 } } },
  pct5OnPoints: { ...base, earn: { base: { mode: 'percent', bps: 500 }, earnOnPointsPaid: true } },
  minBal500: { name: 'T', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000, minBalance: 500 } },
  halfUp: { ...base, earn: { base: { mode: 'percent', bps: 500 }, rounding: 'half_up' } },
  minCheck: { ...base, earn: { base: { mode: 'percent', bps: 500 }, minCheck: 20000 } },
  cap20: { name: 'T', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 2000 } },
} as const;

type Case = Readonly<{
  name: string;
  program: keyof typeof P;
  items: [string, number][];
  balance: number | null; // null = no member
  redeem: RedeemRequest;
  expect: { earn: number; redeem: number; toPay: number } | { error: string };
}>;

// Worked by hand: points = money × bps / (10 000 × pointValue), rounded as the program says.
const CASES: readonly Case[] = [
  { name: 'no member: nothing earned', program: 'pct5', items: [['A', 1]], balance: null, redeem: { mode: 'none' }, expect: { earn: 0, redeem: 0, toPay: 10000 } },
  { name: '5% of 100 ₽ = 5 points', program: 'pct5', items: [['A', 1]], balance: 0, redeem: { mode: 'none' }, expect: { earn: 5, redeem: 0, toPay: 10000 } },
  { name: 'max redeem capped at 50% of eligible items; beer neither earns nor is payable', program: 'pct5', items: [['A', 2], ['BEER', 1]], balance: 1000, redeem: { mode: 'max' }, expect: { earn: 5, redeem: 100, toPay: 35000 } },
  { name: 'max redeem limited by the balance; earning on the money part rounds down', program: 'pct5', items: [['A', 1]], balance: 30, redeem: { mode: 'max' }, expect: { earn: 3, redeem: 30, toPay: 7000 } },
  { name: 'cap rounds down to whole points', program: 'pct5', items: [['C', 1]], balance: 100, redeem: { mode: 'max' }, expect: { earn: 0, redeem: 1, toPay: 233 } },
  { name: 'exact points under the cap', program: 'pct5', items: [['A', 1]], balance: 100, redeem: { mode: 'points', points: 50 }, expect: { earn: 2, redeem: 50, toPay: 5000 } },
  { name: 'points above the cap are refused', program: 'pct5', items: [['A', 1]], balance: 1000, redeem: { mode: 'points', points: 51 }, expect: { error: 'LIMIT_EXCEEDED' } },
  { name: 'points above the balance are refused', program: 'pct5', items: [['A', 1]], balance: 10, redeem: { mode: 'points', points: 11 }, expect: { error: 'INSUFFICIENT_POINTS' } },
  { name: 'only excluded items: nothing to redeem or earn', program: 'pct5', items: [['BEER', 1]], balance: 1000, redeem: { mode: 'max' }, expect: { earn: 0, redeem: 0, toPay: 25000 } },
  { name: '1 point per full 100 ₽', program: 'per100rub', items: [['A', 3], ['C', 1]], balance: 0, redeem: { mode: 'none' }, expect: { earn: 3, redeem: 0, toPay: 30333 } },
  { name: 'earning on the part paid with points when configured', program: 'pct5OnPoints', items: [['A', 2]], balance: 1000, redeem: { mode: 'max' }, expect: { earn: 10, redeem: 100, toPay: 10000 } },
  { name: 'below the minimum balance max redeems nothing', program: 'minBal500', items: [['A', 1]], balance: 499, redeem: { mode: 'max' }, expect: { earn: 5, redeem: 0, toPay: 10000 } },
  { name: 'below the minimum balance a request is refused', program: 'minBal500', items: [['A', 1]], balance: 499, redeem: { mode: 'points', points: 10 }, expect: { error: 'LIMIT_EXCEEDED' } },
  { name: 'half_up: 5.5 points → 6', program: 'halfUp', items: [['A', 1], ['D', 1]], balance: 0, redeem: { mode: 'none' }, expect: { earn: 6, redeem: 0, toPay: 11000 } },
  { name: 'down: 5.5 points → 5', program: 'pct5', items: [['A', 1], ['D', 1]], balance: 0, redeem: { mode: 'none' }, expect: { earn: 5, redeem: 0, toPay: 11000 } },
  { name: 'below the minimum check nothing is earned', program: 'minCheck', items: [['A', 1]], balance: 0, redeem: { mode: 'none' }, expect: { earn: 0, redeem: 0, toPay: 10000 } },
  { name: 'at the minimum check points are earned', program: 'minCheck', items: [['A', 2]], balance: 0, redeem: { mode: 'none' }, expect: { earn: 10, redeem: 0, toPay: 20000 } },
  { name: '20% cap', program: 'cap20', items: [['A', 1]], balance: 1000, redeem: { mode: 'max' }, expect: { earn: 4, redeem: 20, toPay: 8000 } },
  { name: 'redeeming without a member is refused', program: 'pct5', items: [['A', 1]], balance: null, redeem: { mode: 'points', points: 5 }, expect: { error: 'VALIDATION' } },
];

for (const c of CASES) {
  test(`earn/redeem: ${c.name}`, async () => {
    const s = await createTestStore();
    try {
      seedTestCatalog(s.db);
      useProgram(s.db, P[c.program]);
      const m = c.balance === null ? null : seedMember(s.db, c.balance);
      const req: SaleRequest = { items: c.items.map(([code, qty]) => ({ code, qty })), member: m ? { card: m.card } : null, redeem: c.redeem, payment: { method: 'card' }, at: AT };
      if ('error' in c.expect) {
        const before = dumpDb(s.db);
        const code = c.expect.error;
        assert.throws(() => quoteSale(s.db, req), (e: { code?: string }) => e.code === code);
        assert.throws(() => commitSale(s.db, req), (e: { code?: string }) => e.code === code);
        assert.equal(dumpDb(s.db), before, 'a refused sale leaves every table as it was');
        return;
      }
      const q = quoteSale(s.db, req);
      assert.deepEqual({ earn: q.quote.earnPoints, redeem: q.quote.redeemPoints, toPay: q.quote.toPay }, c.expect);
      assert.ok(q.quote.effects.every((e) => typeof e.label === 'string' && e.label.length > 0), 'every effect carries a reason');
      const done = commitSale(s.db, req);
      assert.deepEqual({ earn: done.quote.earnPoints, redeem: done.quote.redeemPoints, toPay: done.quote.toPay }, c.expect, 'commit agrees with the quote');
      const kinds = done.events.map((e) => [e.kind, e.delta]);
      const want: [string, number][] = [['sale', 0]];
      if (m && c.expect.redeem > 0) want.push(['redeem', -c.expect.redeem]);
      if (m && c.expect.earn > 0) want.push(['earn', c.expect.earn]);
      assert.deepEqual(kinds.filter(([k]) => k === 'sale' || k === 'earn' || k === 'redeem'), want);
      if (m) assert.equal(balanceOf(s.db, m.id), c.balance! - c.expect.redeem + c.expect.earn);
      const stored = loadSale(s.db, done.saleId);
      assert.equal(stored.payments.reduce((a, p) => a + p.amount, 0), stored.total, 'payments cover the total exactly');
      assert.equal(stored.lines.reduce((a, l) => a + l.earned, 0), c.expect.earn);
      assert.equal(stored.lines.reduce((a, l) => a + l.pointsRedeemed, 0), c.expect.redeem);
      assert.equal(verifyLedger(s.db).ok, true);
    } finally {
      s.cleanup();
    }
  });
}

let st: TestStore;
before(async () => {
  st = await createTestStore();
  seedTestCatalog(st.db);
  useProgram(st.db, P.pct5);
});
after(() => st.cleanup());

test('payments: cash with change, card, mixed; the same saleId never sells twice', () => {
  const m = seedMember(st.db, 0);
  const cash = commitSale(st.db, { items: [{ code: 'A', qty: 1 }], member: { phone: m.phone }, payment: { method: 'cash', tendered: 50000 }, at: AT });
  assert.deepEqual(cash.payments, [{ method: 'cash', amount: 10000, tendered: 50000, change: 40000 }]);
  const mixed = commitSale(st.db, { items: [{ code: '4006381333931', qty: 3 }], payment: { method: 'mixed', cash: 5000 }, at: AT });
  assert.deepEqual(mixed.payments.map((p) => [p.method, p.amount]), [['cash', 5000], ['card', 25000]]);
  const id = '01900000-0000-7000-8000-000000000001';
  const first = commitSale(st.db, { items: [{ code: 'D', qty: 1 }], payment: { method: 'card' }, at: AT, saleId: id });
  const before = dumpDb(st.db);
  const again = commitSale(st.db, { items: [{ code: 'D', qty: 1 }], payment: { method: 'card' }, at: AT, saleId: id });
  assert.equal(again.replayed, true);
  assert.equal(again.receiptNo, first.receiptNo);
  assert.equal(dumpDb(st.db), before);
  assert.ok(mixed.receiptNo === cash.receiptNo + 1 && first.receiptNo === mixed.receiptNo + 1, 'receipt numbers run 1, 2, 3');
});

test('bad sale input is refused with a clear message and changes nothing', () => {
  const m = seedMember(st.db, 100);
  const before = dumpDb(st.db);
  const bad: [Partial<SaleRequest>, RegExp][] = [
    [{ items: [] }, /cart is empty/],
    [{ items: [{ code: 'NOPE', qty: 1 }] }, /Unknown item/],
    [{ items: [{ code: 'A', qty: 0 }] }, /above zero/],
    [{ items: [{ code: 'A', qty: -2 }] }, /above zero/],
    [{ items: [{ code: 'A', qty: 1.5 }] }, /whole number/],
    [{ items: [{ code: 'A', qty: 100000 }] }, /too large/],
    [{ items: [{ code: 'A', qty: 1 }], member: { card: 'KP-NOBODY' } }, /not registered/],
    [{ items: [{ code: 'A', qty: 1 }], member: { phone: '12-34' } }, /phone/],
    [{ items: [{ code: 'A', qty: 1 }], member: { phone: '+7 999 999-99-99' } }, /No member/],
    [{ items: [{ code: 'A', qty: 1 }], member: { card: m.card }, redeem: { mode: 'points', points: 101 } }, /has 100 points/],
    [{ items: [{ code: 'A', qty: 1 }], member: { card: m.card }, redeem: { mode: 'points', points: 60 } }, /At most 50 points/],
    [{ items: [{ code: 'A', qty: 1 }], member: { card: m.card }, redeem: { mode: 'points', points: -5 } }, /≥ 0|whole number/],
    [{ items: [{ code: 'A', qty: 1 }], payment: { method: 'cash', tendered: 5000 } }, /less than/],
    [{ items: [{ code: 'A', qty: 1 }], payment: { method: 'cash', tendered: -1 } }, /non-negative/],
    [{ items: [{ code: 'A', qty: 1 }], payment: { method: 'cash', tendered: 1e15 } }, /largest amount|non-negative/],
    [{ items: [{ code: 'A', qty: 1 }], payment: { method: 'mixed', cash: 20000 } }, /more than/],
    [{ items: [{ code: 'A', qty: 1 }], at: 'yesterday' }, /not a date-time/],
    [{ items: [{ code: 'A', qty: 1 }], at: '1970-01-01T00:00:00Z' }, /outside 2000/],
    [{ items: [{ code: 'A', qty: 1 }], saleId: 'not-a-uuid' }, /UUID/],
  ];
  for (const [req, re] of bad) {
    assert.throws(() => commitSale(st.db, { items: [], payment: { method: 'card' }, at: AT, ...req } as SaleRequest), re, JSON.stringify(req));
  }
  assert.equal(dumpDb(st.db), before);
});

test('receipt model from a stored sale: lines, totals, payments, masked phone and balance after', () => {
  const m = seedMember(st.db, 200);
  const c = commitSale(st.db, { items: [{ code: 'A', qty: 2 }, { code: 'BEER', qty: 1 }], member: { card: m.card }, redeem: { mode: 'max' }, payment: { method: 'cash', tendered: 50000 }, at: '2026-03-02T09:05:00Z' });
  const r = buildSaleReceipt(st.db, c.saleId);
  assert.equal(r.kind, 'sale');
  assert.equal(r.number, String(c.receiptNo));
  assert.equal(r.time, '02.03.2026 12:05', 'business time shown in the shop zone (Europe/Moscow)');
  assert.deepEqual(r.totals, { subtotal: 45000, discount: 0, total: 45000, paidByPoints: 10000, toPay: 35000 });
  assert.deepEqual(r.payments, [{ type: 'points', amount: 10000 }, { type: 'cash', amount: 35000, tendered: 50000, change: 15000 }]);
  assert.equal(r.lines[0]!.pointsPaid, 100);
  assert.match(r.loyalty!.maskedPhone, /^\+7 \*\*\* \*\*\*-\d\d-\d\d$/);
  assert.equal(r.loyalty!.earnedTotal, 5);
  assert.equal(r.loyalty!.redeemed, 100);
  assert.equal(r.loyalty!.balanceAfter, 105);
  // A later sale does not change what a reprint of this receipt says.
  commitSale(st.db, { items: [{ code: 'A', qty: 1 }], member: { card: m.card }, payment: { method: 'card' }, at: AT });
  assert.equal(buildSaleReceipt(st.db, c.receiptNo, { copy: true }).loyalty!.balanceAfter, 105);
});
