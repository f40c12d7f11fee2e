import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_LOCALE, LOCALES, messagesFor, ruPlural, type Locale, type Messages } from './messages';
import { checkProgram, parseProgram, type Program, type ProgramInput } from './program';
import { quote, type CartLine, type MemberSnapshot, type Quote, type QuoteInput } from './quote';
import { line, member } from './testkit';

// --- the message table itself, every entry in both languages -------------------------------------
type Call = (m: Messages) => string;
const TABLE: readonly [string, Call, string, string][] = [
  ['cashback', (m) => m.cashback('5%'), 'Кешбэк 5%', '5% cashback'],
  ['pointsPerAmount 1', (m) => m.pointsPerAmount(1, '100 ₽'), '1 балл за каждые 100 ₽', '1 pts per 100 ₽'],
  ['pointsPerAmount 100', (m) => m.pointsPerAmount(100, '1 000 ₽'), '100 баллов за каждые 1 000 ₽', '100 pts per 1 000 ₽'],
  ['multiplier', (m) => m.multiplier('×2'), 'Баллы ×2', '×2 points'],
  ['pointsPerItem', (m) => m.pointsPerItem(3), '3 балла за штуку', '3 pts per item'],
  ['capped', (m) => m.capped, '(с ограничением)', '(capped)'],
  ['rewardCost', (m) => m.rewardCost('Круассан', 150), 'Круассан · −150 баллов', 'Круассан · −150 pts'],
  ['tierDiscount', (m) => m.tierDiscount('Gold', '7%', '35 ₽'), 'Скидка Gold 7% · −35 ₽', 'Gold discount 7% · −35 ₽'],
  ['promo percent', (m) => m.promo('SPRING10', '10%', '50 ₽'), 'Промокод SPRING10 10% · −50 ₽', 'Promo SPRING10 10% · −50 ₽'],
  ['promo amount', (m) => m.promo('GIFT300', '', '300 ₽'), 'Промокод GIFT300 · −300 ₽', 'Promo GIFT300 · −300 ₽'],
  ['discountsCapped', (m) => m.discountsCapped('30%'), 'Скидки ограничены: не более 30% чека', 'Discounts capped at 30% of the check'],
  ['redeemCap', (m) => m.redeemCap('50%', 21), 'Баллами можно оплатить до 50% подходящих товаров: максимум 21 балл', 'Up to 50% of eligible items payable with points: max 21 pts'],
  ['paidWithPoints', (m) => m.paidWithPoints(500), 'Оплачено баллами · −500', 'Paid with points · −500'],
  ['giftTender', (m) => m.giftTender('GC-1', '500 ₽', '0 ₽'), 'Подарочный сертификат GC-1 · −500 ₽ (остаток 0 ₽)', 'Gift certificate GC-1 · −500 ₽ (left 0 ₽)'],
  ['minCheck', (m) => m.minCheck('300 ₽'), 'Баллы начисляются с чека от 300 ₽', 'No points below a check of 300 ₽'],
  ['excluded', (m) => m.excluded('Пиво, Сигареты'), 'Без баллов: Пиво, Сигареты', 'No points on: Пиво, Сигареты'],
  ['giftNoPoints', (m) => m.giftNoPoints, 'Подарочные сертификаты не дают баллов и не оплачиваются баллами', 'Gift certificates earn no points and cannot be paid with points'],
  ['birthday', (m) => m.birthday, 'С днём рождения!', 'Happy birthday!'],
  ['welcome', (m) => m.welcome, 'Приветственный бонус', 'Welcome bonus'],
  ['referralNew', (m) => m.referralNew, 'По приглашению: первая покупка', 'Referral: first purchase'],
  ['referralReferrer', (m) => m.referralReferrer, 'За приглашённого друга', 'Referral: for inviting a friend'],
  ['tierNow', (m) => m.tierNow('Gold'), 'Теперь Gold!', 'Now Gold!'],
  ['tierProgress', (m) => m.tierProgress('2 300 ₽', 'Gold'), '2 300 ₽ до Gold', '2 300 ₽ to Gold'],
  ['tierGrace', (m) => m.tierGrace('01.06'), 'уровень сохраняется до 01.06', 'keeps the level until 01.06'],
  ['pending 1', (m) => m.pending(1, '25.03'), '+1 балл доступен с 25.03', '+1 pts spendable from 25.03'],
  ['pending 42', (m) => m.pending(42, '25.03'), '+42 балла доступны с 25.03', '+42 pts spendable from 25.03'],
  ['expiring 121', (m) => m.expiring(121, '30.06'), '121 балл сгорит 30.06', '121 pts expire on 30.06'],
  ['expiring 120', (m) => m.expiring(120, '30.06'), '120 баллов сгорят 30.06', '120 pts expire on 30.06'],
  ['stampsLapsed 9', (m) => m.stampsLapsed('Кофейная карта', 9, 180), 'Кофейная карта: 9 штампов сгорели (срок 180 дн.)', 'Кофейная карта: 9 stamps lapsed after 180 days'],
  ['stampsLapsed 1', (m) => m.stampsLapsed('Кофейная карта', 1, 30), 'Кофейная карта: 1 штамп сгорел (срок 30 дн.)', 'Кофейная карта: 1 stamps lapsed after 30 days'],
  ['campaignLimit', (m) => m.campaignLimit('Двойные баллы', 2, 2), 'Двойные баллы: использовано 2 из 2', 'Двойные баллы: already used 2 of 2 times'],
  ['stampFree', (m) => m.stampFree, 'бесплатно', 'free'],
  ['stampPercentOff', (m) => m.stampPercentOff('15%'), 'скидка 15%', '15% off'],
  ['weekdays', (m) => m.weekdays.slice(1).join(','), 'Пн,Вт,Ср,Чт,Пт,Сб,Вс', 'Mon,Tue,Wed,Thu,Fri,Sat,Sun'],
];

