import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedDemo } from '../db/seed-demo';
import { shiftReportModel } from '../reports/print-model';
import { seedStaff } from '../reports/test-fixtures';
import { commitSale } from '../sales/checkout';
import { refundSale } from '../sales/refund';
import { setSession } from '../staff/staff';
import { createTestStore, dumpDb } from '../testing/store';
import { closeShift, getZReport, lastZReport, xReport } from './close';
import { currentShift, listCashMovements, openShift, recordCashMovement, requireOpenShift } from './shift';

const AT = (min: number) => new Date(Date.parse('2026-11-25T07:00:00.000Z') + min * 60_000).toISOString();

test('a shift day: no sale before opening, float, sales, cash in/out, refund, X, close with over/short, final Z', async () => {
  const store = await createTestStore('kopilka-shift-', { openShift: false });
  const db = store.db;
  try {
    const { manager, cashier } = seedStaff(db);
    seedDemo(db, AT(0)); // opens the unattended demo shift №1
    closeShift(db, manager, { countedCash: 0, at: AT(1) });
    assert.equal(currentShift(db), null);

    // No open shift: the sale is refused and nothing is written.
    const before = dumpDb(db);
    assert.throws(() => commitSale(db, { items: [{ code: 'LATTE', qty: 1 }], at: AT(2) }), (e: Error & { code?: string }) => e.code === 'CONFLICT' && /No shift is open/.test(e.message));
    assert.throws(() => requireOpenShift(db), { code: 'CONFLICT' });
    assert.throws(() => recordCashMovement(db, cashier, { kind: 'in', amount: 100, reason: 'x', at: AT(2) }), /No shift is open/);
    assert.throws(() => closeShift(db, manager, { countedCash: 0, at: AT(2) }), { code: 'CONFLICT' });
    assert.equal(dumpDb(db), before);

    const s = openShift(db, cashier, { openingFloat: 300_000, at: AT(3) });
    assert.equal(s.number, 2);
    assert.throws(() => openShift(db, cashier, { openingFloat: 0, at: AT(3) }), /already open/);
    assert.throws(() => openShift(db, cashier, { openingFloat: -1 }), { code: 'VALIDATION' });
    assert.throws(() => openShift(db, cashier, { openingFloat: 0, at: '25.11.2026' }), { code: 'VALIDATION' });
    setSession(db, cashier);

    const sale1 = commitSale(db, { items: [{ code: 'LATTE', qty: 2 }], member: { card: '2000000100012' }, redeem: { mode: 'points', points: 100 }, payment: { method: 'cash', tendered: 50_000 }, at: AT(5) });
    const sale2 = commitSale(db, { items: [{ code: 'ESPRESSO', qty: 1 }], payment: { method: 'card' }, at: AT(6) });
    // Eleven coffees for a member on the demo coffee card (10 stamps, the next one free).
    const sale3 = commitSale(db, { items: [{ code: 'LATTE', qty: 11 }], member: { card: '2000000100012' }, payment: { method: 'card' }, at: AT(6) });
    const stamps = [sale1, sale3].flatMap((x) => x.quote.stamps ?? []);
    const stampsAdded = stamps.reduce((a, x) => a + x.added, 0);
    const rewards = stamps.reduce((a, x) => a + x.rewards, 0);
    assert.ok(stampsAdded >= 10 && rewards >= 1, 'the demo program gives coffee stamps and a free coffee');
    recordCashMovement(db, cashier, { kind: 'in', amount: 50_000, reason: 'change from the bank', at: AT(7) });
    recordCashMovement(db, cashier, { kind: 'out', amount: 20_000, reason: 'paid the courier', at: AT(8) });
    const cashSale1 = sale1.payments.filter((p) => p.method === 'cash').reduce((a, p) => a + p.amount, 0);
    const drawer = 300_000 + cashSale1 + 50_000 - 20_000;

    // A cash-out above what the drawer should hold is refused, nothing written.
    const before2 = dumpDb(db);
    assert.throws(() => recordCashMovement(db, cashier, { kind: 'out', amount: drawer + 1, reason: 'too much', at: AT(9) }), /drawer should hold only/);
    assert.throws(() => recordCashMovement(db, cashier, { kind: 'in', amount: 100, reason: '   ', at: AT(9) }), { code: 'VALIDATION' });
    assert.throws(() => recordCashMovement(db, cashier, { kind: 'in', amount: 1.5, reason: 'x', at: AT(9) }), { code: 'VALIDATION' });
    assert.equal(dumpDb(db), before2);

    setSession(db, manager);
    const ref = refundSale(db, { sale: sale2.saleId, reason: 'wrong order', at: AT(10) });
    const x = xReport(db, AT(11));
    assert.equal(x.status, 'open');
    assert.equal(x.sales.count, 3);
    assert.equal(x.sales.total, sale1.quote.total + sale2.quote.total + sale3.quote.total);
    assert.equal(x.sales.byMethod.card, sale2.quote.toPay + sale3.quote.toPay);
    assert.equal(x.loyalty.stampsGiven, stampsAdded);
    assert.equal(x.loyalty.freeItems, rewards);
    assert.equal(x.refunds.count, 1);
    assert.equal(x.refunds.amount, ref.amount);
    assert.equal(x.cash.expected, drawer - ref.cash);
    assert.equal(x.loyalty.pointsRedeemed, 100);
    assert.equal(x.loyalty.pointsRedeemedValue, 10_000);
    assert.equal(x.loyalty.pointsEarned, sale1.quote.earnPoints + sale3.quote.earnPoints);
    assert.deepEqual(x.perCashier.map((c) => [c.name, c.sales, c.refunds]), [['Cashier Katya', 3, 0], ['Manager Misha', 0, 1]]);
    assert.deepEqual(listCashMovements(db, s.id).map((m) => [m.kind, m.amount]), [['in', 50_000], ['out', 20_000]]);

    // Close 150 ₽ short.
    const counted = x.cash.expected - 15_000;
    const { shift, z } = closeShift(db, manager, { countedCash: counted, note: 'short: tips taken by mistake', at: AT(20) });
    assert.equal(shift.status, 'closed');
    assert.equal(shift.expectedCash, x.cash.expected);
    assert.equal(shift.overShort, -15_000);
    assert.equal(z.report.cash.overShort, -15_000);
    assert.equal(z.report.status, 'closed');
    assert.equal(z.unsyncedEvents > 0, true, 'an unregistered till has unsynced events, recorded on the Z report');
    assert.deepEqual(getZReport(db, 2), z);
    assert.deepEqual(lastZReport(db), z);
    assert.throws(() => db.prepare("UPDATE z_report SET report = '{}'").run(), /final/);
    assert.throws(() => db.prepare('UPDATE shift SET counted_cash = 1 WHERE number = 2').run(), /closed shift/);
    assert.throws(() => commitSale(db, { items: [{ code: 'LATTE', qty: 1 }], at: AT(21) }), /No shift is open/);
    const closedDump = dumpDb(db);
    assert.throws(() => refundSale(db, { sale: sale3.saleId, reason: 'after hours', at: AT(21) }), /No shift is open/);
    assert.equal(dumpDb(db), closedDump);

    // The printable model: title, shift number, a section per cashier, money as integers.
    const model = shiftReportModel(z.report, 'z_report', { shop: { name: 'Кофейня', address: [] }, timezone: 'Europe/Moscow', staffNames: { [manager.staffId]: 'Миша' }, unsyncedEvents: z.unsyncedEvents });
    assert.equal(model.kind, 'z_report');
    assert.equal(model.title, 'Z-ОТЧЁТ');
    assert.equal(model.subtitle, 'Смена №2');
    assert.equal(model.time, '25.11.2026 10:20');
    const cash = model.sections.find((sec) => sec.title === 'Касса')!;
    assert.deepEqual(cash.rows.find((r) => r.label === 'Недостача')?.value, { money: 15_000 });
    assert.ok(model.sections.some((sec) => sec.title === 'Кассир: Миша'));
    assert.match(model.footer.join('\n'), /Не отправлено на сервер/);
  } finally {
    store.cleanup();
  }
});
