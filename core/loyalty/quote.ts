import { allocate, allocateInto, mulDiv } from './arith';
import { fail } from '../util/errors';
import { addDays, birthdayYearInWindow, ddmm, ddmmOf, endOfDayMs, epoch, hhmmToMinutes, isoOf, localInstant, plusDays, type LocalInstant } from './calendar';
import type { Lot } from './lots';
import type { Campaign, Program, Reward, Scope, StampCard, TierLevel } from './program';
import { money as formatMoney } from './format';
import { messagesFor, type Messages } from './messages';
import { excludedBy, exclusionTest, scopeTest, type LineTest } from './scope';
import { evaluateTier, nextLevel, type TierChange, type TierState } from './tiers';

/**
 * The quote is a pure, deterministic function of (program, cart, member, time, requests).
 * It never depends on the order of lines: every aggregate is a sum, and allocations break ties
 * by line number. Every effect carries the reason a cashier can read out.
 *
 * Evaluation order (each step sees what the previous ones left of every line):
 *   1. discounts: stamp rewards → catalog rewards → tier discount → promo code, all within the
 *      per-sale discount cap;
 *   2. points as money (cap as a share of what is payable with points);
 *   3. gift certificates as tender;
 *   4. earning: base or tier rate, product/category rules, campaigns, stacked by group and capped;
 *   5. one-off bonuses (birthday, welcome, referral), outside the earn caps;
 *   6. explanations: tier progress, stamp progress, expiring and pending points.
 */
export type CartLine = Readonly<{
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  category: string;
  qty: number; // whole units
  unitPrice: number; // minor units
  earnsPoints: boolean;
  payableWithPoints: boolean;
  /** A gift certificate sold at the counter: a liability, never discounted, earns nothing, not payable with points. */
  kind?: 'goods' | 'gift_certificate';
}>;

export type StampState = Readonly<{ count: number; lastAt: string | null }>;

/**
 * Everything the engine knows about the member at quote time. Only `id` and `balance` are
 * required; a rule whose inputs are missing simply does not fire (unknown ≠ eligible).
 */
export type MemberSnapshot = Readonly<{
  id: string;
  balance: number; // spendable points
  pending?: number; // earned, not yet spendable
  tier?: TierState | null; // the stored level and its next review
  windowSpend?: number; // qualifying spend over the rolling window, before this sale
  lifetimeSpend?: number;
  stamps?: Readonly<Record<string, StampState>>;
  campaignUses?: Readonly<Record<string, number>>;
  birthday?: string | null; // YYYY-MM-DD or --MM-DD
  birthdayBonusYears?: readonly number[];
  firstPurchase?: boolean; // true when this sale is the member's first
  welcomeGranted?: boolean;
  referrerId?: string | null;
  referralGranted?: boolean;
  lots?: readonly Lot[]; // open lots, for the expiry line
}>;

export type PromoSnapshot = Readonly<{
  code: string;
  kind: 'percent' | 'amount';
  value: number; // bps for percent, minor units for amount
  scope?: Scope;
  minCheck?: number;
  validFrom?: string | null;
  validTo?: string | null;
  usesLeft?: number | null; // null = unlimited
}>;

export type GiftCardSnapshot = Readonly<{ code: string; balance: number; expiresAt: string | null }>;

export type RedeemRequest = Readonly<{ mode: 'none' } | { mode: 'max' } | { mode: 'points'; points: number }>;

export type EffectKind = 'earn' | 'redeem' | 'discount' | 'info' | 'bonus';

export type Effect = Readonly<{
  ruleId: string;
  kind: EffectKind;
  label: string;
  points: number; // signed points this effect moves (earn/bonus > 0, redeem < 0), 0 for info
  amount: number; // minor units of money this effect moves (redeem value, discount), 0 otherwise
  lineNos: readonly number[];
  /** Who gets the points when it is not the sale's member (the referrer). */
  memberId?: string;
  /** Structured facts behind an info line, for the receipt (expiring/pending points, tier, stamps). */
  detail?: Readonly<Record<string, string | number>>;
}>;

export type QuotedLine = Readonly<{
  lineNo: number;
  amount: number; // qty × unit price
  discount: number;
  pointsPaid: number; // minor units of this line paid with points
  earned: number; // points earned attributed to this line (for proportional clawback)
}>;

export type BonusKind = 'birthday' | 'welcome' | 'referral_new' | 'referral_referrer';
export type BonusGrant = Readonly<{ kind: BonusKind; key: string; memberId: string; points: number; label: string }>;

export type TierView = Readonly<{
  levelId: string;
  name: string;
  change: TierChange;
  /** What to store after this sale (upgrades apply at once). */
  stateAfter: TierState;
  levelAfterId: string;
  spendAfter: number;
  next: Readonly<{ levelId: string; name: string; remaining: number }> | null;
  /** What the level gives besides its rate ("free syrup"), for the cashier to honour. */
  perks: readonly string[];
}>;

export type StampProgress = Readonly<{ cardId: string; name: string; count: number; goal: number; added: number; rewards: number; lastAt: string | null }>;

export type Quote = Readonly<{
  programVersion: number | null;
  currency: string;
  lines: readonly QuotedLine[];
  subtotal: number;
  discount: number;
  total: number; // subtotal - discount
  redeemPoints: number; // points paying as money
  redeemValue: number; // minor units paid with points
  toPay: number; // total - redeemValue - giftPaid: what the customer pays in money
  maxRedeemPoints: number;
  earnPoints: number; // points from earning rules (one `earn` event)
  effects: readonly Effect[];
  bonusPoints: number; // one-off bonuses for the sale's member (each its own `bonus` event)
  bonuses: readonly BonusGrant[];
  rewardPoints: number; // points spent on catalog rewards
  rewards: readonly string[];
  giftPaid: number;
  gifts: readonly Readonly<{ code: string; amount: number }>[];
  promoCode: string | null;
  campaignsUsed: readonly string[];
  tier: TierView | null;
  stamps: readonly StampProgress[];
  /** When points earned on this sale become spendable and when they lapse (fixed now: never retroactive). */
  lot: Readonly<{ availableAt: string; expiresAt: string | null }>;
}>;

