import { DateTime } from 'luxon';
import { summarizeLots } from '../../core/loyalty/lots';
import { mulDiv } from '../../core/money/money';
import { fail, missingCase } from '../../core/util/errors';
import { getSetting } from '../db/settings';
import type { Db } from '../db/types';
import { loadActiveProgram } from '../loyalty/program-store';
import { businessTime } from '../sales/time';
import { memberLots } from '../loyalty/snapshot';

/**
 * Loyalty analytics for one terminal over a period of business dates (inclusive). Dates compare
 * on the first 10 characters of the stored business time, which carries the shop's offset, so a
 * sale at 23:30 Moscow time counts on that Moscow day. Ratios are integers: basis points (1% =
 * 100) or ×100 values, so nothing fractional crosses a boundary.
 */
export type Period = Readonly<{ from: string; to: string }>;

export type MonthRow = Readonly<{
  month: string;
  sales: number;
  memberSales: number;
  revenue: number;
  memberRevenue: number;
  pointsIssued: number;
  pointsRedeemed: number;
  newMembers: number;
}>;

export type CohortRow = Readonly<{ cohort: string; size: number; retained: readonly number[] }>;
export type CampaignRow = Readonly<{ id: string; name: string; sales: number; members: number; revenue: number; points: number; discount: number }>;

export type LoyaltyAnalytics = Readonly<{
  period: Period;
  at: string;
  currency: string;
  members: Readonly<{ total: number; active: number; new: number; erased: number }>;
  /** Share of active members who bought at least twice in the period, basis points. */
  repeatRateBps: number;
  /** Purchases per active member ×100 (250 = 2.5 purchases). */
  frequencyX100: number;
  averageCheck: Readonly<{ members: number; nonMembers: number; memberSales: number; nonMemberSales: number }>;
  cohorts: readonly CohortRow[];
  liability: Readonly<{
    /** Outstanding points (spendable + pending) and their value in minor units. */
    points: number;
    value: number;
    pointValue: number;
    pending: number;
    debt: number;
    expiry: readonly Readonly<{ month: string; points: number; value: number }>[];
    neverExpires: number;
  }>;
  tiers: readonly Readonly<{ tier: string; members: number }>[];
  campaigns: readonly CampaignRow[];
  monthly: readonly MonthRow[];
}>;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function checkPeriod(p: Period): Period {
  if (!DATE_RE.test(p.from) || !DATE_RE.test(p.to)) fail('VALIDATION', 'Give the period as dates like 2026-11-01');
  if (!DateTime.fromISO(p.from).isValid || !DateTime.fromISO(p.to).isValid) fail('VALIDATION', 'That date does not exist');
  if (p.from > p.to) fail('VALIDATION', 'The period ends before it starts');
  if (DateTime.fromISO(p.to).diff(DateTime.fromISO(p.from), 'days').days > 3700) fail('VALIDATION', 'The period is longer than ten years');
  return p;
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(from.slice(0, 7) + '-01');
  const end = to.slice(0, 7);
  while (d.toFormat('yyyy-LL') <= end) {
    out.push(d.toFormat('yyyy-LL'));
    d = d.plus({ months: 1 });
  }
  return out;
}

const ratio = (num: number, den: number, scale: number) => (den === 0 ? 0 : mulDiv(num, scale, den, 'half_up'));

/**
 * The period a report shows when none is asked for: the twelve calendar months up to today, as
 * business dates in the shop's time zone (sales are dated that way: after local midnight, today
 * is already tomorrow's date in UTC+ zones, which a date taken from UTC would leave out).
 */
export function defaultPeriod(db: Db, now: Date): Period {
  const to = businessTime(undefined, getSetting<string>(db, 'shop.timezone'), () => now).slice(0, 10);
  const back = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - 1 - 11;
  return { from: `${Math.floor(back / 12)}-${String((back % 12) + 1).padStart(2, '0')}-01`, to };
}

