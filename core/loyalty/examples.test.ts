import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseProgram, type Program, type ProgramInput } from './program';
import { quote, type CartLine, type MemberSnapshot, type Quote, type QuoteInput } from './quote';
import { line, member } from './testkit';

/**
 * Worked examples, one row per rule kind, including the eight small-business programs shipped
 * in resources/programs. Each row states the cart, the member and the time, and what the
 * cashier must see: points, money and the reason lines.
 */
// The reason lines below are the English wording: every program here sets `locale: 'en'`
// (the shop default is Russian; messages.test.ts checks both tables and ru-examples of these rows).
const load = (name: string): Program => parseProgram({ ...JSON.parse(readFileSync(new URL(`../../resources/programs/${name}.json`, import.meta.url), 'utf8')), locale: 'en' });
const base = (over: Partial<ProgramInput> = {}): Program =>
  parseProgram({ name: 't', locale: 'en', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000 }, ...over });

type Row = Readonly<{
  name: string;
  program: Program;
  lines: readonly CartLine[];
  member?: MemberSnapshot | null;
  at?: string;
  redeem?: QuoteInput['redeem'];
  extra?: Partial<QuoteInput>;
  expect: Partial<Pick<Quote, 'earnPoints' | 'discount' | 'total' | 'redeemPoints' | 'redeemValue' | 'toPay' | 'bonusPoints' | 'rewardPoints' | 'giftPaid' | 'maxRedeemPoints'>>;
  labels?: readonly string[];
  check?: (q: Quote) => void;
}>;

const TUE_17 = '2026-03-10T17:00:00+03:00'; // a Tuesday, 17:00 Moscow
const TUE_12 = '2026-03-10T12:00:00+03:00';
const coffee = (n: number, qty = 1) => line(n, 'latte', 'coffee', 20_000, qty);
const lunch = (n: number, qty = 1) => line(n, 'lunch', 'lunch', 40_000, qty);

