import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore, dumpDb } from '../testing/store';
import { seedMember, seedTestCatalog, useProgram } from '../testing/fixtures';
import { balanceOf, verifyLedger } from '../db/ledger';
import { setSetting } from '../db/settings';
import { commitSale } from './checkout';
import { refundSale } from './refund';
import { loadSale } from './read';
import { buildRefundReceipt } from './receipt';

const AT = '2026-03-02T12:00:00+03:00';
const LATER = '2026-03-02T15:00:00+03:00';
const PROGRAM = { name: 'T', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000 } };

async function setup() {
  const s = await createTestStore();
  seedTestCatalog(s.db);
  useProgram(s.db, PROGRAM);
  return s;
}

test('partial refunds claw back and restore in proportion and add up exactly to the sale', async () => {
  const s = await setup();
  try {
    const m = seedMember(s.db, 1000);
    // 3 × A (30 000) + 3 × C (999): redeem max = 50% of 30 999 → 154 pts; earn on the money part.
    const sale = commitSale(s.db, { items: [{ code: 'A', qty: 3 }, { code: 'C', qty: 3 }], member: { card: m.card }, redeem: { mode: 'max' }, payment: { method: 'mixed', cash: 10000 }, at: AT });
    const bal0 = balanceOf(s.db, m.id);
    const r1 = refundSale(s.db, { sale: sale.receiptNo, lines: [{ lineNo: 1, qty: 1 }, { lineNo: 2, qty: 2 }], at: LATER });
    const r2 = refundSale(s.db, { sale: sale.saleId, lines: [{ lineNo: 1, qty: 1 }], at: LATER });
    const r3 = refundSale(s.db, { sale: sale.saleId, at: LATER }); // the rest
    const rs = [r1, r2, r3];
    const sum = (f: (r: (typeof rs)[number]) => number) => rs.reduce((a, r) => a + f(r), 0);
    assert.equal(sum((r) => r.amount), sale.quote.toPay, 'money back in total = money paid');
    assert.equal(sum((r) => r.cash), 10000);
    assert.equal(sum((r) => r.card), sale.quote.toPay - 10000);
    assert.equal(sum((r) => r.pointsClawed), sale.quote.earnPoints, 'every earned point clawed back');
    assert.equal(sum((r) => r.pointsRestored), sale.quote.redeemPoints, 'every redeemed point restored');
    assert.equal(balanceOf(s.db, m.id), bal0 - sale.quote.earnPoints + sale.quote.redeemPoints);
    assert.equal(balanceOf(s.db, m.id), 1000, 'a fully refunded sale leaves the balance where it started');
    // Reversals reference the original events.
    const earnId = sale.events.find((e) => e.kind === 'earn')!.id;
    const redeemId = sale.events.find((e) => e.kind === 'redeem')!.id;
    const saleEv = sale.events.find((e) => e.kind === 'sale')!.id;
    for (const r of rs) {
      for (const e of r.events) {
        const want = e.kind === 'earn_reversal' ? earnId : e.kind === 'redeem_reversal' ? redeemId : saleEv;
        assert.equal(e.refEventId, want, e.kind);
      }
    }
    const stored = loadSale(s.db, sale.saleId);
    assert.ok(stored.lines.every((l) => l.refundedQty === l.qty));
    assert.equal(verifyLedger(s.db).ok, true);
    const receipt = buildRefundReceipt(s.db, r1.refundId);
    assert.equal(receipt.kind, 'refund');
    assert.equal(receipt.totals.total, r1.amount);
  } finally {
    s.cleanup();
  }
});

