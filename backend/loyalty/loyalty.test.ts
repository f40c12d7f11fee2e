import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { upsertProduct } from '../catalog/catalog';
import { balanceOf, verifyLedger } from '../db/ledger';
import { addMember } from '../members/members';
import { commitSale, quoteSale, type SaleRequest } from '../sales/checkout';
import { refundSale } from '../sales/refund';
import { seedMember, seedTestCatalog, useProgram } from '../testing/fixtures';
import { createTestStore, dumpDb, type TestStore } from '../testing/store';
import {
  createPromo,
  expirePoints,
  getGiftCertificate,
  giftLiability,
  issueGiftCertificate,
  loadMemberSnapshot,
  onMemberEnrolled,
  recordAction,
  saveProgram,
  setReferrer,
} from './index';

/**
 * The rules against a real SQLite file through the real checkout: state written in the sale's
 * transaction, read back by the next quote; refusals change nothing (full dump compared).
 */
let s: TestStore;
before(async () => {
  s = await createTestStore('kopilka-loyalty-');
  seedTestCatalog(s.db);
  upsertProduct(s.db, { sku: 'GIFT', name: 'Сертификат 1000 ₽', category: 'Сертификаты', price: 100_000, earnsPoints: false, payableWithPoints: false });
  useProgram(s.db, {
    name: 'test full',
    earn: { base: { mode: 'percent', bps: 500 } },
    redeem: { pointValue: 100, maxShareBps: 5000 },
    tiers: { basis: 'rolling', levels: [{ id: 'b', name: 'Bronze', threshold: 0, earnBps: 500 }, { id: 's', name: 'Silver', threshold: 30_000, earnBps: 1000 }] },
    campaigns: [{ id: 'thrice', name: 'First three +7', effect: { kind: 'fixed', points: 7 }, perMemberLimit: 3 }],
    bonuses: {
      birthday: { points: 500, windowDays: 3 },
      welcome: { points: 100, afterFirstPurchase: false },
      referral: { newMemberPoints: 50, referrerPoints: 200 },
      actions: [{ id: 'review', name: 'Left a review', points: 40, maxPerPeriod: 1, periodDays: 365 }],
    },
    stamps: [{ id: 'coffee', name: 'Coffee card', scope: { categories: ['Кофе'] }, goal: 3, rewardItem: 'next', reward: { kind: 'free_item' } }],
    rewards: [{ id: 'free-a', name: 'A for points', cost: 120, reward: { kind: 'free_item', scope: { products: ['A'] } } }],
    giftCertificates: { scope: { categories: ['Сертификаты'] }, validDays: 180 },
  });
});
after(() => s.cleanup());

const sale = (memberCard: string | null, items: [string, number][], at: string, extra: Partial<SaleRequest> = {}) =>
  commitSale(s.db, { items: items.map(([code, qty]) => ({ code, qty })), member: memberCard ? { card: memberCard } : null, at, payment: { method: 'card' }, ...extra });

function assertLedgerOk(): void {
  const v = verifyLedger(s.db);
  assert.equal(v.ok, true, JSON.stringify(v.problem));
}

test('stamps, tier upgrade and campaign limit carry from sale to sale', () => {
  const m = seedMember(s.db);
  const r1 = sale(m.card, [['A', 2]], '2026-03-02T10:00:00+03:00');
  assert.equal(r1.quote.stamps[0]?.count, 2);
  assert.equal(r1.quote.earnPoints, 10 + 7);
  assert.equal(r1.quote.tier?.levelId, 'b');
  const r2 = sale(m.card, [['A', 2]], '2026-03-03T10:00:00+03:00');
  // 2 stamps + 2 coffees: one stamp to reach 3, the next one is free (100 ₽ off), tier still Bronze before the sale.
  assert.equal(r2.quote.discount, 10_000);
  assert.equal(r2.quote.stamps[0]?.count, 0);
  assert.equal(r2.quote.tier?.levelAfterId, 's');
  const r3 = sale(m.card, [['A', 1]], '2026-03-04T10:00:00+03:00');
  assert.equal(r3.quote.tier?.levelId, 's');
  assert.ok(r3.quote.effects.some((e) => e.label === 'Silver 10% · +10'));
  const r4 = sale(m.card, [['A', 1]], '2026-03-05T10:00:00+03:00');
  assert.ok(!r4.quote.campaignsUsed.includes('thrice'), 'campaign limited to 3 sales');
  assert.ok(r4.quote.effects.some((e) => e.ruleId === 'campaign.thrice.limit'));
  refundSale(s.db, { sale: r3.saleId, at: '2026-03-05T11:00:00+03:00' });
  const r5 = sale(m.card, [['A', 1]], '2026-03-05T12:00:00+03:00');
  assert.ok(r5.quote.campaignsUsed.includes('thrice'), 'a sale returned in full frees its campaign use');
  assertLedgerOk();
});