const rows: readonly Row[] = [
  // --- the eight programs from small-business practice -----------------------------------
  { name: '100 points for every 1 000 ₽: 2 499 ₽ gives 200', program: load('points-per-1000'), lines: [line(1, 'set', 'food', 249_900)], expect: { earnPoints: 200 }, labels: ['100 pts per 1 000 ₽ · +200'] },
  { name: '100 points for every 1 000 ₽: 999 ₽ gives none', program: load('points-per-1000'), lines: [line(1, 'set', 'food', 99_900)], expect: { earnPoints: 0 } },
  {
    name: '5% cashback, half the check payable with points',
    program: load('cashback-5-half'),
    lines: [line(1, 'cake', 'pastry', 60_000), line(2, 'latte', 'coffee', 40_000)],
    member: member({ balance: 900 }),
    redeem: { mode: 'max' },
    expect: { maxRedeemPoints: 500, redeemPoints: 500, redeemValue: 50_000, toPay: 50_000, earnPoints: 25 },
    labels: ['Paid with points · −500', '5% cashback · +25'],
  },
  {
    name: '5% cashback: tobacco neither earns nor is payable with points',
    program: load('cashback-5-half'),
    lines: [line(1, 'cigarettes', 'tobacco', 20_000), line(2, 'latte', 'coffee', 20_000)],
    member: member({ balance: 900 }),
    redeem: { mode: 'max' },
    expect: { maxRedeemPoints: 100, earnPoints: 5 },
    labels: ['No points on: cigarettes'],
  },
  { name: 'Bronze 3%', program: load('bronze-silver-gold'), lines: [line(1, 'x', 'food', 100_000)], member: member({ lifetimeSpend: 0 }), expect: { earnPoints: 30 }, labels: ['Bronze 3% · +30', 'Bronze · 9 000 ₽ to Silver'] },
  { name: 'Silver 5%', program: load('bronze-silver-gold'), lines: [line(1, 'x', 'food', 100_000)], member: member({ lifetimeSpend: 1_200_000, tier: { levelId: 'silver', reviewAt: '2026-12-01T00:00:00+03:00' } }), expect: { earnPoints: 50 }, labels: ['Silver 5% · +50', 'Silver · 17 000 ₽ to Gold · free syrup'] },
  {
    name: 'Silver → Gold upgrade happens on the sale that crosses the threshold, earning at the old rate',
    program: load('bronze-silver-gold'),
    lines: [line(1, 'x', 'food', 500_000)],
    member: member({ lifetimeSpend: 2_700_000, tier: { levelId: 'silver', reviewAt: '2026-12-01T00:00:00+03:00' } }),
    expect: { earnPoints: 250 },
    labels: ['Silver 5% · +250', 'Now Gold! · free syrup, birthday cake'],
    check: (q) => assert.equal(q.tier?.levelAfterId, 'gold'),
  },
  { name: 'Double bonuses Tuesday 16–18', program: load('double-days'), lines: [line(1, 'x', 'food', 50_000)], member: member(), at: TUE_17, expect: { earnPoints: 50 }, labels: ['5% cashback · +25', 'Double points Tue 16–18 · +25'] },
  { name: 'Double bonuses: not at noon', program: load('double-days'), lines: [line(1, 'x', 'food', 50_000)], member: member(), at: TUE_12, expect: { earnPoints: 25 } },
  { name: 'Double bonuses on a dated promotion day', program: load('double-days'), lines: [line(1, 'x', 'food', 50_000)], member: member(), at: '2026-09-06T21:00:00+03:00', expect: { earnPoints: 50 }, labels: ['City day ×2 · +25'] },
  {
    name: 'Every 5th meal 15% off (4 stamps + 1 lunch)',
    program: load('lunch-5th-15off'),
    lines: [lunch(1)],
    member: member({ stamps: { lunch: { count: 4, lastAt: '2026-03-01T12:00:00+03:00' } } }),
    expect: { discount: 6_000, total: 34_000 },
    labels: ['Lunch card: 15% off · −60 ₽', 'Lunch card 0/5'],
  },
  { name: 'Every 5th meal: 3rd lunch shows progress', program: load('lunch-5th-15off'), lines: [lunch(1)], member: member({ stamps: { lunch: { count: 2, lastAt: null } } }), expect: { discount: 0 }, labels: ['Lunch card 3/5'] },
  {
    name: '10 coffees, the 11th free',
    program: load('coffee-11th-free'),
    lines: [coffee(1)],
    member: member({ stamps: { coffee: { count: 10, lastAt: '2026-03-01T12:00:00+03:00' } } }),
    expect: { discount: 20_000, total: 0 },
    labels: ['Coffee card: free · −200 ₽', 'Coffee card 0/10'],
  },
  {
    name: '10 coffees: 3 coffees at 9/10 → one stamp, one free, one carried over',
    program: load('coffee-11th-free'),
    lines: [coffee(1, 3)],
    member: member({ stamps: { coffee: { count: 9, lastAt: '2026-03-01T12:00:00+03:00' } } }),
    expect: { discount: 20_000 },
    labels: ['Coffee card 1/10'],
  },
  {
    name: '10 coffees: stamps lapse after 180 days without a visit',
    program: load('coffee-11th-free'),
    lines: [coffee(1)],
    member: member({ stamps: { coffee: { count: 9, lastAt: '2025-08-01T12:00:00+03:00' } } }),
    expect: { discount: 0 },
    labels: ['Coffee card: 9 stamps lapsed after 180 days', 'Coffee card 1/10'],
  },
  {
    name: '500 bonuses on the birthday (2 days before)',
    program: load('birthday-500'),
    lines: [line(1, 'x', 'food', 10_000)],
    member: member({ birthday: '1990-03-12', birthdayBonusYears: [2025] }),
    at: TUE_12,
    expect: { bonusPoints: 500, earnPoints: 3 },
    labels: ['Happy birthday! 500 bonuses · +500'],
    check: (q) => assert.deepEqual(q.bonuses.map((b) => [b.kind, b.key]), [['birthday', '2026']]),
  },
  { name: 'Birthday: once a year', program: load('birthday-500'), lines: [line(1, 'x', 'food', 10_000)], member: member({ birthday: '1990-03-12', birthdayBonusYears: [2026] }), at: TUE_12, expect: { bonusPoints: 0 } },
  { name: 'Birthday: outside ±3 days', program: load('birthday-500'), lines: [line(1, 'x', 'food', 10_000)], member: member({ birthday: '1990-03-20', birthdayBonusYears: [] }), at: TUE_12, expect: { bonusPoints: 0 } },
  { name: 'Birthday across New Year (31.12 birthday, 02.01 visit)', program: load('birthday-500'), lines: [line(1, 'x', 'food', 10_000)], member: member({ birthday: '1990-12-31', birthdayBonusYears: [] }), at: '2027-01-02T10:00:00+03:00', expect: { bonusPoints: 500 }, check: (q) => assert.equal(q.bonuses[0]?.key, '2026') },
  { name: 'Birthday on 29 Feb celebrated on 28 Feb', program: load('birthday-500'), lines: [line(1, 'x', 'food', 10_000)], member: member({ birthday: '2000-02-29', birthdayBonusYears: [] }), at: '2027-03-03T10:00:00+03:00', expect: { bonusPoints: 500 } },
  { name: 'Salon: below 10 000 ₽ no discount', program: load('salon-discount'), lines: [line(1, 'cut', 'hair', 300_000)], member: member({ lifetimeSpend: 500_000 }), expect: { discount: 0 }, labels: ['Guest · 2 000 ₽ to 3%'] },
  { name: 'Salon: 5% after 30 000 ₽', program: load('salon-discount'), lines: [line(1, 'cut', 'hair', 300_000)], member: member({ lifetimeSpend: 3_500_000, tier: { levelId: 'd5', reviewAt: '2027-01-01T00:00:00+03:00' } }), expect: { discount: 15_000, total: 285_000 }, labels: ['5% discount 5% · −150 ₽', '5% · 62 150 ₽ to 10%'] },

  // --- earning ------------------------------------------------------------------------------
  { name: 'no member, no points', program: base(), lines: [line(1, 'x', 'food', 50_000)], member: null, expect: { earnPoints: 0 } },
  { name: 'rounding down by default (5% of 199 ₽ = 9.95)', program: base(), lines: [line(1, 'x', 'food', 19_900)], expect: { earnPoints: 9 } },
  { name: 'rounding half-up when stated', program: base({ earn: { base: { mode: 'percent', bps: 500 }, rounding: 'half_up' } }), lines: [line(1, 'x', 'food', 19_900)], expect: { earnPoints: 10 } },
  { name: 'minimum check', program: base({ earn: { base: { mode: 'percent', bps: 500 }, minCheck: 30_000 } }), lines: [line(1, 'x', 'food', 29_900)], expect: { earnPoints: 0 }, labels: ['No points below a check of 300 ₽'] },
  { name: 'exclusions by category', program: base({ earn: { base: { mode: 'percent', bps: 500 }, exclude: { categories: ['alcohol'] } } }), lines: [line(1, 'beer', 'alcohol', 30_000), line(2, 'x', 'food', 20_000)], expect: { earnPoints: 10 }, labels: ['No points on: beer'] },
  { name: 'product flag earnsPoints=false', program: base(), lines: [line(1, 'x', 'food', 20_000, 1, { earnsPoints: false })], expect: { earnPoints: 0 } },
  {
    name: 'per-category multiplier',
    program: base({ earn: { base: { mode: 'percent', bps: 500 }, rules: [{ id: 'pastry', mode: 'multiplier', scope: { categories: ['pastry'] }, bps: 30000, label: 'Pastry ×3' }] } }),
    lines: [line(1, 'croissant', 'pastry', 20_000), line(2, 'x', 'food', 20_000)],
    expect: { earnPoints: 40 },
    labels: ['5% cashback · +20', 'Pastry ×3 · +20'],
  },
  {
    name: 'per-product fixed points replacing the base',
    program: base({ earn: { base: { mode: 'percent', bps: 500 }, rules: [{ id: 'beans', mode: 'fixed', scope: { products: ['BEANS'] }, pointsPerUnit: 50, replaceBase: true }] } }),
    lines: [line(1, 'beans', 'shop', 100_000, 2), line(2, 'x', 'food', 20_000)],
    expect: { earnPoints: 110 },
    labels: ['5% cashback · +10', '50 pts per item · +100'],
  },
  { name: 'no earning on the part paid with points', program: base(), lines: [line(1, 'x', 'food', 100_000)], member: member({ balance: 300 }), redeem: { mode: 'points', points: 300 }, expect: { earnPoints: 35, toPay: 70_000 } },
  { name: 'earning on points paid when configured', program: base({ earn: { base: { mode: 'percent', bps: 500 }, earnOnPointsPaid: true } }), lines: [line(1, 'x', 'food', 100_000)], member: member({ balance: 300 }), redeem: { mode: 'points', points: 300 }, expect: { earnPoints: 50 } },

  // --- campaigns -----------------------------------------------------------------------------
  {
    name: 'campaign fixed bonus scoped to a category, with minimum check',
    program: base({ campaigns: [{ id: 'c', name: 'Dessert day', scope: { categories: ['pastry'] }, effect: { kind: 'fixed', points: 30 }, minCheck: 10_000 }] }),
    lines: [line(1, 'eclair', 'pastry', 15_000)],
    expect: { earnPoints: 37 },
    labels: ['Dessert day · +30'],
  },
  { name: 'campaign scoped to a category: nothing in scope', program: base({ campaigns: [{ id: 'c', name: 'Dessert day', scope: { categories: ['pastry'] }, effect: { kind: 'fixed', points: 30 } }] }), lines: [line(1, 'x', 'food', 15_000)], expect: { earnPoints: 7 } },
  {
    name: 'campaign per-member usage limit reached',
    program: base({ campaigns: [{ id: 'c', name: 'First 3 visits +50', effect: { kind: 'fixed', points: 50 }, perMemberLimit: 3 }] }),
    lines: [line(1, 'x', 'food', 10_000)],
    member: member({ campaignUses: { c: 3 } }),
    expect: { earnPoints: 5 },
    labels: ['First 3 visits +50: already used 3 of 3 times'],
  },
  {
    name: 'campaign windows are in the shop time zone: 16:30 Moscow given in UTC',
    program: load('double-days'),
    lines: [line(1, 'x', 'food', 50_000)],
    at: '2026-03-10T13:30:00Z',
    expect: { earnPoints: 50 },
  },
  {
    name: 'DST-correct: Berlin 16:30 local on the Tuesday after the spring change',
    program: parseProgram({ ...JSON.parse(readFileSync(new URL('../../resources/programs/double-days.json', import.meta.url), 'utf8')), timezone: 'Europe/Berlin', locale: 'en' }),
    lines: [line(1, 'x', 'food', 50_000)],
    at: '2026-03-31T14:30:00Z', // CEST = UTC+2 → 16:30 local; in winter time it would be 15:30
    expect: { earnPoints: 50 },
  },
  {
    name: 'DST-correct: Berlin 15:30 local the Tuesday before the change is outside 16–18',
    program: parseProgram({ ...JSON.parse(readFileSync(new URL('../../resources/programs/double-days.json', import.meta.url), 'utf8')), timezone: 'Europe/Berlin', locale: 'en' }),
    lines: [line(1, 'x', 'food', 50_000)],
    at: '2026-03-24T14:30:00Z', // CET = UTC+1 → 15:30 local
    expect: { earnPoints: 25 },
  },

  // --- stacking --------------------------------------------------------------------------------
  {
    name: 'best-of group keeps the larger rule',
    program: base({
      earn: { base: { mode: 'percent', bps: 500 }, rules: [{ id: 'pastry', mode: 'multiplier', scope: { categories: ['pastry'] }, bps: 20000, group: 'promo' }] },
      campaigns: [{ id: 'tue', name: 'Tuesday +5', weekdays: [2], effect: { kind: 'fixed', points: 5 }, group: 'promo' }],
      stacking: { groups: [{ id: 'promo', mode: 'best_of' }] },
    }),
    lines: [line(1, 'cake', 'pastry', 40_000)],
    at: TUE_12,
    expect: { earnPoints: 40 },
    check: (q) => assert.ok(!q.effects.some((e) => e.ruleId === 'campaign.tue')),
  },
  {
    name: 'add-up group with a group cap',
    program: base({
      earn: { base: { mode: 'percent', bps: 500 }, rules: [{ id: 'pastry', mode: 'multiplier', scope: { categories: ['pastry'] }, bps: 20000, group: 'promo', priority: 1 }] },
      campaigns: [{ id: 'tue', name: 'Tuesday +50', weekdays: [2], effect: { kind: 'fixed', points: 50 }, group: 'promo', priority: 2 }],
      stacking: { groups: [{ id: 'promo', mode: 'add_up', capPoints: 30 }] },
    }),
    lines: [line(1, 'cake', 'pastry', 40_000)],
    at: TUE_12,
    expect: { earnPoints: 50 },
    labels: ['×2 points · +20', 'Tuesday +50 Tue (capped) · +10'],
  },
  {
    name: 'per-sale earn cap',
    program: base({ campaigns: [{ id: 'big', name: 'Launch +1000', effect: { kind: 'fixed', points: 1000 } }], stacking: { maxEarnPerSale: 100 } }),
    lines: [line(1, 'x', 'food', 40_000)],
    expect: { earnPoints: 100 },
  },

  // --- redemption and rewards ------------------------------------------------------------------
  { name: 'min balance for redemption', program: base({ redeem: { pointValue: 100, maxShareBps: 5000, minBalance: 200 } }), lines: [line(1, 'x', 'food', 100_000)], member: member({ balance: 150 }), expect: { maxRedeemPoints: 0 } },
  { name: 'point value 50 kopecks', program: base({ redeem: { pointValue: 50, maxShareBps: 10_000 } }), lines: [line(1, 'x', 'food', 10_000)], member: member({ balance: 1000 }), redeem: { mode: 'max' }, expect: { redeemPoints: 200, redeemValue: 10_000, toPay: 0 } },
  {
    name: 'rewards catalog: a free croissant for 150 points',
    program: load('cafe-full'),
    lines: [line(1, 'croissant', 'pastry', 18_000), line(2, 'latte', 'coffee', 22_000)],
    member: member({ balance: 400, stamps: { coffee: { count: 1, lastAt: TUE_12 } } }),
    extra: { rewards: ['free-croissant'] },
    at: '2026-03-11T12:00:00+03:00',
    expect: { rewardPoints: 150, discount: 18_000, total: 22_000 },
    labels: ['Croissant for points · −150 pts'],
  },
  {
    name: 'rewards catalog: 10% off for 300 points',
    program: load('cafe-full'),
    lines: [line(1, 'sandwich', 'food', 50_000)],
    member: member({ balance: 400 }),
    extra: { rewards: ['ten-off'] },
    at: '2026-03-11T12:00:00+03:00',
    expect: { rewardPoints: 300, discount: 5_000, maxRedeemPoints: 100 },
  },

  // --- bonuses -----------------------------------------------------------------------------------
  { name: 'welcome after the first purchase', program: load('cafe-full'), lines: [line(1, 'x', 'food', 20_000)], member: member({ welcomeGranted: false, firstPurchase: true }), at: '2026-03-11T12:00:00+03:00', expect: { bonusPoints: 100 }, labels: ['Welcome bonus · +100'] },
  { name: 'welcome not before the first purchase is the one', program: load('cafe-full'), lines: [line(1, 'x', 'food', 20_000)], member: member({ welcomeGranted: false, firstPurchase: false }), at: '2026-03-11T12:00:00+03:00', expect: { bonusPoints: 0 } },
  {
    name: 'referral: new member X on first purchase, referrer Y',
    program: load('cafe-full'),
    lines: [line(1, 'x', 'food', 20_000)],
    member: member({ referrerId: 'm0', referralGranted: false, firstPurchase: true, welcomeGranted: true }),
    at: '2026-03-11T12:00:00+03:00',
    expect: { bonusPoints: 100 },
    check: (q) => {
      assert.deepEqual(q.bonuses.map((b) => [b.kind, b.memberId, b.points]), [['referral_new', 'm1', 100], ['referral_referrer', 'm0', 200]]);
      assert.equal(q.effects.find((e) => e.ruleId === 'bonus.referral_referrer')?.memberId, 'm0');
    },
  },
  { name: 'referral only once', program: load('cafe-full'), lines: [line(1, 'x', 'food', 20_000)], member: member({ referrerId: 'm0', referralGranted: true, firstPurchase: true, welcomeGranted: true }), at: '2026-03-11T12:00:00+03:00', expect: { bonusPoints: 0 } },

  // --- pending and expiry -------------------------------------------------------------------------
  {
    name: 'pending points and the expiry line after spending the soonest lot',
    program: load('cafe-full'),
    lines: [line(1, 'x', 'food', 100_000)],
    member: member({
      balance: 300,
      lots: [
        { eventId: 'a', seq: 1, points: 100, remaining: 100, availableAt: '2025-06-01T00:00:00+03:00', expiresAt: '2026-03-20T00:00:00+03:00' },
        { eventId: 'b', seq: 2, points: 200, remaining: 200, availableAt: '2025-07-01T00:00:00+03:00', expiresAt: '2026-03-30T12:00:00+03:00' },
      ],
    }),
    redeem: { mode: 'points', points: 150 },
    at: '2026-03-11T12:00:00+03:00',
    expect: { redeemPoints: 150, earnPoints: 42 },
    labels: ['150 pts expire on 30.03', '+42 pts spendable from 25.03'],
    check: (q) => assert.deepEqual(q.lot, { availableAt: '2026-03-25T12:00:00.000+03:00', expiresAt: '2027-03-11T12:00:00.000+03:00' }),
  },

  // --- promo codes and gift certificates ----------------------------------------------------------
  { name: 'promo code 10%', program: base(), lines: [line(1, 'x', 'food', 50_000)], extra: { promo: { code: 'SPRING10', kind: 'percent', value: 1000 } }, expect: { discount: 5_000, earnPoints: 22 }, labels: ['Promo SPRING10 10% · −50 ₽'] },
  { name: 'promo code 300 ₽ never beyond the check', program: base(), lines: [line(1, 'x', 'food', 20_000)], extra: { promo: { code: 'GIFT300', kind: 'amount', value: 30_000 } }, expect: { discount: 20_000, total: 0, toPay: 0 } },
  {
    name: 'gift certificate sold: no points, not payable with points',
    program: base(),
    lines: [line(1, 'certificate', 'gift', 100_000, 1, { kind: 'gift_certificate' }), line(2, 'x', 'food', 20_000)],
    member: member({ balance: 5000 }),
    redeem: { mode: 'max' },
    expect: { earnPoints: 5, maxRedeemPoints: 100, toPay: 110_000 },
    labels: ['Gift certificates earn no points and cannot be paid with points'],
  },
  {
    name: 'paying with a gift certificate',
    program: base(),
    lines: [line(1, 'x', 'food', 70_000)],
    extra: { giftCards: [{ code: 'GC-1', balance: 50_000, expiresAt: null }] },
    expect: { giftPaid: 50_000, toPay: 20_000, earnPoints: 35 },
    labels: ['Gift certificate GC-1 · −500 ₽ (left 0 ₽)'],
  },
];

