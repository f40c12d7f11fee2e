import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseProgram, type Program } from './program';
import { quote, type CartLine, type MemberSnapshot, type QuoteInput } from './quote';

/**
 * Properties over random carts, members, times and requests under a program that uses every
 * rule kind at once (plus random caps): line order never matters, caps are never exceeded, and
 * no combination of discounts, points and certificates pays for more than the check.
 */
const full = JSON.parse(readFileSync(new URL('../../resources/programs/cafe-full.json', import.meta.url), 'utf8'));
const CATS = ['coffee', 'pastry', 'beans', 'food', 'alcohol', 'tobacco', 'gift'] as const;

const programArb: fc.Arbitrary<Program> = fc
  .record({
    maxEarn: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
    share: fc.integer({ min: 0, max: 10_000 }),
    discShare: fc.integer({ min: 0, max: 10_000 }),
    mode: fc.constantFrom('best_of', 'add_up'),
    groupCap: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
    tierKind: fc.constantFrom('points', 'discount'),
    pointValue: fc.integer({ min: 1, max: 200 }),
  })
  .map((r) =>
    parseProgram({
      ...full,
      redeem: { ...full.redeem, maxShareBps: r.share, pointValue: r.pointValue },
      tiers: { ...full.tiers, kind: r.tierKind, levels: full.tiers.levels.map((l: Record<string, unknown>, i: number) => ({ ...l, discountBps: 300 * i })) },
      stacking: { groups: [{ id: 'promo', mode: r.mode, ...(r.groupCap !== undefined ? { capPoints: r.groupCap } : {}) }], maxDiscountShareBps: r.discShare, ...(r.maxEarn !== undefined ? { maxEarnPerSale: r.maxEarn } : {}) },
    }),
  );