test('birthday bonus once a year, as a bonus event with its reason', () => {
  const m = addMember(s.db, { name: 'Именинник', phone: '+79160000777', card: 'KP-777', birthday: '1991-03-12', consentPd: true }, '2026-01-10T10:00:00+03:00');
  const r1 = sale('KP-777', [['D', 1]], '2026-03-11T12:00:00+03:00');
  // The welcome bonus (never given at enrolment here) comes with the first sale too.
  assert.deepEqual(r1.quote.bonuses.map((b) => [b.kind, b.points]), [['birthday', 500], ['welcome', 100]]);
  const r2 = sale('KP-777', [['D', 1]], '2026-03-12T12:00:00+03:00');
  assert.equal(r2.quote.bonusPoints, 0);
  const bonus = s.db.prepare("SELECT delta, json_extract(payload, '$.reason') AS reason FROM ledger_event WHERE member_id = ? AND kind = 'bonus' AND json_extract(payload, '$.reason') = 'birthday'").all(m.id);
  assert.deepEqual(bonus, [{ delta: 500, reason: 'birthday' }]);
  assertLedgerOk();
});

test('welcome on enrolment once; referral pays the new member and the referrer on the first purchase only', () => {
  const at = '2026-03-02T10:00:00+03:00';
  const y = seedMember(s.db);
  const x = addMember(s.db, { name: 'Новичок', phone: '+79160000888', card: 'KP-888', consentPd: true }, at);
  assert.equal(onMemberEnrolled(s.db, x.id, at)?.delta, 100);
  assert.equal(onMemberEnrolled(s.db, x.id, at), null);
  setReferrer(s.db, x.id, y.id, at);
  const yBefore = balanceOf(s.db, y.id);
  const r1 = sale('KP-888', [['D', 1]], '2026-03-02T11:00:00+03:00');
  assert.deepEqual(r1.quote.bonuses.map((b) => [b.kind, b.points]), [['referral_new', 50], ['referral_referrer', 200]]);
  assert.equal(balanceOf(s.db, y.id), yBefore + 200);
  const r2 = sale('KP-888', [['D', 1]], '2026-03-02T12:00:00+03:00');
  assert.equal(r2.quote.bonuses.length, 0);
  const dump = dumpDb(s.db);
  assert.throws(() => setReferrer(s.db, x.id, y.id, at), /already has a referrer/);
  assert.equal(dumpDb(s.db), dump);
  assertLedgerOk();
});

test('staff-recorded action respects its frequency cap and leaves nothing behind when refused', () => {
  const m = seedMember(s.db);
  const r = recordAction(s.db, m.id, 'review', '2026-03-02T10:00:00+03:00', 'cashier-1');
  assert.equal(r.event.delta, 40);
  assert.equal(balanceOf(s.db, m.id), 40);
  const dump = dumpDb(s.db);
  assert.throws(() => recordAction(s.db, m.id, 'review', '2026-06-02T10:00:00+03:00'), (e: Error & { code?: string }) => e.code === 'LIMIT_EXCEEDED' && /already rewarded 1 time/.test(e.message));
  assert.throws(() => recordAction(s.db, m.id, 'tiktok', '2026-06-02T10:00:00+03:00'), /no action "tiktok"/);
  assert.equal(dumpDb(s.db), dump);
  assert.equal(recordAction(s.db, m.id, 'review', '2027-03-03T10:00:00+03:00').usedInPeriod, 1, 'a new period allows it again');
});

test('catalog reward paid with points is a redeem event; promo code single-use', () => {
  const m = seedMember(s.db, 300);
  createPromo(s.db, { code: 'once50', kind: 'percent', value: 5000, maxUses: 1 });
  const r = sale(m.card, [['A', 1], ['D', 1]], '2026-03-06T10:00:00+03:00', { loyalty: { rewards: ['free-a'], promoCode: 'ONCE50' } });
  assert.equal(r.quote.rewardPoints, 120);
  assert.equal(r.quote.discount, 10_000 + 500);
  // Programs here set no locale: the reason lines are the Russian defaults.
  assert.ok(r.quote.effects.some((e) => e.label === 'Промокод ONCE50 50% · −5 ₽'.replace(/ ₽/, '\u00a0₽')), JSON.stringify(r.quote.effects.map((e) => e.label)));
  const redeem = s.db.prepare("SELECT delta, json_extract(payload, '$.rewardId') AS reward FROM ledger_event WHERE sale_id = ? AND kind = 'redeem'").all(r.saleId);
  assert.deepEqual(redeem, [{ delta: -120, reward: 'free-a' }]);
  const dump = dumpDb(s.db);
  assert.throws(() => sale(m.card, [['D', 1]], '2026-03-06T11:00:00+03:00', { loyalty: { promoCode: 'ONCE50' } }), /used up/);
  assert.throws(() => sale(m.card, [['D', 1]], '2026-03-06T11:00:00+03:00', { loyalty: { promoCode: 'NOPE' } }), /Unknown promo code NOPE/);
  assert.throws(() => sale(m.card, [['D', 1]], '2026-03-06T11:00:00+03:00', { loyalty: { rewards: ['free-a'] } }), /needs a matching item/);
  assert.equal(dumpDb(s.db), dump);
  assertLedgerOk();
});