export type QuoteInput = Readonly<{
  program: Program;
  programVersion: number | null;
  lines: readonly CartLine[];
  member: MemberSnapshot | null;
  redeem: RedeemRequest;
  at: string;
  /** Catalog rewards the member asked for (ids from `program.rewards`). */
  rewards?: readonly string[];
  promo?: PromoSnapshot | null;
  giftCards?: readonly GiftCardSnapshot[];
}>;

/** Upper bounds that stop garbage (a scanner dumping digits into a quantity) before it reaches money. */
export const MAX_QTY = 999;
export const MAX_LINES = 200;

export function validateCart(lines: readonly CartLine[]): void {
  if (lines.length === 0) fail('VALIDATION', 'The cart is empty: add at least one item');
  if (lines.length > MAX_LINES) fail('VALIDATION', `A sale can have at most ${MAX_LINES} lines`);
  const seen = new Set<number>();
  for (const l of lines) {
    if (seen.has(l.lineNo)) fail('VALIDATION', `Line number ${l.lineNo} appears twice`);
    seen.add(l.lineNo);
    if (!Number.isSafeInteger(l.qty) || l.qty <= 0) fail('VALIDATION', `Quantity of "${l.name}" must be a whole number above zero, got ${l.qty}`);
    if (l.qty > MAX_QTY) fail('VALIDATION', `Quantity ${l.qty} of "${l.name}" is too large (at most ${MAX_QTY})`);
    if (!Number.isSafeInteger(l.unitPrice) || l.unitPrice < 0) fail('VALIDATION', `Price of "${l.name}" must be a whole, non-negative number of minor units`);
  }
}

type Rate = Readonly<{ label: string; points: (base: number) => number }>;

function baseRate(program: Program, m: Messages): Rate {
  const b = program.earn.base;
  const r = program.earn.rounding;
  switch (b.mode) {
    case 'percent':
      // Cashback is money back as points: 5% of 500 ₽ is 25 ₽, i.e. 25 points when a point is worth 1 ₽.
      return { label: program.earn.label ?? m.cashback(fmtPct(b.bps, m.decimal)), points: (x) => mulDiv(x, b.bps, 10_000 * program.redeem.pointValue, r) };
    case 'per_amount':
      return {
        label: program.earn.label ?? m.pointsPerAmount(b.points, formatMoney(b.per, program.currency)),
        points: b.steps ? (x) => Math.floor(x / b.per) * b.points : (x) => mulDiv(x, b.points, b.per, r),
      };
  }
}

/** "5%", "5.5%" ("5,5%" with a Russian decimal comma). */
export function fmtPct(bps: number, decimal = '.'): string {
  return (bps % 100 === 0 ? String(bps / 100) : (bps / 100).toFixed(2).replace(/0$/, '').replace('.', decimal)) + '%';
}

function fmtMult(bps: number, decimal: string): string {
  return bps % 10_000 === 0 ? `×${bps / 10_000}` : `×${(bps / 10_000).toFixed(2).replace(/0+$/, '').replace('.', decimal)}`;
}

const info = (ruleId: string, label: string, lineNos: readonly number[] = []): Effect => ({ ruleId, kind: 'info', label, points: 0, amount: 0, lineNos });
/** An info line with facts for the receipt (a literal, not a spread of `info`: spreading costs more than the rest of the line). */
const infoWith = (ruleId: string, label: string, detail: Readonly<Record<string, string | number>>): Effect => ({ ruleId, kind: 'info', label, points: 0, amount: 0, lineNos: [], detail });

/** What has been taken off each line so far, within the per-sale discount cap. */
class DiscountBook {
  readonly taken: number[];
  capHit = false;
  constructor(
    private readonly amounts: readonly number[],
    private readonly isGift: readonly boolean[],
    private budget: number,
  ) {
    this.taken = zeros(amounts.length);
  }

  /** Take up to `want` off line i, within what is left of the line and of the per-sale cap. */
  take(i: number, want: number): number {
    if (this.isGift[i]) return 0;
    const left = this.amounts[i]! - this.taken[i]!;
    const got = Math.max(0, Math.min(want, left, this.budget));
    if (got < Math.min(want, left)) this.capHit = true;
    this.taken[i]! += got;
    this.budget -= got;
    return got;
  }
}

/** One earning rule's result before stacking. */
type Candidate = {
  ruleId: string;
  label: string;
  priority: number;
  group: string | undefined;
  points: number;
  weights: number[]; // per sorted line, for attributing the points to lines
  campaignId?: string;
};