for (const r of rows) {
  test(r.name, () => {
    const q = quote({ program: r.program, programVersion: 1, lines: r.lines, member: r.member === undefined ? member() : r.member, redeem: r.redeem ?? { mode: 'none' }, at: r.at ?? TUE_12, ...r.extra });
    for (const [k, v] of Object.entries(r.expect)) assert.equal(q[k as keyof Quote], v, `${k}: ${JSON.stringify(q.effects.map((e) => e.label))}`);
    // Intl puts no-break spaces in money ("9\u00a0000\u00a0₽"); rows are written with plain spaces.
    const labels = q.effects.map((e) => e.label.replace(/[\u00a0\u202f]/g, ' '));
    for (const l of r.labels ?? []) assert.ok(labels.includes(l), `missing "${l}" in ${JSON.stringify(labels)}`);
    r.check?.(q);
  });
}

test('refusals leave nothing half-done: each is a KopilkaError the cashier can act on', () => {
  const p = load('cafe-full');
  const at = '2026-03-11T12:00:00+03:00';
  const cart = [line(1, 'x', 'food', 20_000)];
  const cases: readonly [Partial<QuoteInput>, string, RegExp][] = [
    [{ rewards: ['nope'] }, 'NOT_FOUND', /no reward "nope"/],
    [{ rewards: ['free-croissant'], member: member({ balance: 1000 }) }, 'VALIDATION', /needs a matching item/],
    [{ rewards: ['ten-off'], member: member({ balance: 100 }) }, 'INSUFFICIENT_POINTS', /costs 300 points/],
    [{ promo: { code: 'OLD', kind: 'percent', value: 1000, validTo: '2026-03-01T00:00:00+03:00' } }, 'VALIDATION', /expired on 01.03/],
    [{ promo: { code: 'USED', kind: 'percent', value: 1000, usesLeft: 0 } }, 'LIMIT_EXCEEDED', /used up/],
    [{ giftCards: [{ code: 'GC', balance: 0, expiresAt: null }] }, 'VALIDATION', /nothing left/],
    [{ redeem: { mode: 'points', points: 150 }, member: member({ balance: 1000 }) }, 'LIMIT_EXCEEDED', /At most 100 points/],
    [{ redeem: { mode: 'points', points: 50 }, member: member({ balance: 40 }) }, 'INSUFFICIENT_POINTS', /has 40 points/],
  ];
  for (const [extra, code, msg] of cases) {
    assert.throws(() => quote({ program: p, programVersion: 1, lines: cart, member: member({ balance: 200 }), redeem: { mode: 'none' }, at, ...extra }), (e: unknown) => {
      const err = e as { code: string; message: string };
      return err.code === code && msg.test(err.message);
    });
  }
});

test('the default program still parses and quotes like the first engine (5% of the money part)', () => {
  const q = quote({ program: base(), programVersion: null, lines: [line(1, 'x', 'food', 50_000, 2)], member: member({ balance: 300 }), redeem: { mode: 'max' }, at: TUE_12 });
  assert.equal(q.redeemPoints, 300);
  assert.equal(q.earnPoints, 35);
  assert.equal(q.lines[0]!.earned, 35);
});