test('gift certificate: sold without points, spent as tender, liability follows, cannot be overspent', () => {
  const m = seedMember(s.db, 5000);
  const sold = sale(m.card, [['GIFT', 1], ['A', 1]], '2026-03-07T10:00:00+03:00', { redeem: { mode: 'max' } });
  assert.equal(sold.quote.earnPoints, 2 + 7); // 5% of the 50 ₽ of A paid in money (+7 campaign); nothing on the certificate
  assert.equal(sold.quote.redeemValue, 5_000); // points paid only for A
  const code = s.db.prepare('SELECT code FROM gift_certificate WHERE sale_id = ?').pluck().get(sold.saleId) as string;
  assert.match(code, /^GC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.equal(giftLiability(s.db, '2026-03-07T12:00:00+03:00').amount, 100_000);
  const paid = sale(null, [['A', 3]], '2026-03-08T10:00:00+03:00', { loyalty: { giftCodes: [code.toLowerCase()] } });
  assert.equal(paid.quote.giftPaid, 30_000);
  assert.equal(paid.quote.toPay, 0);
  assert.deepEqual(paid.payments.map((p) => [p.method, p.amount]), [['gift', 30_000]]);
  assert.equal(getGiftCertificate(s.db, code).balance, 70_000);
  const dump = dumpDb(s.db);
  assert.throws(() => sale(null, [['A', 1]], '2026-09-10T10:00:00+03:00', { loyalty: { giftCodes: [code] } }), /expired on/);
  assert.throws(() => sale(null, [['A', 1]], '2026-03-08T10:00:00+03:00', { loyalty: { giftCodes: [code, code] } }), /twice/);
  assert.equal(dumpDb(s.db), dump);
  const manual = issueGiftCertificate(s.db, { amount: 50_000, currency: 'RUB', at: '2026-03-08T10:00:00+03:00', zone: 'Europe/Moscow', validDays: 30 });
  assert.equal(getGiftCertificate(s.db, manual.code).balance, 50_000);
});

test('pending points, soonest-expiring first, expiry events, and policies never retroactive', async () => {
  const t = await createTestStore('kopilka-lots-');
  try {
    seedTestCatalog(t.db);
    saveProgram(t.db, { name: 'v1', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 }, points: { pendingDays: 14, expiryDays: 30, warnDays: 30 } }, '2000-01-01T00:00:00Z');
    const m = seedMember(t.db);
    const c = (items: [string, number][], at: string, extra: Partial<SaleRequest> = {}) => commitSale(t.db, { items: items.map(([code, qty]) => ({ code, qty })), member: { card: m.card }, at, payment: { method: 'card' }, ...extra });
    c([['A', 10]], '2026-03-01T12:00:00+03:00'); // 100 points, spendable 15.03, expire 31.03
    let snap = loadMemberSnapshot(t.db, m.id, '2026-03-05T12:00:00+03:00');
    assert.deepEqual([snap.balance, snap.pending], [0, 100]);
    const dump = dumpDb(t.db);
    assert.throws(() => c([['A', 1]], '2026-03-05T12:00:00+03:00', { redeem: { mode: 'points', points: 10 } }), /has 0 points/);
    assert.equal(dumpDb(t.db), dump);
    // A new program version: pending 0 days, points never expire — the March lot keeps its own dates.
    saveProgram(t.db, { name: 'v2', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 } }, '2026-03-10T00:00:00+03:00');
    c([['A', 5]], '2026-03-10T12:00:00+03:00'); // 50 points, spendable at once, never expire
    snap = loadMemberSnapshot(t.db, m.id, '2026-03-20T12:00:00+03:00');
    assert.deepEqual([snap.balance, snap.pending], [150, 0]);
    const q = quoteSale(t.db, { items: [{ code: 'D', qty: 1 }], member: { card: m.card }, at: '2026-03-20T12:00:00+03:00' });
    assert.ok(q.quote.effects.some((e) => e.label === '100 баллов сгорят 31.03'), JSON.stringify(q.quote.effects.map((e) => e.label)));
    c([['A', 1]], '2026-03-20T12:00:00+03:00', { redeem: { mode: 'points', points: 30 } }); // spends the soonest-expiring lot
    assert.equal(expirePoints(t.db, '2026-03-25T00:00:00+03:00').length, 0);
    const expired = expirePoints(t.db, '2026-04-01T00:00:00+03:00');
    assert.deepEqual(expired.map((e) => e.delta), [-70]);
    assert.equal(expirePoints(t.db, '2026-04-02T00:00:00+03:00').length, 0, 'idempotent');
    assert.equal(balanceOf(t.db, m.id), 150 - 30 + 7 - 70);
    assert.equal(loadMemberSnapshot(t.db, m.id, '2026-04-02T00:00:00+03:00').balance, balanceOf(t.db, m.id));
    assert.equal(verifyLedger(t.db).ok, true);
  } finally {
    t.cleanup();
  }
});