export function quote(input: QuoteInput): Quote {
  const { program, member } = input;
  // Default reason lines in the program's language; owner-written labels print as written.
  const m = messagesFor(program.locale);
  validateCart(input.lines);
  const prep = prepared(program, m);
  const zone = program.timezone;
  // Sort once by line number so every later step is independent of the order lines arrived in.
  const lines = sortedByLineNo(input.lines);
  const n = lines.length;
  // Arrays are filled by push so V8 keeps them packed (a `new Array(n)` stays holey and slower to read).
  const isGift: boolean[] = [];
  const amounts: number[] = [];
  const earnExcluded: boolean[] = [];
  let subtotal = 0;
  let goodsSubtotal = 0;
  for (const l of lines) {
    const gift = l.kind === 'gift_certificate' || prep.giftScope(l);
    const amount = l.qty * l.unitPrice;
    isGift.push(gift);
    amounts.push(amount);
    earnExcluded.push(prep.earnExclude(l));
    subtotal += amount;
    if (!gift) goodsSubtotal += amount;
  }
  const effects: Effect[] = [];
  let local: LocalInstant | null = null;
  const now = (): LocalInstant => (local ??= localInstant(input.at, zone));
  const nowMs = epoch(input.at)!;

  // --- 1. Discounts ---------------------------------------------------------
  const book = new DiscountBook(amounts, isGift, mulDiv(goodsSubtotal, program.stacking.maxDiscountShareBps, 10_000, 'down'));
  const discounts: readonly number[] = book.taken;

  // Stamps: counted per unit in line order; the reward lands on the unit that completes (or follows) the card.
  const stamps: StampProgress[] = [];
  if (member) {
    for (const card of prep.stamps) stamps.push(applyStampCard(card, member, lines, isGift, nowMs, input.at, book, effects, program.currency, m));
  }

  // Catalog rewards, paid with points.
  const rewardIds = [...(input.rewards ?? [])].sort();
  let rewardPoints = 0;
  if (rewardIds.length > 0) {
    if (!member) fail('VALIDATION', 'Identify the member before giving a reward for points');
    for (const rid of rewardIds) {
      const reward = program.rewards.find((r) => r.id === rid);
      if (!reward) fail('NOT_FOUND', `There is no reward "${rid}" in the current program`);
      rewardPoints += reward.cost;
      if (rewardPoints > member.balance) {
        fail('INSUFFICIENT_POINTS', `"${reward.name}" costs ${reward.cost} points; the member has ${member.balance} spendable`, { balance: member.balance, requested: rewardPoints });
      }
      const got = applyReward(reward, lines, isGift, amounts, book);
      effects.push({ ruleId: `reward.${reward.id}`, kind: 'redeem', label: m.rewardCost(reward.name, reward.cost), points: -reward.cost, amount: got.amount, lineNos: got.lineNos });
    }
  }

  // Tier (accumulative discount or per-tier earn rate): judged on spend before this sale.
  let tierLevel: TierLevel | null = null;
  let tierEval: ReturnType<typeof evaluateTier> | null = null;
  const tiers = program.tiers;
  const spendBefore = member ? ((tiers?.basis === 'lifetime' ? member.lifetimeSpend : member.windowSpend) ?? 0) : 0;
  if (member && tiers) {
    tierEval = evaluateTier(tiers, member.tier, spendBefore, input.at, zone);
    tierLevel = tierEval.level;
    if (tiers.kind === 'discount' && tierLevel.discountBps) {
      const bps = tierLevel.discountBps;
      const per = lines.map((_, i) => (earnExcluded[i] ? 0 : book.take(i, mulDiv(amounts[i]! - discounts[i]!, bps, 10_000, 'down'))));
      const got = per.reduce((a, b) => a + b, 0);
      if (got > 0) effects.push({ ruleId: `tier.${tierLevel.id}`, kind: 'discount', label: m.tierDiscount(tierLevel.name, fmtPct(bps, m.decimal), formatMoney(got, program.currency)), points: 0, amount: got, lineNos: lineNosWhere(lines, per) });
    }
  }

  // Promo code.
  let promoCode: string | null = null;
  if (input.promo) {
    const p = input.promo;
    const from = epoch(p.validFrom);
    const to = epoch(p.validTo);
    if (from !== null && nowMs < from) fail('VALIDATION', `Promo code ${p.code} is valid from ${ddmm(p.validFrom!, zone)}`);
    if (to !== null && nowMs >= to) fail('VALIDATION', `Promo code ${p.code} expired on ${ddmm(p.validTo!, zone)}`);
    if (p.usesLeft !== null && p.usesLeft !== undefined && p.usesLeft <= 0) fail('LIMIT_EXCEEDED', `Promo code ${p.code} has been used up`);
    const goodsLeft = lines.reduce((a, _, i) => a + (isGift[i] ? 0 : amounts[i]! - discounts[i]!), 0);
    if (p.minCheck && goodsLeft < p.minCheck) fail('VALIDATION', `Promo code ${p.code} needs a check of at least ${formatMoney(p.minCheck, program.currency)}`);
    const scope = p.scope ?? { products: [], categories: [] };
    const inPromo = scopeTest(scope);
    const left = lines.map((l, i) => (!isGift[i] && inPromo(l) ? amounts[i]! - discounts[i]! : 0));
    const leftTotal = left.reduce((a, b) => a + b, 0);
    if (leftTotal === 0) fail('VALIDATION', `Promo code ${p.code} does not apply to anything in this cart`);
    const want = p.kind === 'percent' ? mulDiv(leftTotal, p.value, 10_000, 'down') : Math.min(p.value, leftTotal);
    const split = allocate(want, left);
    const per = split.map((w, i) => book.take(i, w));
    const got = per.reduce((a, b) => a + b, 0);
    promoCode = p.code;
    effects.push({ ruleId: `promo.${p.code}`, kind: 'discount', label: m.promo(p.code, p.kind === 'percent' ? fmtPct(p.value, m.decimal) : '', formatMoney(got, program.currency)), points: 0, amount: got, lineNos: lineNosWhere(lines, per) });
  }
  if (book.capHit) effects.push(info('stacking.discountCap', m.discountsCapped(fmtPct(program.stacking.maxDiscountShareBps, m.decimal))));

  const discount = discounts.reduce((a, b) => a + b, 0);
  const total = subtotal - discount;
  const goodsTotal = total - amounts.reduce((a, b, i) => a + (isGift[i] ? b : 0), 0);

  // --- 2. Points as money -----------------------------------------------------
  const payable = lines.map((l, i) => (l.payableWithPoints && !isGift[i] && !prep.redeemExclude(l) ? amounts[i]! - discounts[i]! : 0));
  const payableTotal = payable.reduce((a, b) => a + b, 0);
  const pv = program.redeem.pointValue;
  const spendable = member ? member.balance - rewardPoints : 0;
  let maxRedeemPoints = 0;
  if (member && program.redeem.enabled && member.balance >= Math.max(1, program.redeem.minBalance)) {
    const capValue = mulDiv(payableTotal, program.redeem.maxShareBps, 10_000, 'down');
    maxRedeemPoints = Math.max(0, Math.min(spendable, Math.floor(capValue / pv)));
  }
  let redeemPoints = 0;
  const req = input.redeem;
  switch (req.mode) {
    case 'none':
      break;
    case 'max':
      redeemPoints = maxRedeemPoints;
      break;
    case 'points': {
      if (!Number.isSafeInteger(req.points) || req.points < 0) fail('VALIDATION', `Points to redeem must be a whole number ≥ 0, got ${req.points}`);
      if (req.points > 0 && !member) fail('VALIDATION', 'Identify the member before redeeming points');
      if (member && req.points > spendable) {
        fail('INSUFFICIENT_POINTS', `The member has ${spendable} points; cannot redeem ${req.points}`, { balance: spendable, requested: req.points });
      }
      if (req.points > maxRedeemPoints) {
        fail('LIMIT_EXCEEDED', redeemRefusal(program, member?.balance ?? 0, maxRedeemPoints, req.points), { max: maxRedeemPoints, requested: req.points });
      }
      redeemPoints = req.points;
      break;
    }
    default:
      return missingRedeem(req);
  }
  const redeemValue = redeemPoints * pv;
  const pointsPaid = allocate(redeemValue, payable);
  if (member && program.redeem.enabled) {
    effects.push(info('redeem.cap', m.redeemCap(fmtPct(program.redeem.maxShareBps, m.decimal), maxRedeemPoints)));
  }
  if (redeemPoints > 0) {
    effects.push({ ruleId: 'redeem', kind: 'redeem', label: m.paidWithPoints(redeemPoints), points: -redeemPoints, amount: redeemValue, lineNos: lineNosWhere(lines, pointsPaid) });
  }

  // --- 3. Gift certificates as tender (they cannot buy another certificate) ---
  const gifts: { code: string; amount: number }[] = [];
  let giftPaid = 0;
  if (input.giftCards && input.giftCards.length > 0) {
    let room = goodsTotal - redeemValue;
    for (const g of [...input.giftCards].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
      if (gifts.some((x) => x.code === g.code)) fail('VALIDATION', `Gift certificate ${g.code} was entered twice`);
      const exp = epoch(g.expiresAt);
      if (exp !== null && nowMs >= exp) fail('VALIDATION', `Gift certificate ${g.code} expired on ${ddmm(g.expiresAt!, zone)}`);
      if (g.balance <= 0) fail('VALIDATION', `Gift certificate ${g.code} has nothing left on it`);
      const use = Math.max(0, Math.min(g.balance, room));
      room -= use;
      giftPaid += use;
      gifts.push({ code: g.code, amount: use });
      effects.push({ ruleId: `gift.${g.code}`, kind: 'info', label: m.giftTender(g.code, formatMoney(use, program.currency), formatMoney(g.balance - use, program.currency)), points: 0, amount: use, lineNos: [] });
    }
  }

  // --- 4. Earning -------------------------------------------------------------
  const earnBase = lines.map((l, i) => {
    if (!l.earnsPoints || isGift[i] || earnExcluded[i]) return 0;
    const paidWithPoints = program.earn.earnOnPointsPaid ? 0 : pointsPaid[i]!;
    return amounts[i]! - discounts[i]! - paidWithPoints;
  });
  let earnPoints = 0;
  const earnedPerLine = zeros(n);
  const campaignsUsed: string[] = [];
  if (member) {
    if (goodsTotal < program.earn.minCheck) {
      effects.push(info('earn.minCheck', m.minCheck(formatMoney(program.earn.minCheck, program.currency))));
    } else {
      const resolved = resolveStacking(program, m, collectCandidates(program, prep, m, lines, earnBase, tierLevel, member, goodsTotal, now, effects));
      for (const c of resolved) {
        earnPoints += c.points;
        allocateInto(c.points, c.weights, earnedPerLine);
        if (c.campaignId) campaignsUsed.push(c.campaignId);
        effects.push({ ruleId: c.ruleId, kind: 'earn', label: `${c.label} · +${c.points}`, points: c.points, amount: 0, lineNos: lineNosWhere(lines, c.weights) });
      }
      const excluded = lines.filter((l, i) => !isGift[i] && (!l.earnsPoints || earnExcluded[i]));
      if (excluded.length > 0) effects.push(info('earn.excluded', m.excluded(excluded.map((l) => l.name).join(', ')), excluded.map((l) => l.lineNo)));
    }
    const giftLines = lines.filter((_, i) => isGift[i]);
    if (giftLines.length > 0) effects.push(info('gift.noPoints', m.giftNoPoints, giftLines.map((l) => l.lineNo)));
  }

  // --- 5. One-off bonuses -----------------------------------------------------
  const bonuses: BonusGrant[] = member ? collectBonuses(program, m, member, now) : [];
  let bonusPoints = 0;
  for (const b of bonuses) {
    if (b.memberId === member?.id) bonusPoints += b.points;
    effects.push({ ruleId: `bonus.${b.kind}`, kind: 'bonus', label: `${b.label} · +${b.points}`, points: b.points, amount: 0, lineNos: [], ...(b.memberId !== member?.id ? { memberId: b.memberId } : {}) });
  }

  // --- 6. Explanations ---------------------------------------------------------
  let tierView: TierView | null = null;
  if (member && tiers && tierEval && tierLevel) {
    const spendAfter = spendBefore + goodsTotal;
    const after = evaluateTier(tiers, tierEval.state, spendAfter, input.at, zone);
    const up = nextLevel(tiers, spendAfter);
    tierView = {
      levelId: tierLevel.id,
      name: tierLevel.name,
      change: tierEval.change,
      stateAfter: after.state,
      levelAfterId: after.level.id,
      spendAfter,
      next: up ? { levelId: up.level.id, name: up.level.name, remaining: up.remaining } : null,
      perks: after.level.perks,
    };
    const parts = [after.level.id !== tierLevel.id ? m.tierNow(after.level.name) : tierLevel.name];
    const progress = up ? m.tierProgress(formatMoney(up.remaining, program.currency), up.level.name) : '';
    if (up) parts.push(progress);
    if (after.level.perks.length > 0) parts.push(after.level.perks.join(', '));
    if (tierEval.change === 'grace') parts.push(m.tierGrace(ddmm(plusDays(tierEval.state.reviewAt, tiers.graceDays, zone), zone)));
    effects.push(infoWith('tier.progress', parts.join(' · '), { name: after.level.name, progress }));
  }
  for (const s of stamps) effects.push(infoWith(`stamps.${s.cardId}`, `${s.name} ${s.count}/${s.goal}`, { label: s.name, have: s.count, need: s.goal }));
  if (member) expiryNotice(program, m, member, redeemPoints + rewardPoints, nowMs, effects);

  const availableDt = program.points.pendingDays > 0 ? addDays(now(), program.points.pendingDays) : null;
  const newLot = {
    availableAt: availableDt ? isoOf(availableDt) : input.at,
    expiresAt: program.points.expiryDays ? isoOf(addDays(now(), program.points.expiryDays)) : null,
  };
  if (member && availableDt && earnPoints + bonusPoints > 0) {
    const date = ddmmOf(availableDt);
    effects.push(infoWith('points.pending', m.pending(earnPoints + bonusPoints, date), { points: earnPoints + bonusPoints, date }));
  }

  return {
    programVersion: input.programVersion,
    currency: program.currency,
    lines: lines.map((l, i) => ({ lineNo: l.lineNo, amount: amounts[i]!, discount: discounts[i]!, pointsPaid: pointsPaid[i]!, earned: earnedPerLine[i]! })),
    subtotal,
    discount,
    total,
    redeemPoints,
    redeemValue,
    toPay: total - redeemValue - giftPaid,
    maxRedeemPoints,
    earnPoints,
    effects,
    bonusPoints,
    bonuses,
    rewardPoints,
    rewards: rewardIds,
    giftPaid,
    gifts,
    promoCode,
    campaignsUsed: campaignsUsed.sort(),
    tier: tierView,
    stamps,
    lot: newLot,
  };
}