for (const [name, call, ru, en] of TABLE) {
  test(`message ${name}: ru and en`, () => {
    assert.equal(call(messagesFor('ru')), ru);
    assert.equal(call(messagesFor('en')), en);
  });
}

test('programs without a locale speak Russian; the schema accepts ru and en only', () => {
  assert.equal(DEFAULT_LOCALE, 'ru');
  assert.equal(messagesFor(undefined), messagesFor('ru'));
  assert.deepEqual([...LOCALES], ['ru', 'en']);
  const p = { name: 'x', earn: { base: { mode: 'percent', bps: 500 } }, redeem: {} };
  assert.equal(parseProgram(p).locale, undefined, 'optional, not defaulted: stored programs stay as they were');
  assert.equal(parseProgram({ ...p, locale: 'en' }).locale, 'en');
  const bad = checkProgram({ ...p, locale: 'de' });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.ok(bad.problems.some((x) => /locale/.test(x)), bad.problems.join('; '));
});

test('Russian plural forms', () => {
  const cases: readonly [number, string][] = [
    [0, 'баллов'], [1, 'балл'], [2, 'балла'], [4, 'балла'], [5, 'баллов'], [11, 'баллов'], [12, 'баллов'], [14, 'баллов'],
    [21, 'балл'], [22, 'балла'], [25, 'баллов'], [101, 'балл'], [111, 'баллов'], [1_000, 'баллов'], [1_002, 'балла'], [-1, 'балл'],
  ];
  for (const [n, want] of cases) assert.equal(ruPlural(n, 'балл', 'балла', 'баллов'), want, String(n));
});