test('over-refunds, duplicate refunds and bad lines are refused and change nothing', async () => {
  const s = await setup();
  try {
    const m = seedMember(s.db, 0);
    const sale = commitSale(s.db, { items: [{ code: 'A', qty: 2 }, { code: 'D', qty: 1 }], member: { card: m.card }, payment: { method: 'card' }, at: AT });
    refundSale(s.db, { sale: sale.receiptNo, lines: [{ lineNo: 2, qty: 1 }], at: LATER });
    const before = dumpDb(s.db);
    const bad: [Parameters<typeof refundSale>[1], RegExp][] = [
      [{ sale: sale.receiptNo, lines: [{ lineNo: 1, qty: 3 }] }, /Only 2 of 2/],
      [{ sale: sale.receiptNo, lines: [{ lineNo: 2, qty: 1 }] }, /already refunded in full/],
      [{ sale: sale.receiptNo, lines: [{ lineNo: 9, qty: 1 }] }, /no line 9/],
      [{ sale: sale.receiptNo, lines: [{ lineNo: 1, qty: 0 }] }, /above zero/],
      [{ sale: sale.receiptNo, lines: [{ lineNo: 1, qty: -1 }] }, /above zero/],
      [{ sale: sale.receiptNo, lines: [{ lineNo: 1, qty: 1e9 }] }, /absurd/],
      [{ sale: sale.receiptNo, lines: [{ lineNo: 1, qty: 1 }, { lineNo: 1, qty: 1 }] }, /listed twice/],
      [{ sale: sale.receiptNo, kind: 'void' }, /partly refunded/],
      [{ sale: 'nope' }, /No sale/],
      [{ sale: 999 }, /No sale/],
      [{ sale: sale.receiptNo, at: '2026-03-01T00:00:00+03:00' }, /before its sale/],
    ];
    for (const [req, re] of bad) assert.throws(() => refundSale(s.db, { at: LATER, ...req }), re, JSON.stringify(req));
    assert.equal(dumpDb(s.db), before);
    refundSale(s.db, { sale: sale.receiptNo, at: LATER });
    const after = dumpDb(s.db);
    assert.throws(() => refundSale(s.db, { sale: sale.receiptNo, at: LATER }), /already been refunded in full/);
    assert.equal(dumpDb(s.db), after);
  } finally {
    s.cleanup();
  }
});

test('spent points: the refund creates a debt, or is refused when refundDebt = refuse', async () => {
  const s = await setup();
  try {
    const m = seedMember(s.db, 0);
    const sale = commitSale(s.db, { items: [{ code: 'A', qty: 10 }], member: { card: m.card }, payment: { method: 'card' }, at: AT });
    assert.equal(sale.quote.earnPoints, 50);
    // The member spends the points on another sale.
    commitSale(s.db, { items: [{ code: 'A', qty: 1 }], member: { card: m.card }, redeem: { mode: 'points', points: 50 }, payment: { method: 'card' }, at: AT });
    const bal = balanceOf(s.db, m.id);
    setSetting(s.db, 'loyalty.refundDebt', 'refuse');
    const before = dumpDb(s.db);
    assert.throws(() => refundSale(s.db, { sale: sale.saleId, at: LATER }), (e: { code?: string; message: string }) => e.code === 'INSUFFICIENT_POINTS' && /already spent/.test(e.message));
    assert.equal(dumpDb(s.db), before);
    setSetting(s.db, 'loyalty.refundDebt', 'allow');
    const r = refundSale(s.db, { sale: sale.saleId, at: LATER });
    assert.equal(r.pointsClawed, 50);
    assert.equal(r.balanceAfter, bal - 50);
    assert.equal(r.debt, 50 - bal);
    assert.ok(r.debt > 0);
    assert.equal(verifyLedger(s.db).ok, true, 'a negative balance is still balance == Σ ledger');
  } finally {
    s.cleanup();
  }
});

test('a void cancels the whole sale; sales without a member refund money only', async () => {
  const s = await setup();
  try {
    const sale = commitSale(s.db, { items: [{ code: 'A', qty: 1 }, { code: 'BEER', qty: 2 }], payment: { method: 'cash', tendered: 100000 }, at: AT });
    assert.throws(() => refundSale(s.db, { sale: sale.saleId, kind: 'void', lines: [{ lineNo: 1, qty: 1 }], at: LATER }), /whole sale/);
    const v = refundSale(s.db, { sale: sale.saleId, kind: 'void', reason: 'ошибка кассира', at: LATER });
    assert.equal(v.kind, 'void');
    assert.equal(v.amount, 60000);
    assert.equal(v.cash, 60000);
    assert.deepEqual(v.events.map((e) => e.kind), ['refund']);
    const id = '01900000-0000-7000-8000-00000000000a';
    const sale2 = commitSale(s.db, { items: [{ code: 'A', qty: 1 }], payment: { method: 'card' }, at: AT });
    const r = refundSale(s.db, { sale: sale2.saleId, refundId: id, at: LATER });
    const before = dumpDb(s.db);
    const again = refundSale(s.db, { sale: sale2.saleId, refundId: id, at: LATER });
    assert.equal(again.replayed, true);
    assert.equal(again.refundNo, r.refundNo);
    assert.equal(dumpDb(s.db), before);
  } finally {
    s.cleanup();
  }
});