/** A gift certificate line: flagged by the caller, or in the program's certificate scope (an empty scope matches none). */
export function isGiftCertificate(program: Program, l: CartLine): boolean {
  return l.kind === 'gift_certificate' || excludedBy(program.giftCertificates.scope, l);
}

function missingRedeem(x: never): never {
  fail('VALIDATION', `Unknown redeem request ${JSON.stringify(x)}`);
}

function byLineNo(a: CartLine, b: CartLine): number {
  return a.lineNo - b.lineNo;
}

/** A copy of the lines in line-number order (tills send them in order, so usually just a copy). */
function sortedByLineNo(lines: readonly CartLine[]): CartLine[] {
  for (let i = 1; i < lines.length; i++) if (!(lines[i - 1]!.lineNo < lines[i]!.lineNo)) return [...lines].sort(byLineNo);
  return lines.slice();
}

function zeros(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(0);
  return out;
}

/** Line numbers of the lines with a positive entry in `per`. */
function lineNosWhere(lines: readonly CartLine[], per: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) if (per[i]! > 0) out.push(lines[i]!.lineNo);
  return out;
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function applyStampCard(
  card: StampCard,
  member: MemberSnapshot,
  lines: readonly CartLine[],
  isGift: readonly boolean[],
  nowMs: number,
  at: string,
  book: DiscountBook,
  effects: Effect[],
  currency: string,
  m: Messages,
): StampProgress {
  const prev = member.stamps?.[card.id];
  let count = prev?.count ?? 0;
  let lastAt = prev?.lastAt ?? null;
  if (card.expiryDays && lastAt && nowMs - epoch(lastAt)! > card.expiryDays * 86_400_000) {
    if (count > 0) effects.push(info(`stamps.${card.id}.lapsed`, m.stampsLapsed(card.name, count, card.expiryDays)));
    count = 0;
  }
  let added = 0;
  let rewards = 0;
  const rewardedLines: number[] = [];
  let rewardAmount = 0;
  const inCard = scopeTest(card.scope);
  lines.forEach((l, i) => {
    if (isGift[i] || !inCard(l)) return;
    for (let u = 0; u < l.qty; u++) {
      let rewardHere = false;
      if (card.rewardItem === 'next') {
        if (count >= card.goal) {
          rewardHere = true;
          count -= card.goal;
        } else {
          count++;
          added++;
        }
      } else {
        count++;
        added++;
        if (count >= card.goal) {
          rewardHere = true;
          count -= card.goal;
        }
      }
      if (rewardHere) {
        const want = card.reward.kind === 'free_item' ? l.unitPrice : mulDiv(l.unitPrice, card.reward.bps, 10_000, 'down');
        rewardAmount += book.take(i, want);
        rewards++;
        if (!rewardedLines.includes(l.lineNo)) rewardedLines.push(l.lineNo);
      }
    }
  });
  if (added > 0 || rewards > 0) lastAt = at;
  if (rewards > 0) {
    const what = card.reward.kind === 'free_item' ? m.stampFree : m.stampPercentOff(fmtPct(card.reward.bps, m.decimal));
    effects.push({ ruleId: `stamps.${card.id}.reward`, kind: 'discount', label: `${card.name}: ${rewards > 1 ? rewards + ' × ' : ''}${what} · −${formatMoney(rewardAmount, currency)}`, points: 0, amount: rewardAmount, lineNos: rewardedLines });
  }
  return { cardId: card.id, name: card.name, count, goal: card.goal, added, rewards, lastAt };
}

