import { num, type ServerDb } from './db/database';

/**
 * Chain-wide analytics across every shop: sales (from the tills' `sale`/`refund` facts) and point
 * movements (from the server ledger), per shop and business day. Amounts are minor units.
 */
export type ShopDayRow = Readonly<{
  day: string;
  shop: string;
  sales: number;
  revenue: number;
  refunds: number;
  refunded: number;
  pointsEarned: number;
  pointsRedeemed: number;
  pointsExpired: number;
  corrections: number;
  activeMembers: number;
}>;

export async function chainReport(db: ServerDb, from: string, to: string): Promise<ShopDayRow[]> {
  const sales = await db.query<Record<string, unknown>>(
    `SELECT to_char(e.business_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, s.name AS shop,
            COUNT(*) FILTER (WHERE e.kind = 'sale') AS sales,
            COALESCE(SUM(CASE WHEN e.kind = 'sale' AND jsonb_typeof(e.payload->'total') = 'number' THEN (e.payload->>'total')::bigint END), 0) AS revenue,
            COUNT(*) FILTER (WHERE e.kind = 'refund') AS refunds,
            COALESCE(SUM(CASE WHEN e.kind = 'refund' AND jsonb_typeof(e.payload->'total') = 'number' THEN (e.payload->>'total')::bigint END), 0) AS refunded
       FROM terminal_event e JOIN terminal t ON t.terminal_id = e.terminal_id JOIN shop s ON s.shop_id = t.shop_id
      WHERE e.kind IN ('sale', 'refund') AND e.business_at >= $1::date AND e.business_at < ($2::date + 1)
      GROUP BY 1, 2`,
    [from, to],
  );
  const points = await db.query<Record<string, unknown>>(
    `SELECT to_char(l.business_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COALESCE(s.name, '(chain)') AS shop,
            COALESCE(SUM(l.delta) FILTER (WHERE l.kind IN ('earn', 'bonus', 'earn_reversal')), 0) AS earned,
            COALESCE(-SUM(l.delta) FILTER (WHERE l.kind IN ('redeem', 'redeem_reversal')), 0) AS redeemed,
            COALESCE(-SUM(l.delta) FILTER (WHERE l.kind = 'expire'), 0) AS expired,
            COALESCE(SUM(l.delta) FILTER (WHERE l.kind = 'correction'), 0) AS corrections,
            COUNT(DISTINCT l.member_id) AS members
       FROM ledger_entry l LEFT JOIN shop s ON s.shop_id = l.shop_id
      WHERE l.business_at >= $1::date AND l.business_at < ($2::date + 1)
      GROUP BY 1, 2`,
    [from, to],
  );
  const rows = new Map<string, { [k: string]: number | string }>();
  const get = (day: string, shop: string) => {
    const k = `${day}\u0000${shop}`;
    let r = rows.get(k);
    if (!r) {
      r = { day, shop, sales: 0, revenue: 0, refunds: 0, refunded: 0, pointsEarned: 0, pointsRedeemed: 0, pointsExpired: 0, corrections: 0, activeMembers: 0 };
      rows.set(k, r);
    }
    return r;
  };
  for (const s of sales.rows) Object.assign(get(String(s.day), String(s.shop)), { sales: num(s.sales), revenue: num(s.revenue), refunds: num(s.refunds), refunded: num(s.refunded) });
  for (const p of points.rows) {
    Object.assign(get(String(p.day), String(p.shop)), { pointsEarned: num(p.earned), pointsRedeemed: num(p.redeemed), pointsExpired: num(p.expired), corrections: num(p.corrections), activeMembers: num(p.members) });
  }
  return [...rows.values()].map((r) => r as unknown as ShopDayRow).sort((a, b) => (a.day === b.day ? a.shop.localeCompare(b.shop) : a.day < b.day ? -1 : 1));
}

const COLUMNS: readonly (keyof ShopDayRow)[] = ['day', 'shop', 'sales', 'revenue', 'refunds', 'refunded', 'pointsEarned', 'pointsRedeemed', 'pointsExpired', 'corrections', 'activeMembers'];

/** RFC 4180 CSV; a cell starting with = + - @ is prefixed with ' so spreadsheets don't run it as a formula. */
export function toCsv(rows: readonly ShopDayRow[]): string {
  const cell = (v: unknown) => {
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
