import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendEvents } from '../db/ledger';
import { setSetting } from '../db/settings';
import { saveProgram } from '../loyalty/program-store';
import { createTestStore, dumpDb } from '../testing/store';
import { analyticsCsv, defaultPeriod, loyaltyAnalytics } from './loyalty-analytics';
import { rawMember, rawSale } from './test-fixtures';

const DEMO_PROGRAM = JSON.parse(readFileSync(new URL('../../resources/programs/demo-cafe.json', import.meta.url), 'utf8')) as unknown;

test('loyalty analytics: members, repeat rate, frequency, average checks, cohorts, liability with expiry, tiers, campaigns, monthly, CSV', async () => {
  const store = await createTestStore('kopilka-analytics-', { openShift: false });
  const db = store.db;
  const sale = (memberId: string | null, at: string, total: number, earn = 0, effects: readonly unknown[] = []) =>
    rawSale(db, { memberId, subtotal: total, discount: 0, redeemPoints: 0, redeemValue: 0, cash: total, card: 0, earn, at, effects });
  try {
    saveProgram(db, DEMO_PROGRAM, '2026-01-01T00:00:00+03:00', 'demo');
    const a = rawMember(db, '2026-01-10T10:00:00+03:00', 'A');
    const b = rawMember(db, '2026-02-05T10:00:00+03:00', 'B');
    rawMember(db, '2026-03-01T10:00:00+03:00', 'C'); // enrolled, never buys
    sale(a, '2026-01-15T12:00:00+03:00', 10_000, 100);
    sale(a, '2026-02-20T12:00:00+03:00', 20_000, 100);
    sale(a, '2026-03-05T12:00:00+03:00', 30_000, 100);
    const bSale = sale(b, '2026-02-10T12:00:00+03:00', 5_000, 10, [{ ruleId: 'happy-tue', kind: 'earn', label: 'x2', points: 10, amount: 0, lineNos: [1] }]);
    sale(null, '2026-02-11T12:00:00+03:00', 4_000);
    sale(null, '2026-03-12T23:30:00+03:00', 6_000); // late evening Moscow time: still March 12th
    sale(null, '2026-04-02T12:00:00+03:00', 9_999); // after the period
    // B's 10 points expire in January 2027; A spends 50 points by hand later.
    const bEarn = db.prepare("SELECT id FROM ledger_event WHERE sale_id = ? AND kind = 'earn'").pluck().get(bSale) as string;
    db.prepare('INSERT INTO loyalty_lot (event_id, member_id, available_at, expires_at) VALUES (?, ?, ?, ?)').run(bEarn, b, '2026-02-10T12:00:00+03:00', '2027-01-15T00:00:00+03:00');
    db.transaction(() => appendEvents(db, [{ kind: 'adjust', memberId: a, delta: -50, occurredAt: '2026-04-10T10:00:00+03:00', payload: { reason: 'test' } }]))();
    db.prepare("INSERT INTO loyalty_tier (member_id, level_id, review_at, since, updated_at) VALUES (?, 'silver', 'r', 's', 'u')").run(a);

    const before = dumpDb(db);
    const r = loyaltyAnalytics(db, { from: '2026-01-01', to: '2026-03-31' }, '2026-04-15T00:00:00.000Z');
    assert.equal(dumpDb(db), before, 'analytics only read');
    assert.deepEqual(r.members, { total: 3, active: 2, new: 3, erased: 0 });
    assert.equal(r.repeatRateBps, 5000);
    assert.equal(r.frequencyX100, 200);
    assert.deepEqual(r.averageCheck, { members: 16_250, nonMembers: 5_000, memberSales: 4, nonMemberSales: 2 });
    assert.deepEqual(r.cohorts, [
      { cohort: '2026-01', size: 1, retained: [1, 1, 1] },
      { cohort: '2026-02', size: 1, retained: [1, 0] },
      { cohort: '2026-03', size: 0, retained: [0] },
    ]);
    assert.deepEqual(r.liability, { points: 260, value: 26_000, pointValue: 100, pending: 0, debt: 0, expiry: [{ month: '2027-01', points: 10, value: 1_000 }], neverExpires: 250 });
    assert.deepEqual(r.tiers, [{ tier: 'none', members: 2 }, { tier: 'Серебро', members: 1 }]);
    assert.deepEqual(r.campaigns, [
      { id: 'happy-tue', name: 'Двойные баллы', sales: 1, members: 1, revenue: 5_000, points: 10, discount: 0 },
      { id: 'breakfast', name: 'Завтрак +20', sales: 0, members: 0, revenue: 0, points: 0, discount: 0 },
    ]);
    assert.deepEqual(r.monthly, [
      { month: '2026-01', sales: 1, memberSales: 1, revenue: 10_000, memberRevenue: 10_000, pointsIssued: 100, pointsRedeemed: 0, newMembers: 1 },
      { month: '2026-02', sales: 3, memberSales: 2, revenue: 29_000, memberRevenue: 25_000, pointsIssued: 110, pointsRedeemed: 0, newMembers: 1 },
      { month: '2026-03', sales: 2, memberSales: 1, revenue: 36_000, memberRevenue: 30_000, pointsIssued: 100, pointsRedeemed: 0, newMembers: 1 },
    ]);

    assert.equal(
      analyticsCsv(r, 'monthly'),
      'month,sales,member_sales,revenue_minor,member_revenue_minor,points_issued,points_redeemed,new_members\r\n' +
        '2026-01,1,1,10000,10000,100,0,1\r\n2026-02,3,2,29000,25000,110,0,1\r\n2026-03,2,1,36000,30000,100,0,1\r\n',
    );
    assert.equal(analyticsCsv(r, 'cohorts').split('\r\n')[0], 'cohort,size,month_0,month_1,month_2');
    assert.equal(analyticsCsv(r, 'liability'), 'expires_month,points,value_minor\r\n2027-01,10,1000\r\nnever,250,25000\r\n');
    // Cells are quoted when needed and spreadsheet formulas are defused.
    assert.equal(analyticsCsv({ ...r, tiers: [{ tier: '=HYPERLINK("x"),1', members: 1 }] }, 'tiers'), 'tier,members\r\n"\'=HYPERLINK(""x""),1",1\r\n');

    for (const bad of [{ from: '2026-13-01', to: '2026-12-31' }, { from: '2026-03-01', to: '2026-01-01' }, { from: 'yesterday', to: '2026-01-01' }]) {
      assert.throws(() => loyaltyAnalytics(db, bad), { code: 'VALIDATION' });
    }
  } finally {
    store.cleanup();
  }
});

test("the default period ends today in the shop's time zone, so a sale after local midnight is in it", async () => {
  const store = await createTestStore('kopilka-analytics-period-', { openShift: false });
  const db = store.db;
  try {
    setSetting(db, 'shop.timezone', 'Europe/Moscow');
    // 21:30 UTC on 7 December is 00:30 on the 8th in Moscow, where the sale below is dated.
    const now = new Date('2026-12-07T21:30:00Z');
    assert.deepEqual(defaultPeriod(db, now), { from: '2026-01-01', to: '2026-12-08' });
    assert.deepEqual(defaultPeriod(db, new Date('2026-03-15T09:00:00Z')), { from: '2025-04-01', to: '2026-03-15' });
    rawSale(db, { memberId: null, subtotal: 5_000, discount: 0, redeemPoints: 0, redeemValue: 0, cash: 5_000, card: 0, earn: 0, at: '2026-12-08T00:25:00+03:00', effects: [] });
    const r = loyaltyAnalytics(db, defaultPeriod(db, now), now.toISOString());
    assert.equal(r.monthly.find((m) => m.month === '2026-12')?.revenue, 5_000);
  } finally {
    store.cleanup();
  }
});