function applyReward(
  reward: Reward,
  lines: readonly CartLine[],
  isGift: readonly boolean[],
  amounts: readonly number[],
  book: DiscountBook,
): { amount: number; lineNos: number[] } {
  const discounts = book.taken;
  const r = reward.reward;
  const inReward = scopeTest(r.scope);
  switch (r.kind) {
    case 'free_item': {
      // The most expensive eligible unit still (partly) unpaid; ties go to the lower line number.
      let best = -1;
      lines.forEach((l, i) => {
        if (isGift[i] || !inReward(l) || amounts[i]! - discounts[i]! <= 0) return;
        if (best < 0 || l.unitPrice > lines[best]!.unitPrice) best = i;
      });
      if (best < 0) fail('VALIDATION', `"${reward.name}" needs a matching item in the cart: add it first`);
      return { amount: book.take(best, lines[best]!.unitPrice), lineNos: [lines[best]!.lineNo] };
    }
    case 'percent_off': {
      const per = lines.map((l, i) => (!isGift[i] && inReward(l) ? book.take(i, mulDiv(amounts[i]! - discounts[i]!, r.bps, 10_000, 'down')) : 0));
      const amount = per.reduce((a, b) => a + b, 0);
      if (amount === 0) fail('VALIDATION', `"${reward.name}" does not apply to anything in this cart`);
      return { amount, lineNos: lines.filter((_, i) => per[i]! > 0).map((l) => l.lineNo) };
    }
  }
}