export function loyaltyAnalytics(db: Db, period: Period, at = new Date().toISOString()): LoyaltyAnalytics {
  const { from, to } = checkPeriod(period);
  const p = { from, to };
  const IN = `substr(s.occurred_at, 1, 10) BETWEEN @from AND @to`;
  const currency = ((): string => {
    const r = db.prepare("SELECT value FROM settings WHERE key = 'shop.currency'").pluck().get() as string | undefined;
    return r ? (JSON.parse(r) as string) : 'RUB';
  })();

  const total = db.prepare('SELECT count(*) FROM member WHERE substr(created_at, 1, 10) <= @to').pluck().get(p) as number;
  const erased = db.prepare('SELECT count(*) FROM member_erasure').pluck().get() as number;
  const fresh = db.prepare('SELECT count(*) FROM member WHERE substr(created_at, 1, 10) BETWEEN @from AND @to').pluck().get(p) as number;
  const perMember = db.prepare(`SELECT s.member_id AS id, count(*) AS n FROM sale s WHERE s.member_id IS NOT NULL AND ${IN} GROUP BY s.member_id`).all(p) as Array<{ id: string; n: number }>;
  const active = perMember.length;
  const repeaters = perMember.filter((m) => m.n >= 2).length;
  const memberPurchases = perMember.reduce((a, m) => a + m.n, 0);

  const checks = db
    .prepare(`SELECT s.member_id IS NOT NULL AS member, count(*) AS n, SUM(s.total) AS total FROM sale s WHERE ${IN} GROUP BY 1`)
    .all(p) as Array<{ member: number; n: number; total: number }>;
  const mem = checks.find((c) => c.member === 1) ?? { n: 0, total: 0 };
  const non = checks.find((c) => c.member === 0) ?? { n: 0, total: 0 };

  // Monthly retention cohorts: members grouped by the month of their first purchase ever; for each
  // later month of the period, how many of them bought again.
  const months = monthsBetween(from, to);
  const firsts = db
    .prepare(`SELECT member_id AS id, substr(min(occurred_at), 1, 7) AS cohort FROM sale WHERE member_id IS NOT NULL GROUP BY member_id`)
    .all() as Array<{ id: string; cohort: string }>;
  const activeMonths = new Map<string, Set<string>>();
  for (const r of db.prepare(`SELECT DISTINCT member_id AS id, substr(occurred_at, 1, 7) AS month FROM sale WHERE member_id IS NOT NULL AND substr(occurred_at, 1, 7) BETWEEN ? AND ?`).all(months[0], months[months.length - 1]) as Array<{ id: string; month: string }>) {
    let s = activeMonths.get(r.month);
    if (!s) activeMonths.set(r.month, (s = new Set()));
    s.add(r.id);
  }
  const cohorts: CohortRow[] = months.map((cohort, i) => {
    const ids = firsts.filter((f) => f.cohort === cohort).map((f) => f.id);
    return { cohort, size: ids.length, retained: months.slice(i).map((m) => ids.filter((id) => activeMonths.get(m)?.has(id)).length) };
  });

  // Points liability: every member's open lots replayed from the ledger, valued at the active program's point value.
  const { program } = loadActiveProgram(db, at);
  const pointValue = program.redeem.pointValue;
  let points = 0;
  let pending = 0;
  let debt = 0;
  let neverExpires = 0;
  const expiry = new Map<string, number>();
  for (const id of db.prepare('SELECT DISTINCT member_id FROM ledger_event WHERE member_id IS NOT NULL').pluck().all() as string[]) {
    const replay = memberLots(db, id);
    const sum = summarizeLots(replay, at);
    debt += replay.debt;
    // Pending points are owed too (spendable later); a member in debt owes us, so counts 0 here.
    points += Math.max(sum.available, 0) + sum.pending;
    pending += sum.pending;
    for (const l of sum.lots) {
      if (l.remaining <= 0) continue;
      if (l.expiresAt === null) neverExpires += l.remaining;
      else expiry.set(l.expiresAt.slice(0, 7), (expiry.get(l.expiresAt.slice(0, 7)) ?? 0) + l.remaining);
    }
  }

  const tiers = db
    // Erased members stay in: they are anonymous now but their points and tier still count.
    .prepare(`SELECT COALESCE(t.level_id, '') AS tier, count(*) AS members FROM member m LEFT JOIN loyalty_tier t ON t.member_id = m.id GROUP BY 1 ORDER BY 1`)
    .all() as Array<{ tier: string; members: number }>;
  const tierNames = new Map((program.tiers?.levels ?? []).map((l) => [l.id, l.name] as const));

  const campaigns: CampaignRow[] = program.campaigns.map((c) => {
    const r = db
      .prepare(
        `SELECT count(DISTINCT s.id) AS sales, count(DISTINCT s.member_id) AS members,
                COALESCE(SUM(CASE WHEN f.rn = 1 THEN s.total END), 0) AS revenue,
                COALESCE(SUM(json_extract(f.value, '$.points')), 0) AS points,
                COALESCE(SUM(CASE WHEN json_extract(f.value, '$.kind') = 'discount' THEN json_extract(f.value, '$.amount') END), 0) AS discount
         FROM sale s JOIN (SELECT s2.id AS sid, je.value AS value, row_number() OVER (PARTITION BY s2.id ORDER BY je.key) AS rn
                           FROM sale s2, json_each(s2.effects) je WHERE json_extract(je.value, '$.ruleId') = @id) f ON f.sid = s.id
         WHERE ${IN}`,
      )
      .get({ ...p, id: c.id }) as { sales: number; members: number; revenue: number; points: number; discount: number };
    return { id: c.id, name: c.name, ...r };
  });

  const monthly: MonthRow[] = months.map((month) => {
    const q = { ...p, month };
    const s = db
      .prepare(
        `SELECT count(*) AS sales, SUM(s.member_id IS NOT NULL) AS memberSales, COALESCE(SUM(s.total), 0) AS revenue,
                COALESCE(SUM(CASE WHEN s.member_id IS NOT NULL THEN s.total END), 0) AS memberRevenue
         FROM sale s WHERE ${IN} AND substr(s.occurred_at, 1, 7) = @month`,
      )
      .get(q) as { sales: number; memberSales: number | null; revenue: number; memberRevenue: number };
    const e = db
      .prepare(
        `SELECT COALESCE(SUM(CASE WHEN kind IN ('earn', 'bonus') THEN delta END), 0) AS issued,
                COALESCE(-SUM(CASE WHEN kind = 'redeem' THEN delta END), 0) AS redeemed
         FROM ledger_event WHERE substr(occurred_at, 1, 10) BETWEEN @from AND @to AND substr(occurred_at, 1, 7) = @month`,
      )
      .get(q) as { issued: number; redeemed: number };
    const n = db.prepare('SELECT count(*) FROM member WHERE substr(created_at, 1, 10) BETWEEN @from AND @to AND substr(created_at, 1, 7) = @month').pluck().get(q) as number;
    return { month, sales: s.sales, memberSales: s.memberSales ?? 0, revenue: s.revenue, memberRevenue: s.memberRevenue, pointsIssued: e.issued, pointsRedeemed: 0 + e.redeemed, newMembers: n };
  });

  return {
    period: { from, to },
    at,
    currency,
    members: { total, active, new: fresh, erased },
    repeatRateBps: ratio(repeaters, active, 10_000),
    frequencyX100: ratio(memberPurchases, active, 100),
    averageCheck: { members: ratio(mem.total, mem.n, 1), nonMembers: ratio(non.total, non.n, 1), memberSales: mem.n, nonMemberSales: non.n },
    cohorts,
    liability: {
      points,
      value: points * pointValue,
      pointValue,
      pending,
      debt,
      expiry: [...expiry].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, pts]) => ({ month, points: pts, value: pts * pointValue })),
      neverExpires,
    },
    tiers: tiers.map((t) => ({ tier: t.tier ? tierNames.get(t.tier) ?? t.tier : 'none', members: t.members })),
    campaigns,
    monthly,
  };
}