const linesArb: fc.Arbitrary<CartLine[]> = fc
  .array(
    fc.record({
      cat: fc.constantFrom(...CATS),
      qty: fc.integer({ min: 1, max: 12 }),
      price: fc.integer({ min: 0, max: 500_000 }),
      earns: fc.boolean(),
      payable: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((ls) =>
    ls.map((l, i) => ({
      lineNo: i + 1,
      productId: `p${i}`,
      sku: `SKU${i}`,
      name: `${l.cat}-${i}`,
      category: l.cat,
      qty: l.qty,
      unitPrice: l.price,
      earnsPoints: l.earns,
      payableWithPoints: l.payable,
      ...(l.cat === 'gift' ? { kind: 'gift_certificate' as const } : {}),
    })),
  );

const memberArb: fc.Arbitrary<MemberSnapshot> = fc.record({
  id: fc.constant('m1'),
  balance: fc.integer({ min: 0, max: 20_000 }),
  windowSpend: fc.integer({ min: 0, max: 6_000_000 }),
  stamps: fc.record({ coffee: fc.record({ count: fc.integer({ min: 0, max: 10 }), lastAt: fc.constant('2026-03-01T10:00:00+03:00') }) }),
  campaignUses: fc.record({ morning: fc.integer({ min: 0, max: 40 }) }),
  birthday: fc.constantFrom('1990-03-10', '1985-07-01'),
  birthdayBonusYears: fc.constant([]),
  firstPurchase: fc.boolean(),
  welcomeGranted: fc.boolean(),
  referrerId: fc.constantFrom(null, 'm0'),
  referralGranted: fc.boolean(),
});

const atArb = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T23:59:00Z') }).map((ms) => new Date(ms - (ms % 60_000)).toISOString());

const inputArb: fc.Arbitrary<QuoteInput> = fc
  .record({
    program: programArb,
    lines: linesArb,
    member: fc.option(memberArb, { nil: null }),
    at: atArb,
    redeemMax: fc.boolean(),
    reward: fc.constantFrom([], ['ten-off']),
    promo: fc.option(fc.record({ code: fc.constant('P'), kind: fc.constantFrom('percent' as const, 'amount' as const), value: fc.integer({ min: 1, max: 10_000 }) }), { nil: null }),
    gift: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
  })
  .map((r) => ({
    program: r.program,
    programVersion: 1,
    lines: r.lines,
    member: r.member,
    at: r.at,
    redeem: r.redeemMax ? { mode: 'max' as const } : { mode: 'none' as const },
    rewards: r.member && r.member.balance >= 300 ? r.reward : [],
    promo: r.promo,
    giftCards: r.gift ? [{ code: 'GC', balance: r.gift, expiresAt: null }] : [],
  }));

/** Quote, or null when the input is refused (a promo on an all-gift cart, a reward with nothing to apply to). */
function tryQuote(input: QuoteInput) {
  try {
    return quote(input);
  } catch (e) {
    if ((e as { name?: string }).name === 'KopilkaError') return null;
    throw e;
  }
}

test('line order never changes the quote', () => {
  fc.assert(
    fc.property(inputArb, fc.integer(), (input, seed) => {
      const shuffled = [...input.lines].map((l, i) => ({ l, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.l);
      const a = tryQuote(input);
      const b = tryQuote({ ...input, lines: shuffled });
      assert.deepEqual(a, b);
    }),
    { numRuns: 300, seed: 42 },
  );
});

test('caps are never exceeded', () => {
  fc.assert(
    fc.property(inputArb, (input) => {
      const q = tryQuote(input);
      if (!q) return;
      const p = input.program;
      const amounts = input.lines.map((l) => l.qty * l.unitPrice);
      const goods = input.lines.reduce((a, l, i) => a + (l.kind === 'gift_certificate' ? 0 : amounts[i]!), 0);
      assert.ok(q.discount <= Math.floor((goods * p.stacking.maxDiscountShareBps) / 10_000), 'discount cap');
      assert.ok(q.redeemPoints <= q.maxRedeemPoints, 'redeem ≤ max');
      const payable = q.lines.reduce((a, l) => {
        const src = input.lines.find((x) => x.lineNo === l.lineNo)!;
        return a + (src.payableWithPoints && src.kind !== 'gift_certificate' && !['alcohol', 'tobacco'].includes(src.category) ? l.amount - l.discount : 0);
      }, 0);
      assert.ok(q.redeemValue * 10_000 <= payable * p.redeem.maxShareBps, 'share cap');
      if (input.member) assert.ok(q.redeemPoints + q.rewardPoints <= Math.max(0, input.member.balance), 'balance');
      if (p.stacking.maxEarnPerSale !== undefined) assert.ok(q.earnPoints <= p.stacking.maxEarnPerSale, 'per-sale earn cap');
      const cap = p.stacking.groups[0]!.capPoints;
      const promo = q.effects.filter((e) => e.kind === 'earn' && (e.ruleId === 'rule.pastry-x2' || e.ruleId === 'campaign.happy-tue'));
      if (cap !== undefined) assert.ok(promo.reduce((a, e) => a + e.points, 0) <= cap, 'group cap');
      if (p.stacking.groups[0]!.mode === 'best_of') assert.ok(promo.length <= 1, 'best of keeps one');
      const morning = input.member?.campaignUses?.morning ?? 0;
      if (morning >= 30) assert.ok(!q.campaignsUsed.includes('morning'), 'per-member limit');
    }),
    { numRuns: 400, seed: 7 },
  );
});

test('no combination pays for more than the check, and money adds up', () => {
  fc.assert(
    fc.property(inputArb, (input) => {
      const q = tryQuote(input);
      if (!q) return;
      assert.ok(q.toPay >= 0, 'toPay ≥ 0');
      assert.equal(q.total, q.subtotal - q.discount);
      assert.equal(q.toPay, q.total - q.redeemValue - q.giftPaid);
      assert.ok(q.discount + q.redeemValue + q.giftPaid <= q.subtotal);
      for (const l of q.lines) {
        assert.ok(l.discount >= 0 && l.pointsPaid >= 0 && l.earned >= 0);
        assert.ok(l.discount + l.pointsPaid <= l.amount, `line ${l.lineNo} over-covered`);
        const src = input.lines.find((x) => x.lineNo === l.lineNo)!;
        if (src.kind === 'gift_certificate') assert.deepEqual([l.discount, l.pointsPaid, l.earned], [0, 0, 0]);
      }
      assert.equal(q.lines.reduce((a, l) => a + l.earned, 0), q.earnPoints, 'earned per line sums up');
      assert.equal(q.redeemValue, q.redeemPoints * input.program.redeem.pointValue);
      for (const e of q.effects) assert.ok(Number.isSafeInteger(e.points) && Number.isSafeInteger(e.amount), 'integers only');
      if (!input.member) assert.equal(q.earnPoints + q.bonusPoints + q.rewardPoints + q.redeemPoints, 0);
    }),
    { numRuns: 400, seed: 11 },
  );
});