/** The shop-local calendar facts campaigns look at, worked out once per quote. */
type Clock = Readonly<{ day: string; weekday: number; minutes: number }>;
function clockOf(t: LocalInstant): Clock {
  const pad = (n: number) => (n < 10 ? '0' + n : String(n));
  return { day: `${t.year}-${pad(t.month)}-${pad(t.day)}`, weekday: t.weekday, minutes: t.hour * 60 + t.minute };
}

function campaignActive(pc: PreparedCampaign, t: Clock): boolean {
  const c = pc.c;
  if (c.from !== undefined && t.day < c.from) return false;
  if (c.to !== undefined && t.day > c.to) return false;
  if (pc.weekdays !== 0 && (pc.weekdays & (1 << t.weekday)) === 0) return false;
  const win = pc.windows;
  if (win.length > 0) {
    const m = t.minutes;
    let inside = false;
    for (let k = 0; k < win.length && !inside; k += 2) inside = m >= win[k]! && m < win[k + 1]!;
    if (!inside) return false;
  }
  return true;
}

function campaignLabel(c: Campaign, m: Messages): string {
  if (c.label) return c.label;
  const days = c.weekdays.length > 0 ? ' ' + [...c.weekdays].sort().map((d) => m.weekdays[d] ?? String(d)).join(',') : '';
  const times = c.times.length > 0 ? ' ' + c.times.map((w) => `${trimMinutes(w.from)}–${trimMinutes(w.to)}`).join(',') : '';
  return c.name + days + times;
}

function trimMinutes(hhmm: string): string {
  const h = String(Number(hhmm.slice(0, 2)));
  return hhmm.endsWith(':00') ? h : `${h}:${hhmm.slice(3)}`;
}

