import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { appendEvents } from '../db/ledger';
import { createTestStore } from '../testing/store';
import { closeShift } from '../shifts/close';
import { openShift, recordCashMovement } from '../shifts/shift';
import { setSession, type Actor } from '../staff/staff';
import { quickStaff, rawMember, rawRefund, rawSale } from './test-fixtures';

/**
 * Model-based property: for any history of sales (members or not, cash/card/points), refunds,
 * voids, cash movements, enrolments, manual adjustments and cashier changes, the stored Z report
 * equals the sums over exactly that shift's rows — nothing from the shift before leaks in.
 */
type Op =
  | { t: 'sale'; member: number | null; subtotal: number; discountBps: number; redeemBps: number; cashBps: number; earn: number }
  | { t: 'refund'; sale: number; kind: 'refund' | 'void'; bps: number }
  | { t: 'cash'; kind: 'in' | 'out'; amount: number }
  | { t: 'enrol' }
  | { t: 'adjust'; member: number; delta: number }
  | { t: 'signin'; staff: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('sale' as const), member: fc.option(fc.nat(5), { nil: null }), subtotal: fc.integer({ min: 0, max: 500_000 }), discountBps: fc.integer({ min: 0, max: 3000 }), redeemBps: fc.integer({ min: 0, max: 5000 }), cashBps: fc.integer({ min: 0, max: 10_000 }), earn: fc.integer({ min: 0, max: 2000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('refund' as const), sale: fc.nat(30), kind: fc.constantFrom('refund' as const, 'void' as const), bps: fc.integer({ min: 0, max: 10_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cash' as const), kind: fc.constantFrom('in' as const, 'out' as const), amount: fc.integer({ min: 1, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('enrol' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('adjust' as const), member: fc.nat(5), delta: fc.integer({ min: -300, max: 300 }).filter((d) => d !== 0) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('signin' as const), staff: fc.nat(2) }) },
);

const bps = (x: number, b: number) => Math.floor((x * b) / 10_000);

test('Z report totals equal the sums over the shift’s sales, refunds, cash movements and ledger events', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 12 }), fc.array(op, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 1_000_000 }), async (before, during, float, counted) => {
      const store = await createTestStore('kopilka-zprop-', { openShift: false });
      const db = store.db;
      try {
        const staff = quickStaff(db, ['Ира', 'Оля', 'Петя']);
        const members: string[] = [];
        let t = Date.parse('2026-11-25T06:00:00.000Z');
        const at = () => new Date((t += 1000)).toISOString();
        for (let i = 0; i < 3; i++) members.push(rawMember(db, at(), `M${i}`));
        const sales: Array<{ id: string; memberId: string | null; toPay: number; cash: number; card: number; earn: number; redeem: number; refunded: boolean }> = [];
        let session: Actor = staff[0]!;
        setSession(db, session);

        const model = () => ({
          count: 0, subtotal: 0, discount: 0, total: 0, paidByPoints: 0, toPay: 0, cash: 0, card: 0,
          refunds: 0, refundAmount: 0, refundCash: 0, refundCard: 0, voids: 0, voidAmount: 0, voidCash: 0, voidCard: 0,
          paidIn: 0, paidOut: 0, earned: 0, redeemed: 0, clawed: 0, restored: 0, newMembers: 0, adjCount: 0, adjPlus: 0, adjMinus: 0, memberSales: 0,
          perCashier: new Map<string | null, { sales: number; total: number; refunds: number; refundsAmount: number; issued: number; redeemed: number }>(),
        });
        const run = (ops: readonly Op[], m: ReturnType<typeof model>, shiftFloat: number) => {
          const cashier = (id: string | null) => {
            let c = m.perCashier.get(id);
            if (!c) m.perCashier.set(id, (c = { sales: 0, total: 0, refunds: 0, refundsAmount: 0, issued: 0, redeemed: 0 }));
            return c;
          };
          for (const o of ops) {
            switch (o.t) {
              case 'sale': {
                const memberId = o.member === null ? null : members[o.member % members.length]!;
                const discount = bps(o.subtotal, o.discountBps);
                const total = o.subtotal - discount;
                const redeemValue = memberId ? bps(total, o.redeemBps) : 0;
                const toPay = total - redeemValue;
                const cash = bps(toPay, o.cashBps);
                const earn = memberId ? o.earn : 0;
                const id = rawSale(db, { memberId, subtotal: o.subtotal, discount, redeemPoints: redeemValue > 0 ? redeemValue : 0, redeemValue, cash, card: toPay - cash, earn, at: at() });
                sales.push({ id, memberId, toPay, cash, card: toPay - cash, earn, redeem: redeemValue, refunded: false });
                Object.assign(m, { count: m.count + 1, subtotal: m.subtotal + o.subtotal, discount: m.discount + discount, total: m.total + total, paidByPoints: m.paidByPoints + redeemValue, toPay: m.toPay + toPay, cash: m.cash + cash, card: m.card + toPay - cash, earned: m.earned + earn, redeemed: m.redeemed + (redeemValue > 0 ? redeemValue : 0), memberSales: m.memberSales + (memberId ? 1 : 0) });
                const c = cashier(session.staffId);
                c.sales++, (c.total += total), (c.issued += earn), (c.redeemed += redeemValue);
                break;
              }
              case 'refund': {
                const s = sales[o.sale % Math.max(sales.length, 1)];
                if (!s || s.refunded) break;
                s.refunded = true;
                const cash = bps(s.cash, o.bps);
                const card = bps(s.card, o.bps);
                const clawed = bps(s.earn, o.bps);
                const restored = bps(s.redeem, o.bps);
                rawRefund(db, s.id, s.memberId, { kind: o.kind, amount: cash + card, cash, card, clawed, restored, at: at() });
                if (o.kind === 'refund') Object.assign(m, { refunds: m.refunds + 1, refundAmount: m.refundAmount + cash + card, refundCash: m.refundCash + cash, refundCard: m.refundCard + card });
                else Object.assign(m, { voids: m.voids + 1, voidAmount: m.voidAmount + cash + card, voidCash: m.voidCash + cash, voidCard: m.voidCard + card });
                m.clawed += s.memberId ? clawed : 0;
                m.restored += s.memberId ? restored : 0;
                const c = cashier(session.staffId);
                c.refunds++, (c.refundsAmount += cash + card);
                break;
              }
              case 'cash': {
                const drawer = shiftFloat + m.cash - m.refundCash - m.voidCash + m.paidIn - m.paidOut;
                if (o.kind === 'out' && o.amount > drawer) {
                  assert.throws(() => recordCashMovement(db, session, { kind: 'out', amount: o.amount, reason: 'bank', at: at() }), /drawer should hold only/);
                  break;
                }
                recordCashMovement(db, session, { kind: o.kind, amount: o.amount, reason: o.kind === 'in' ? 'change from bank' : 'to the safe', at: at() });
                if (o.kind === 'in') m.paidIn += o.amount;
                else m.paidOut += o.amount;
                break;
              }
              case 'enrol':
                members.push(rawMember(db, at()));
                m.newMembers++;
                break;
              case 'adjust': {
                const memberId = members[o.member % members.length]!;
                db.transaction(() => appendEvents(db, [{ kind: 'adjust', memberId, delta: o.delta, occurredAt: at(), payload: { reason: 'property' } }]))();
                m.adjCount++;
                if (o.delta > 0) m.adjPlus += o.delta;
                else m.adjMinus -= o.delta;
                break;
              }
              case 'signin':
                session = staff[o.staff % staff.length]!;
                setSession(db, session);
                break;
            }
          }
        };

        // Shift 1 (its rows must not show up in shift 2's Z report).
        openShift(db, staff[0]!, { openingFloat: 1000, at: at() });
        run(before, model(), 1000);
        closeShift(db, staff[0]!, { countedCash: 0, at: at() });

        const m = model();
        openShift(db, staff[0]!, { openingFloat: float, at: at() });
        run(during, m, float);
        const { z } = closeShift(db, staff[0]!, { countedCash: counted, at: at() });
        const r = z.report;

        assert.deepEqual(r.sales, { count: m.count, subtotal: m.subtotal, discount: m.discount, total: m.total, paidByPoints: m.paidByPoints, toPay: m.toPay, byMethod: { cash: m.cash, card: m.card, points: m.paidByPoints, gift: 0 } });
        assert.deepEqual(r.refunds, { count: m.refunds, amount: m.refundAmount, cash: m.refundCash, card: m.refundCard });
        assert.deepEqual(r.voids, { count: m.voids, amount: m.voidAmount, cash: m.voidCash, card: m.voidCard });
        const expected = float + m.cash - m.refundCash - m.voidCash + m.paidIn - m.paidOut;
        assert.deepEqual(r.cash, { openingFloat: float, sales: m.cash, refunds: m.refundCash + m.voidCash, paidIn: m.paidIn, paidOut: m.paidOut, expected, counted, overShort: counted - expected });
        assert.equal(r.netTakings, m.toPay - m.refundAmount - m.voidAmount);
        assert.equal(r.loyalty.pointsEarned, m.earned);
        assert.equal(r.loyalty.pointsIssued, m.earned);
        assert.equal(r.loyalty.pointsIssuedValue, m.earned * 100);
        assert.equal(r.loyalty.pointsRedeemed, m.redeemed);
        assert.equal(r.loyalty.pointsRedeemedValue, m.paidByPoints);
        assert.equal(r.loyalty.pointsClawedBack, m.clawed);
        assert.equal(r.loyalty.pointsRestored, m.restored);
        assert.equal(r.loyalty.newMembers, m.newMembers);
        assert.equal(r.loyalty.memberSales, m.memberSales);
        assert.deepEqual(r.loyalty.adjustments, { count: m.adjCount, added: m.adjPlus, removed: m.adjMinus });
        // Per cashier: the lines add up to the totals, and each matches the model.
        for (const c of r.perCashier) {
          const want = m.perCashier.get(c.staffId) ?? { sales: 0, total: 0, refunds: 0, refundsAmount: 0, issued: 0, redeemed: 0 };
          assert.deepEqual(
            { sales: c.sales, total: c.salesTotal, refunds: c.refunds, refundsAmount: c.refundsAmount, issued: c.pointsIssued, redeemed: c.pointsRedeemedValue },
            want,
          );
        }
        assert.equal(r.perCashier.reduce((a, c) => a + c.salesTotal, 0), m.total);
        // Stored as is: reading it back gives the same report.
        assert.deepEqual(JSON.parse(db.prepare('SELECT report FROM z_report WHERE shift_id = ?').pluck().get(r.shiftId) as string).report, JSON.parse(JSON.stringify(r)));
      } finally {
        store.cleanup();
      }
    }),
    { numRuns: 40, seed: 20261125 },
  );
});