export const CSV_TABLES = ['summary', 'monthly', 'cohorts', 'liability', 'tiers', 'campaigns'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote when needed, and defuse spreadsheet formulas (=, +, -, @ at the start of text).
  const safe = /^[=+\-@]/.test(s) && !/^-?\d+$/.test(s) ? "'" + s : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One table of the analytics as CSV (RFC 4180, CRLF). Money stays in minor units, as stored. */
export function analyticsCsv(a: LoyaltyAnalytics, table: CsvTable): string {
  switch (table) {
    case 'summary':
      return csv([
        ['metric', 'value'],
        ['period_from', a.period.from],
        ['period_to', a.period.to],
        ['members_total', a.members.total],
        ['members_active', a.members.active],
        ['members_new', a.members.new],
        ['members_erased', a.members.erased],
        ['repeat_rate_bps', a.repeatRateBps],
        ['purchases_per_active_member_x100', a.frequencyX100],
        ['average_check_members_minor', a.averageCheck.members],
        ['average_check_non_members_minor', a.averageCheck.nonMembers],
        ['liability_points', a.liability.points],
        ['liability_value_minor', a.liability.value],
      ]);
    case 'monthly':
      return csv([
        ['month', 'sales', 'member_sales', 'revenue_minor', 'member_revenue_minor', 'points_issued', 'points_redeemed', 'new_members'],
        ...a.monthly.map((m) => [m.month, m.sales, m.memberSales, m.revenue, m.memberRevenue, m.pointsIssued, m.pointsRedeemed, m.newMembers]),
      ]);
    case 'cohorts': {
      const width = Math.max(0, ...a.cohorts.map((c) => c.retained.length));
      return csv([['cohort', 'size', ...Array.from({ length: width }, (_, i) => `month_${i}`)], ...a.cohorts.map((c) => [c.cohort, c.size, ...c.retained])]);
    }
    case 'liability':
      return csv([
        ['expires_month', 'points', 'value_minor'],
        ...a.liability.expiry.map((e) => [e.month, e.points, e.value]),
        ['never', a.liability.neverExpires, a.liability.neverExpires * a.liability.pointValue],
      ]);
    case 'tiers':
      return csv([['tier', 'members'], ...a.tiers.map((t) => [t.tier, t.members])]);
    case 'campaigns':
      return csv([['campaign', 'name', 'sales', 'members', 'revenue_minor', 'points', 'discount_minor'], ...a.campaigns.map((c) => [c.id, c.name, c.sales, c.members, c.revenue, c.points, c.discount])]);
  }
}