function collectCandidates(
  program: Program,
  prep: Prepared,
  m: Messages,
  lines: readonly CartLine[],
  earnBase: readonly number[],
  tierLevel: TierLevel | null,
  member: MemberSnapshot,
  goodsTotal: number,
  now: () => LocalInstant,
  effects: Effect[],
): Candidate[] {
  const out: Candidate[] = [];
  const n = lines.length;
  let clock: Clock | null = null;
  // Lines a "fixed, replaceBase" rule owns earn only that rule's points.
  const rateBase: number[] = [];
  let baseTotal = 0;
  for (let i = 0; i < n; i++) {
    const b = earnBase[i]!;
    const l = lines[i]!;
    const r = b > 0 && prep.replacesBase.some((inRule) => inRule(l)) ? 0 : b;
    rateBase.push(r);
    baseTotal += r;
  }
  const pts = program.tiers?.kind !== 'discount' && tierLevel?.earnBps !== undefined ? tierLevel.earnBps : null;
  const rate = pts !== null && tierLevel ? tierRate(prep, program, m, tierLevel, pts) : prep.baseRate;
  const basePoints = rate.points(baseTotal);
  if (basePoints > 0) out.push({ ruleId: pts !== null && tierLevel ? `tier.${tierLevel.id}` : 'earn.base', label: rate.label, priority: 0, group: undefined, points: basePoints, weights: rateBase.slice() });

  // Weights of the rule at hand; copied only for a rule that earns something.
  const w = zeros(n);
  const rounding = program.earn.rounding;
  for (const { rule: r, ruleId, inScope, label } of prep.rules) {
    switch (r.mode) {
      case 'multiplier': {
        const points = mulDiv(rate.points(scopedWeights(w, lines, rateBase, inScope)), r.bps - 10_000, 10_000, rounding);
        if (points > 0) out.push({ ruleId, label, priority: r.priority, group: r.group, points, weights: w.slice() });
        break;
      }
      case 'fixed': {
        let u = 0;
        for (let i = 0; i < n; i++) {
          const l = lines[i]!;
          w[i] = earnBase[i]! > 0 && inScope(l) ? l.qty : 0;
          u += w[i]!;
        }
        const points = u * r.pointsPerUnit;
        if (points > 0) out.push({ ruleId, label, priority: r.priority, group: r.group, points, weights: w.slice() });
        break;
      }
    }
  }
  for (const pc of prep.campaigns) {
    const c = pc.c;
    if (!pc.always && !campaignActive(pc, (clock ??= clockOf(now())))) continue;
    if (goodsTotal < c.minCheck) continue;
    const used = member.campaignUses?.[c.id] ?? 0;
    if (c.perMemberLimit !== undefined && used >= c.perMemberLimit) {
      effects.push(info(`campaign.${c.id}.limit`, m.campaignLimit(pc.label, used, c.perMemberLimit)));
      continue;
    }
    const sum = scopedWeights(w, lines, rateBase, pc.inScope);
    if (!w.some((x) => x > 0)) continue;
    const points = c.effect.kind === 'multiplier' ? mulDiv(rate.points(sum), c.effect.bps - 10_000, 10_000, rounding) : c.effect.points;
    if (points > 0) out.push({ ruleId: pc.ruleId, label: pc.label, priority: c.priority, group: c.group, points, weights: w.slice(), campaignId: c.id });
  }
  return out;
}

/** Fills `w` with the rate base of the lines in scope (0 elsewhere) and returns their sum. */
function scopedWeights(w: number[], lines: readonly CartLine[], rateBase: readonly number[], inScope: LineTest): number {
  let sum = 0;
  for (let i = 0; i < lines.length; i++) {
    w[i] = inScope(lines[i]!) ? rateBase[i]! : 0;
    sum += w[i]!;
  }
  return sum;
}

function tierRate(prep: Prepared, program: Program, m: Messages, level: TierLevel, bps: number): Rate {
  let r = prep.tierRates.get(level);
  if (r === undefined) {
    r = { label: `${level.name} ${fmtPct(bps, m.decimal)}`, points: (x) => mulDiv(x, bps, 10_000 * program.redeem.pointValue, program.earn.rounding) };
    prep.tierRates.set(level, r);
  }
  return r;
}

type EarnRule = Program['earn']['rules'][number];
type PreparedCampaign = Readonly<{
  c: Campaign;
  ruleId: string;
  label: string;
  inScope: LineTest;
  /** No dates, weekdays or times: active whenever. */
  always: boolean;
  /** Bit d set for each ISO weekday d the campaign runs on; 0 = every day. */
  weekdays: number;
  /** [from, to) minute pairs of its time windows. */
  windows: readonly number[];
}>;

/**
 * What the quote needs of a program that does not depend on the sale, worked out once per
 * program object (programs are immutable data): rules and campaigns in evaluation order with
 * their labels and scope tests, campaign calendars in minutes and weekday bits, the base rate.
 */
type Prepared = Readonly<{
  rules: readonly Readonly<{ rule: EarnRule; ruleId: string; inScope: LineTest; label: string }>[];
  campaigns: readonly PreparedCampaign[];
  stamps: readonly StampCard[];
  replacesBase: readonly LineTest[];
  giftScope: LineTest;
  earnExclude: LineTest;
  redeemExclude: LineTest;
  baseRate: Rate;
  tierRates: Map<TierLevel, Rate>;
}>;
const preparedCache = new WeakMap<Program, Prepared>();
function prepared(program: Program, m: Messages): Prepared {
  let p = preparedCache.get(program);
  if (!p) {
    p = {
      rules: [...program.earn.rules].sort(byId).map((rule) => ({ rule, ruleId: `rule.${rule.id}`, inScope: scopeTest(rule.scope), label: rule.label ?? ruleLabel(rule, m) })),
      campaigns: [...program.campaigns].sort(byId).map((c) => prepareCampaign(c, m)),
      stamps: [...program.stamps].sort(byId),
      replacesBase: program.earn.rules.filter((r) => r.mode === 'fixed' && r.replaceBase).map((r) => scopeTest(r.scope)),
      giftScope: exclusionTest(program.giftCertificates.scope),
      earnExclude: exclusionTest(program.earn.exclude),
      redeemExclude: exclusionTest(program.redeem.exclude),
      baseRate: baseRate(program, m),
      tierRates: new Map(),
    };
    preparedCache.set(program, p);
  }
  return p;
}

function ruleLabel(r: EarnRule, m: Messages): string {
  switch (r.mode) {
    case 'multiplier':
      return m.multiplier(fmtMult(r.bps, m.decimal));
    case 'fixed':
      return m.pointsPerItem(r.pointsPerUnit);
  }
}

function prepareCampaign(c: Campaign, m: Messages): PreparedCampaign {
  let weekdays = 0;
  for (const d of c.weekdays) weekdays |= Number.isInteger(d) && d >= 1 && d <= 7 ? 1 << d : 0;
  // A weekday list naming no real weekday matches no day (as `includes` would).
  if (c.weekdays.length > 0 && weekdays === 0) weekdays = 1;
  return {
    c,
    ruleId: `campaign.${c.id}`,
    label: campaignLabel(c, m),
    inScope: scopeTest(c.scope),
    always: c.from === undefined && c.to === undefined && c.weekdays.length === 0 && c.times.length === 0,
    weekdays,
    windows: c.times.flatMap((w) => [hhmmToMinutes(w.from), hhmmToMinutes(w.to)]),
  };
}