// --- the engine in both languages: same numbers, labels in the program's language -----------------
const file = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../resources/programs/${name}.json`, import.meta.url), 'utf8'));
const base: ProgramInput = { name: 't', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000 } };
const TUE_17 = '2026-03-10T17:00:00+03:00';
const TUE_12 = '2026-03-10T12:00:00+03:00';

type Scenario = Readonly<{
  name: string;
  program: Record<string, unknown>;
  lines: readonly CartLine[];
  member?: MemberSnapshot | null;
  at?: string;
  redeem?: QuoteInput['redeem'];
  extra?: Partial<QuoteInput>;
  ru: readonly string[];
  en: readonly string[];
}>;

const SCENARIOS: readonly Scenario[] = [
  { name: 'cashback and points as money', program: file('cashback-5-half'), lines: [line(1, 'x', 'food', 100_000)], member: member({ balance: 1000 }), redeem: { mode: 'points', points: 500 }, ru: ['Оплачено баллами · −500', 'Кешбэк 5% · +25'], en: ['Paid with points · −500', '5% cashback · +25'] },
  { name: 'redeem cap info line', program: file('cashback-5-half'), lines: [line(1, 'x', 'food', 4_200)], member: member({ balance: 1000 }), ru: ['Баллами можно оплатить до 50% подходящих товаров: максимум 21 балл'], en: ['Up to 50% of eligible items payable with points: max 21 pts'] },
  { name: 'points per 1 000 ₽', program: file('points-per-1000'), lines: [line(1, 'set', 'food', 249_900)], ru: ['100 баллов за каждые 1 000 ₽ · +200'], en: ['100 pts per 1 000 ₽ · +200'] },
  { name: 'excluded lines', program: file('cashback-5-half'), lines: [line(1, 'Сигареты', 'tobacco', 30_000, 1, { earnsPoints: false, payableWithPoints: false }), line(2, 'x', 'food', 20_000)], ru: ['Без баллов: Сигареты'], en: ['No points on: Сигареты'] },
  {
    name: 'tier upgrade and progress (owner-written tier names and perks stay as written)',
    program: file('bronze-silver-gold'),
    lines: [line(1, 'x', 'food', 500_000)],
    member: member({ lifetimeSpend: 2_700_000, tier: { levelId: 'silver', reviewAt: '2026-12-01T00:00:00+03:00' } }),
    ru: ['Silver 5% · +250', 'Теперь Gold! · free syrup, birthday cake'],
    en: ['Silver 5% · +250', 'Now Gold! · free syrup, birthday cake'],
  },
  { name: 'tier progress', program: file('bronze-silver-gold'), lines: [line(1, 'x', 'food', 100_000)], member: member({ lifetimeSpend: 1_200_000, tier: { levelId: 'silver', reviewAt: '2026-12-01T00:00:00+03:00' } }), ru: ['Silver · 17 000 ₽ до Gold · free syrup'], en: ['Silver · 17 000 ₽ to Gold · free syrup'] },
  { name: 'campaign label from name, weekday and hours', program: file('double-days'), lines: [line(1, 'x', 'food', 50_000)], at: TUE_17, ru: ['Кешбэк 5% · +25', 'Double points Вт 16–18 · +25'], en: ['5% cashback · +25', 'Double points Tue 16–18 · +25'] },
  { name: 'stamp reward percent', program: file('lunch-5th-15off'), lines: [line(1, 'lunch', 'lunch', 40_000)], member: member({ stamps: { lunch: { count: 4, lastAt: '2026-03-01T12:00:00+03:00' } } }), ru: ['Lunch card: скидка 15% · −60 ₽', 'Lunch card 0/5'], en: ['Lunch card: 15% off · −60 ₽', 'Lunch card 0/5'] },
  { name: 'stamp reward free', program: file('coffee-11th-free'), lines: [line(1, 'latte', 'coffee', 20_000)], member: member({ stamps: { coffee: { count: 10, lastAt: '2026-03-01T12:00:00+03:00' } } }), ru: ['Coffee card: бесплатно · −200 ₽'], en: ['Coffee card: free · −200 ₽'] },
  { name: 'stamps lapse', program: file('coffee-11th-free'), lines: [line(1, 'latte', 'coffee', 20_000)], member: member({ stamps: { coffee: { count: 9, lastAt: '2025-08-01T12:00:00+03:00' } } }), ru: ['Coffee card: 9 штампов сгорели (срок 180 дн.)'], en: ['Coffee card: 9 stamps lapsed after 180 days'] },
  { name: 'owner-written birthday label is kept', program: file('birthday-500'), lines: [line(1, 'x', 'food', 10_000)], member: member({ birthday: '1990-03-12', birthdayBonusYears: [2025] }), at: TUE_12, ru: ['Happy birthday! 500 bonuses · +500'], en: ['Happy birthday! 500 bonuses · +500'] },
  { name: 'default birthday label', program: { ...base, bonuses: { birthday: { points: 300, windowDays: 3 } } }, lines: [line(1, 'x', 'food', 10_000)], member: member({ birthday: '1990-03-12', birthdayBonusYears: [] }), at: TUE_12, ru: ['С днём рождения! · +300'], en: ['Happy birthday! · +300'] },
  { name: 'welcome bonus', program: file('cafe-full'), lines: [line(1, 'x', 'food', 20_000)], member: member({ welcomeGranted: false, firstPurchase: true }), at: '2026-03-11T12:00:00+03:00', ru: ['Приветственный бонус · +100'], en: ['Welcome bonus · +100'] },
  { name: 'referral bonuses', program: file('cafe-full'), lines: [line(1, 'x', 'food', 20_000)], member: member({ referrerId: 'm0', referralGranted: false, firstPurchase: true, welcomeGranted: true }), at: '2026-03-11T12:00:00+03:00', ru: ['По приглашению: первая покупка · +100', 'За приглашённого друга · +200'], en: ['Referral: first purchase · +100', 'Referral: for inviting a friend · +200'] },
  {
    name: 'expiring and pending points',
    program: file('cafe-full'),
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
    ru: ['150 баллов сгорят 30.03', '+42 балла доступны с 25.03'],
    en: ['150 pts expire on 30.03', '+42 pts spendable from 25.03'],
  },
  { name: 'catalog reward', program: file('cafe-full'), lines: [line(1, 'croissant', 'pastry', 18_000)], member: member({ balance: 400 }), extra: { rewards: ['free-croissant'] }, at: '2026-03-11T12:00:00+03:00', ru: ['Croissant for points · −150 баллов'], en: ['Croissant for points · −150 pts'] },
  { name: 'minimum check', program: { ...base, earn: { base: { mode: 'percent', bps: 500 }, minCheck: 30_000 } }, lines: [line(1, 'x', 'food', 29_900)], ru: ['Баллы начисляются с чека от 300 ₽'], en: ['No points below a check of 300 ₽'] },
  { name: 'fractional cashback and multiplier use the locale decimal mark', program: { ...base, earn: { base: { mode: 'percent', bps: 550 }, rules: [{ id: 'p', mode: 'multiplier', scope: { categories: ['pastry'] }, bps: 15_000 }, { id: 'f', mode: 'fixed', scope: { categories: ['coffee'] }, pointsPerUnit: 2 }] } }, lines: [line(1, 'cake', 'pastry', 40_000), line(2, 'latte', 'coffee', 20_000)], ru: ['Кешбэк 5,5% · +33', 'Баллы ×1,5 · +11', '2 балла за штуку · +2'], en: ['5.5% cashback · +33', '×1.5 points · +11', '2 pts per item · +2'] },
  {
    name: 'group cap and campaign limit',
    program: {
      ...base,
      earn: { base: { mode: 'percent', bps: 500 }, rules: [{ id: 'pastry', mode: 'multiplier', scope: { categories: ['pastry'] }, bps: 20000, group: 'promo', priority: 1 }] },
      campaigns: [
        { id: 'tue', name: 'Tuesday +50', weekdays: [2], effect: { kind: 'fixed', points: 50 }, group: 'promo', priority: 2 },
        { id: 'once', name: 'Once', effect: { kind: 'fixed', points: 5 }, perMemberLimit: 1 },
      ],
      stacking: { groups: [{ id: 'promo', mode: 'add_up', capPoints: 30 }] },
    },
    lines: [line(1, 'cake', 'pastry', 40_000)],
    member: member({ campaignUses: { once: 1 } }),
    at: TUE_12,
    ru: ['Баллы ×2 · +20', 'Tuesday +50 Вт (с ограничением) · +10', 'Once: использовано 1 из 1'],
    en: ['×2 points · +20', 'Tuesday +50 Tue (capped) · +10', 'Once: already used 1 of 1 times'],
  },
  { name: 'accumulative discount tier', program: file('salon-discount'), lines: [line(1, 'cut', 'hair', 300_000)], member: member({ lifetimeSpend: 3_500_000, tier: { levelId: 'd5', reviewAt: '2027-01-01T00:00:00+03:00' } }), ru: ['Скидка 5% 5% · −150 ₽'], en: ['5% discount 5% · −150 ₽'] },
  { name: 'promo code and discount cap', program: { ...base, stacking: { maxDiscountShareBps: 500 } }, lines: [line(1, 'x', 'food', 50_000)], extra: { promo: { code: 'SPRING10', kind: 'percent', value: 1000 } }, ru: ['Промокод SPRING10 10% · −25 ₽', 'Скидки ограничены: не более 5% чека'], en: ['Promo SPRING10 10% · −25 ₽', 'Discounts capped at 5% of the check'] },
  { name: 'gift certificate tender', program: base, lines: [line(1, 'x', 'food', 70_000)], extra: { giftCards: [{ code: 'GC-1', balance: 50_000, expiresAt: null }] }, ru: ['Подарочный сертификат GC-1 · −500 ₽ (остаток 0 ₽)'], en: ['Gift certificate GC-1 · −500 ₽ (left 0 ₽)'] },
  { name: 'gift certificate sold', program: base, lines: [line(1, 'certificate', 'gift', 100_000, 1, { kind: 'gift_certificate' }), line(2, 'x', 'food', 20_000)], ru: ['Подарочные сертификаты не дают баллов и не оплачиваются баллами'], en: ['Gift certificates earn no points and cannot be paid with points'] },
  { name: 'owner-written earn label', program: { ...base, earn: { base: { mode: 'percent', bps: 500 }, label: 'Бонусы 5%' } }, lines: [line(1, 'x', 'food', 20_000)], ru: ['Бонусы 5% · +10'], en: ['Бонусы 5% · +10'] },
];

const run = (s: Scenario, locale: Locale | undefined): Quote => {
  const program: Program = parseProgram(locale === undefined ? s.program : { ...s.program, locale });
  return quote({ program, programVersion: 1, lines: s.lines, member: s.member === undefined ? member() : s.member, redeem: s.redeem ?? { mode: 'none' }, at: s.at ?? TUE_12, ...s.extra });
};
// Intl puts no-break spaces in money; rows are written with plain spaces.
const labelsOf = (q: Quote) => q.effects.map((e) => e.label.replace(/[\u00a0\u202f]/g, ' '));
const withoutLabels = (q: Quote) => ({ ...q, effects: q.effects.map(({ label: _l, detail: _d, ...e }) => e), bonuses: q.bonuses.map(({ label: _l, ...b }) => b) });

for (const s of SCENARIOS) {
  test(`reason lines in ru and en: ${s.name}`, () => {
    const ru = run(s, 'ru');
    const en = run(s, 'en');
    for (const l of s.ru) assert.ok(labelsOf(ru).includes(l), `ru: missing "${l}" in ${JSON.stringify(labelsOf(ru))}`);
    for (const l of s.en) assert.ok(labelsOf(en).includes(l), `en: missing "${l}" in ${JSON.stringify(labelsOf(en))}`);
    // The language changes words only: points, money and which effects apply are the same.
    assert.deepEqual(withoutLabels(ru), withoutLabels(en));
    // No locale at all is the Russian wording, byte for byte.
    assert.deepEqual(run(s, undefined), ru);
  });
}
