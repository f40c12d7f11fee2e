import { DateTime } from 'luxon';
import { plusDays, shopTime } from '../../core/loyalty/calendar';
import { summarizeLots } from '../../core/loyalty/lots';
import type { Program } from '../../core/loyalty/program';
import { quote, type CartLine, type MemberSnapshot, type StampState } from '../../core/loyalty/quote';
import { fail, KopilkaError } from '../../core/util/errors';
import type { Db } from '../db/types';
import { memberLots } from './snapshot';
import { memberSpend } from './spend';

/**
 * Replay the sales stored in the database under a candidate program, before a manager publishes
 * it. Each member starts from their real state at the start of the range (spendable points,
 * qualifying spend, bonuses already given) and evolves in memory sale by sale under the
 * candidate: points, tier, stamps (from zero), campaign usage. Each sale asks for the same
 * redemption the customer made, clamped to what the candidate allows, and the same catalog
 * rewards if the candidate still has them. Promo codes and certificates are left out: they do
 * not depend on the program.
 *
 * Cost in money = Δ points issued × point value (the liability the shop takes on) + Δ discounts
 * given by the rules (tier, stamps, rewards).
 */
export type DayFigures = Readonly<{ sales: number; issued: number; redeemed: number; discount: number }>;
export type SimDay = Readonly<{ date: string; actual: DayFigures; candidate: DayFigures; delta: Readonly<{ issued: number; redeemed: number; discount: number; cost: number }> }>;
export type Simulation = Readonly<{
  from: string;
  to: string;
  currency: string;
  pointValue: number;
  days: readonly SimDay[];
  totals: SimDay['delta'] & Readonly<{ sales: number; refused: number }>;
  refused: readonly Readonly<{ saleId: string; receiptNo: number; reason: string }>[];
}>;

type SaleRow = { id: string; receipt_no: number; occurred_at: string; member_id: string | null; discount: number; redeem_points: number; effects: string };
type LineRow = { line_no: number; product_id: string; sku: string; name: string; category: string; qty: number; unit_price: number; earns_points: number; payable_with_points: number };