test('a refund claws back pending points from their own lot', async () => {
  const t = await createTestStore('kopilka-lots2-');
  try {
    seedTestCatalog(t.db);
    saveProgram(t.db, { name: 'v1', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 }, points: { pendingDays: 14 } }, '2000-01-01T00:00:00Z');
    const m = seedMember(t.db, 50);
    const r = commitSale(t.db, { items: [{ code: 'A', qty: 2 }], member: { card: m.card }, at: '2026-03-01T12:00:00+03:00', payment: { method: 'card' } });
    refundSale(t.db, { sale: r.saleId, at: '2026-03-02T12:00:00+03:00' });
    const snap = loadMemberSnapshot(t.db, m.id, '2026-03-03T12:00:00+03:00');
    assert.deepEqual([snap.balance, snap.pending], [50, 0]);
  } finally {
    t.cleanup();
  }
});

test('the receipt shows pending and expiring points, tier progress and stamps from the stored effects', async () => {
  const { buildSaleReceipt } = await import('../sales/receipt');
  const t = await createTestStore('kopilka-receipt-');
  try {
    seedTestCatalog(t.db);
    saveProgram(t.db, {
      name: 'r', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 },
      tiers: { levels: [{ id: 'b', name: 'Bronze', threshold: 0 }, { id: 'g', name: 'Gold', threshold: 1_000_000 }] },
      stamps: [{ id: 'c', name: 'Coffee', scope: { categories: ['Кофе'] }, goal: 10, reward: { kind: 'free_item' } }],
      points: { pendingDays: 7, expiryDays: 20, warnDays: 30 },
    }, '2000-01-01T00:00:00Z');
    const m = seedMember(t.db);
    commitSale(t.db, { items: [{ code: 'A', qty: 1 }], member: { card: m.card }, at: '2026-03-01T12:00:00+03:00', payment: { method: 'card' } });
    const r = commitSale(t.db, { items: [{ code: 'A', qty: 2 }], member: { card: m.card }, at: '2026-03-10T12:00:00+03:00', payment: { method: 'card' } });
    const loyalty = buildSaleReceipt(t.db, r.saleId).loyalty!;
    assert.equal(loyalty.pending, 20);
    assert.deepEqual(loyalty.expiring, { points: 10, date: '21.03' });
    assert.equal(loyalty.tier?.name, 'Bronze');
    assert.match(loyalty.tier?.progress ?? '', /до Gold/); // default locale: Russian
    assert.deepEqual(loyalty.stamps, [{ label: 'Coffee', have: 3, need: 10 }]);
  } finally {
    t.cleanup();
  }
});

test('a sale after a lot lapsed writes its expire event in the same transaction', async () => {
  const t = await createTestStore('kopilka-lots3-');
  try {
    seedTestCatalog(t.db);
    saveProgram(t.db, { name: 'v1', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 }, points: { expiryDays: 10 } }, '2000-01-01T00:00:00Z');
    const m = seedMember(t.db);
    commitSale(t.db, { items: [{ code: 'A', qty: 1 }], member: { card: m.card }, at: '2026-03-01T12:00:00+03:00', payment: { method: 'card' } });
    const r = commitSale(t.db, { items: [{ code: 'A', qty: 1 }], member: { card: m.card }, at: '2026-03-20T12:00:00+03:00', payment: { method: 'card' } });
    assert.deepEqual(r.events.filter((e) => e.kind === 'expire').map((e) => e.delta), [-10]);
    assert.equal(balanceOf(t.db, m.id), 10);
    assert.equal(loadMemberSnapshot(t.db, m.id, '2026-03-20T12:00:01+03:00').balance, 10);
    assert.equal(verifyLedger(t.db).ok, true);
  } finally {
    t.cleanup();
  }
});