function byPriority(a: Candidate, b: Candidate): number {
  return a.priority - b.priority || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/**
 * Sorts in place by priority, stably (the order Array#sort gives): an insertion sort, since a
 * sale has a few dozen candidates at most and Array#sort allocates a work area on every call.
 */
function sortByPriority(cands: Candidate[]): Candidate[] {
  for (let i = 1; i < cands.length; i++) {
    const c = cands[i]!;
    let k = i;
    while (k > 0 && byPriority(cands[k - 1]!, c) > 0) {
      cands[k] = cands[k - 1]!;
      k--;
    }
    cands[k] = c;
  }
  return cands;
}

/** Groups "best of" keep their single best rule, "add up" groups sum; group caps, then the per-sale cap, cut lowest priority last. */
function resolveStacking(program: Program, m: Messages, candidates: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  const grouped = new Map<string, Candidate[]>();
  for (const c of candidates) {
    if (c.group === undefined) kept.push(c);
    else {
      const g = grouped.get(c.group);
      if (g) g.push(c);
      else grouped.set(c.group, [c]);
    }
  }
  for (const g of program.stacking.groups) {
    const members = sortByPriority(grouped.get(g.id) ?? []);
    if (members.length === 0) continue;
    let chosen: Candidate[];
    switch (g.mode) {
      case 'best_of': {
        let best = members[0]!;
        for (const c of members) if (c.points > best.points) best = c;
        chosen = [best];
        break;
      }
      case 'add_up':
        chosen = members;
        break;
    }
    kept.push(...capInOrder(chosen, g.capPoints, m));
  }
  sortByPriority(kept);
  return capInOrder(kept, program.stacking.maxEarnPerSale, m).filter((c) => c.points > 0);
}

function capInOrder(cands: Candidate[], cap: number | undefined, m: Messages): Candidate[] {
  if (cap === undefined) return cands;
  let left = cap;
  return sortByPriority(cands.slice()).map((c) => {
    const points = Math.min(c.points, left);
    left -= points;
    return points === c.points ? c : { ...c, points, label: `${c.label} ${m.capped}` };
  });
}

function collectBonuses(program: Program, m: Messages, member: MemberSnapshot, now: () => LocalInstant): BonusGrant[] {
  const out: BonusGrant[] = [];
  const b = program.bonuses;
  if (b.birthday && member.birthday && member.birthdayBonusYears) {
    const year = birthdayYearInWindow(member.birthday, now(), b.birthday.windowDays);
    if (year !== null && !member.birthdayBonusYears.includes(year)) {
      out.push({ kind: 'birthday', key: String(year), memberId: member.id, points: b.birthday.points, label: b.birthday.label ?? m.birthday });
    }
  }
  if (b.welcome && member.welcomeGranted === false && (!b.welcome.afterFirstPurchase || member.firstPurchase === true)) {
    out.push({ kind: 'welcome', key: '', memberId: member.id, points: b.welcome.points, label: m.welcome });
  }
  if (b.referral && member.referrerId && member.referralGranted === false && member.firstPurchase === true) {
    if (b.referral.newMemberPoints > 0) out.push({ kind: 'referral_new', key: member.id, memberId: member.id, points: b.referral.newMemberPoints, label: m.referralNew });
    if (b.referral.referrerPoints > 0) out.push({ kind: 'referral_referrer', key: member.id, memberId: member.referrerId, points: b.referral.referrerPoints, label: m.referralReferrer });
  }
  return out;
}

/** "120 pts expire on 30.06": the soonest-expiring lot left after this sale's spending, if within the warning window. */
function expiryNotice(program: Program, m: Messages, member: MemberSnapshot, spent: number, nowMs: number, effects: Effect[]): void {
  const lots = member.lots;
  if (!lots || lots.length === 0) return;
  const horizon = nowMs + program.points.warnDays * 86_400_000;
  let toSpend = spent;
  const left: { expiresAt: string; exp: number; points: number }[] = [];
  // Each time is parsed once, not in every comparison of the sort.
  const dated = lots.map((l) => ({ l, exp: epoch(l.expiresAt) })).filter((x) => x.exp === null || x.exp > nowMs);
  dated.sort((a, b) => (a.exp ?? Infinity) - (b.exp ?? Infinity) || a.l.seq - b.l.seq);
  for (const { l, exp } of dated) {
    const spendable = epoch(l.availableAt)! <= nowMs;
    const take = spendable ? Math.min(toSpend, l.remaining) : 0;
    toSpend -= take;
    if (l.remaining - take > 0 && l.expiresAt) left.push({ expiresAt: l.expiresAt, exp: exp!, points: l.remaining - take });
  }
  const first = left[0];
  if (!first || first.exp > horizon) return;
  const local = localInstant(first.expiresAt, program.timezone);
  const dayEnd = endOfDayMs(local);
  const pts = left.filter((x) => x.exp <= dayEnd).reduce((a, x) => a + x.points, 0);
  const date = ddmmOf(local);
  effects.push(infoWith('points.expiry', m.expiring(pts, date), { points: pts, date }));
}

function redeemRefusal(program: Program, balance: number, max: number, requested: number): string {
  if (balance < program.redeem.minBalance) return `Redeeming starts at ${program.redeem.minBalance} points; the member has ${balance}`;
  return `At most ${max} points can pay for this check (${fmtPct(program.redeem.maxShareBps)} of eligible items); asked for ${requested}`;
}