type SimMember = {
  balance: number;
  spend: number; // qualifying spend running total (rolling window approximated by the start value plus the range)
  tier: MemberSnapshot['tier'];
  stamps: Record<string, StampState>;
  campaignUses: Record<string, number>;
  birthday: string | null;
  birthdayBonusYears: number[];
  firstPurchase: boolean;
  welcomeGranted: boolean;
  referrerId: string | null;
  referralGranted: boolean;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function simulateProgram(db: Db, candidate: Program, fromDate: string, toDate: string): Simulation {
  if (!DATE.test(fromDate) || !DATE.test(toDate)) fail('VALIDATION', 'Give --from and --to as dates, e.g. 2026-03-01');
  if (fromDate > toDate) fail('VALIDATION', '--from must not be after --to');
  const zone = candidate.timezone;
  const fromIso = DateTime.fromISO(fromDate, { zone }).startOf('day').toISO()!;
  const toIso = DateTime.fromISO(toDate, { zone }).plus({ days: 1 }).startOf('day').toISO()!;
  const sales = db
    .prepare('SELECT id, receipt_no, occurred_at, member_id, discount, redeem_points, effects FROM sale WHERE julianday(occurred_at) >= julianday(?) AND julianday(occurred_at) < julianday(?) ORDER BY julianday(occurred_at), receipt_no')
    .all(fromIso, toIso) as SaleRow[];
  const linesOf = db.prepare('SELECT line_no, product_id, sku, name, category, qty, unit_price, earns_points, payable_with_points FROM sale_line WHERE sale_id = ? ORDER BY line_no');
  const eventsOf = db.prepare("SELECT kind, delta FROM ledger_event WHERE sale_id = ? AND kind IN ('earn', 'bonus', 'redeem')");
  const pv = candidate.redeem.pointValue;

  const members = new Map<string, SimMember>();
  const simMember = (id: string): SimMember => {
    let m = members.get(id);
    if (m) return m;
    const grants = db.prepare('SELECT kind, key FROM loyalty_grant WHERE member_id = ? AND julianday(granted_at) < julianday(?)').all(id, fromIso) as { kind: string; key: string }[];
    const uses: Record<string, number> = {};
    for (const u of db.prepare('SELECT campaign_id, count(*) AS n FROM loyalty_campaign_use WHERE member_id = ? AND julianday(used_at) < julianday(?) GROUP BY campaign_id').all(id, fromIso) as { campaign_id: string; n: number }[]) uses[u.campaign_id] = u.n;
    const tiers = candidate.tiers;
    const since = tiers?.basis === 'rolling' ? plusDays(fromIso, -tiers.windowDays, zone) : null;
    m = {
      balance: Math.max(0, summarizeLots(memberLots(db, id, fromIso), fromIso).available),
      spend: tiers ? memberSpend(db, candidate, id, since, fromIso) : 0,
      tier: null,
      stamps: {},
      campaignUses: uses,
      birthday: (db.prepare('SELECT birthday FROM member WHERE id = ?').pluck().get(id) as string | null | undefined) ?? null,
      birthdayBonusYears: grants.filter((g) => g.kind === 'birthday').map((g) => Number(g.key)),
      firstPurchase: (db.prepare('SELECT count(*) FROM sale WHERE member_id = ? AND julianday(occurred_at) < julianday(?)').pluck().get(id, fromIso) as number) === 0,
      welcomeGranted: grants.some((g) => g.kind === 'welcome'),
      referrerId: (db.prepare('SELECT referrer_id FROM loyalty_referral WHERE member_id = ?').pluck().get(id) as string | undefined) ?? null,
      referralGranted: grants.some((g) => g.kind === 'referral_new'),
    };
    members.set(id, m);
    return m;
  };

  const days = new Map<string, { actual: { sales: number; issued: number; redeemed: number; discount: number }; candidate: { sales: number; issued: number; redeemed: number; discount: number } }>();
  const refused: { saleId: string; receiptNo: number; reason: string }[] = [];
  for (const s of sales) {
    const date = shopTime(s.occurred_at, zone).toISODate()!;
    let d = days.get(date);
    if (!d) days.set(date, (d = { actual: { sales: 0, issued: 0, redeemed: 0, discount: 0 }, candidate: { sales: 0, issued: 0, redeemed: 0, discount: 0 } }));
    d.actual.sales++;
    const effects = (JSON.parse(s.effects) as { ruleId?: string; kind?: string; amount?: number }[]) ?? [];
    // Promo-code discounts are not the program's doing and are not replayed: compare like with like.
    d.actual.discount += s.discount - effects.filter((e) => e.ruleId?.startsWith('promo.')).reduce((a, e) => a + (e.amount ?? 0), 0);
    for (const e of eventsOf.all(s.id) as { kind: string; delta: number }[]) {
      if (e.delta > 0) d.actual.issued += e.delta;
      else d.actual.redeemed += -e.delta;
    }
    const lines: CartLine[] = (linesOf.all(s.id) as LineRow[]).map((l) => ({
      lineNo: l.line_no, productId: l.product_id, sku: l.sku, name: l.name, category: l.category, qty: l.qty, unitPrice: l.unit_price,
      earnsPoints: l.earns_points === 1, payableWithPoints: l.payable_with_points === 1,
    }));
    const m = s.member_id ? simMember(s.member_id) : null;
    const rewardIds = effects
      .filter((e) => e.kind === 'redeem' && e.ruleId?.startsWith('reward.'))
      .map((e) => e.ruleId!.slice('reward.'.length))
      .filter((id) => candidate.rewards.some((r) => r.id === id));
    const snapshot: MemberSnapshot | null = m && s.member_id
      ? { id: s.member_id, balance: m.balance, windowSpend: m.spend, lifetimeSpend: m.spend, tier: m.tier, stamps: m.stamps, campaignUses: m.campaignUses, birthday: m.birthday, birthdayBonusYears: m.birthdayBonusYears, firstPurchase: m.firstPurchase, welcomeGranted: m.welcomeGranted, referrerId: m.referrerId, referralGranted: m.referralGranted }
      : null;
    const ask = (points: number, rewards: readonly string[]) =>
      quote({ program: candidate, programVersion: null, lines, member: snapshot, redeem: points > 0 ? { mode: 'points', points } : { mode: 'none' }, at: s.occurred_at, rewards });
    let q;
    try {
      // Same behaviour as the customer's: redeem what they redeemed, as far as the candidate allows.
      const probe = ask(0, rewardIds.filter((id, i) => rewardIds.indexOf(id) === i));
      q = ask(Math.min(s.redeem_points, probe.maxRedeemPoints), probe.rewards);
    } catch (e) {
      if (!(e instanceof KopilkaError)) throw e;
      refused.push({ saleId: s.id, receiptNo: s.receipt_no, reason: e.message });
      continue;
    }
    d.candidate.sales++;
    const issuedHere = q.earnPoints + q.bonuses.reduce((a, b) => a + b.points, 0);
    d.candidate.issued += issuedHere;
    d.candidate.redeemed += q.redeemPoints + q.rewardPoints;
    d.candidate.discount += q.discount;
    if (m) {
      m.balance += q.earnPoints + q.bonusPoints - q.redeemPoints - q.rewardPoints;
      m.spend += q.total;
      if (q.tier) m.tier = q.tier.stateAfter;
      for (const st of q.stamps) m.stamps[st.cardId] = { count: st.count, lastAt: st.lastAt };
      for (const c of q.campaignsUsed) m.campaignUses[c] = (m.campaignUses[c] ?? 0) + 1;
      for (const b of q.bonuses) {
        if (b.kind === 'birthday') m.birthdayBonusYears.push(Number(b.key));
        if (b.kind === 'welcome') m.welcomeGranted = true;
        if (b.kind === 'referral_new') m.referralGranted = true;
        if (b.kind === 'referral_referrer') {
          const r = simMember(b.memberId);
          r.balance += b.points;
        }
      }
      m.firstPurchase = false;
    }
  }
  const out: SimDay[] = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, d]) => {
    const issued = d.candidate.issued - d.actual.issued;
    const discount = d.candidate.discount - d.actual.discount;
    return { date, actual: d.actual, candidate: d.candidate, delta: { issued, redeemed: d.candidate.redeemed - d.actual.redeemed, discount, cost: issued * pv + discount } };
  });
  const sum = (k: 'issued' | 'redeemed' | 'discount' | 'cost') => out.reduce((a, d) => a + d.delta[k], 0);
  return {
    from: fromDate,
    to: toDate,
    currency: candidate.currency,
    pointValue: pv,
    days: out,
    totals: { issued: sum('issued'), redeemed: sum('redeemed'), discount: sum('discount'), cost: sum('cost'), sales: sales.length, refused: refused.length },
    refused,
  };
}