test('refunds undo stamps, put certificate money back, cancel returned certificates and refuse spent ones', () => {
  const m = seedMember(s.db);
  const r1 = sale(m.card, [['A', 2], ['D', 1]], '2026-04-01T10:00:00+03:00');
  assert.equal(r1.quote.stamps[0]?.count, 2);
  refundSale(s.db, { sale: r1.saleId, lines: [{ lineNo: 1, qty: 1 }], at: '2026-04-01T11:00:00+03:00' });
  assert.equal(s.db.prepare('SELECT count FROM loyalty_stamp WHERE member_id = ?').pluck().get(m.id), 1);

  const sold = sale(null, [['GIFT', 2]], '2026-04-02T10:00:00+03:00');
  const codes = sold.giftCertificates.map((g) => g.code);
  assert.equal(codes.length, 2);
  const paid = sale(null, [['A', 1]], '2026-04-02T11:00:00+03:00', { loyalty: { giftCodes: [codes[0]!] } });
  assert.equal(getGiftCertificate(s.db, codes[0]!).balance, 90_000);
  refundSale(s.db, { sale: paid.saleId, at: '2026-04-02T12:00:00+03:00' });
  assert.equal(getGiftCertificate(s.db, codes[0]!).balance, 100_000, 'certificate money goes back onto the certificate');

  const spend = sale(null, [['A', 1]], '2026-04-02T13:00:00+03:00', { loyalty: { giftCodes: [codes[0]!] } });
  assert.equal(spend.quote.giftPaid, 10_000);
  const dump = dumpDb(s.db);
  assert.throws(() => refundSale(s.db, { sale: sold.saleId, at: '2026-04-02T14:00:00+03:00' }), /already been used/);
  assert.equal(dumpDb(s.db), dump, 'a refused refund changes nothing');
  const before = giftLiability(s.db, '2026-04-02T15:00:00+03:00').amount;
  refundSale(s.db, { sale: sold.saleId, lines: [{ lineNo: 1, qty: 1 }], at: '2026-04-02T15:00:00+03:00' });
  assert.equal(giftLiability(s.db, '2026-04-02T15:00:00+03:00').amount, before - 100_000, 'the unused certificate is cancelled');
  assert.equal(getGiftCertificate(s.db, codes[1]!).status, 'void');
  assertLedgerOk();
});

test('simulator: per day, Δ points issued and redeemed under a candidate, and the cost in money', async () => {
  const { simulateProgram } = await import('./simulate');
  const { parseProgram } = await import('../../core/loyalty/program');
  const t = await createTestStore('kopilka-sim-');
  try {
    seedTestCatalog(t.db);
    saveProgram(t.db, { name: 'now', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000 } }, '2000-01-01T00:00:00Z');
    const m = seedMember(t.db, 100);
    const c = (qty: number, at: string, redeem = 0) => commitSale(t.db, { items: [{ code: 'A', qty }], member: { card: m.card }, at, payment: { method: 'card' }, redeem: redeem ? { mode: 'points', points: redeem } : { mode: 'none' } });
    c(2, '2026-05-01T10:00:00+03:00'); // 10 pts now
    c(4, '2026-05-01T23:30:00+03:00'); // 20 pts now; still 1 May in Moscow
    c(1, '2026-05-02T10:00:00+03:00', 40); // 40 redeemed, 3 pts now
    const before = dumpDb(t.db);
    const sim = simulateProgram(t.db, parseProgram({ name: 'double', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 3000 } }), '2026-05-01', '2026-05-02');
    assert.equal(dumpDb(t.db), before, 'simulating writes nothing');
    assert.deepEqual(sim.days.map((d) => [d.date, d.actual.sales, d.actual.issued, d.candidate.issued, d.delta.redeemed]), [
      ['2026-05-01', 2, 30, 60, 0],
      ['2026-05-02', 1, 3, 7, -10], // the cap falls to 30% = 30 pts, so 10 fewer redeemed and 10% of 70 ₽ earned
    ]);
    assert.equal(sim.totals.cost, (60 + 7 - 30 - 3) * 100);
    assert.throws(() => simulateProgram(t.db, parseProgram({ name: 'x', earn: { base: { mode: 'percent', bps: 1 } }, redeem: {} }), '2026-05-03', '2026-05-01'), /--from must not be after --to/);
  } finally {
    t.cleanup();
  }
});
