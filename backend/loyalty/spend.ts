import type { Program } from '../../core/loyalty/program';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

/**
 * Qualifying spend for tiers: what the member's sales came to after discounts (points count as
 * money paid), minus refunds, minus gift certificates bought (a liability, not a purchase).
 * `sinceIso` null = lifetime. SQLite's julianday() understands the stored offsets.
 */
export function memberSpend(db: Db, program: Program, memberId: string, sinceIso: string | null, beforeIso: string): number {
  const since = sinceIso ?? '0001-01-01T00:00:00Z';
  const sales = stmt(db,
      `SELECT coalesce(sum(total), 0) FROM sale
       WHERE member_id = ? AND julianday(occurred_at) > julianday(?) AND julianday(occurred_at) <= julianday(?)`,
    )
    .pluck()
    .get(memberId, since, beforeIso) as number;
  const refunds = stmt(db,
      `SELECT coalesce(sum(r.amount), 0) FROM refund r JOIN sale s ON s.id = r.sale_id
       WHERE s.member_id = ? AND julianday(s.occurred_at) > julianday(?) AND julianday(s.occurred_at) <= julianday(?)`,
    )
    .pluck()
    .get(memberId, since, beforeIso) as number;
  const gs = program.giftCertificates.scope;
  let gifts = 0;
  if (gs.categories.length + gs.products.length > 0) {
    const cats = gs.categories.map(() => '?').join(',') || "''";
    const prods = gs.products.map(() => '?').join(',') || "''";
    gifts = stmt(db,
        `SELECT coalesce(sum(l.amount - l.discount), 0) FROM sale_line l JOIN sale s ON s.id = l.sale_id
         WHERE s.member_id = ? AND julianday(s.occurred_at) > julianday(?) AND julianday(s.occurred_at) <= julianday(?)
           AND (l.category IN (${cats}) OR l.sku IN (${prods}) OR l.product_id IN (${prods}))`,
      )
      .pluck()
      .get(memberId, since, beforeIso, ...gs.categories, ...gs.products, ...gs.products) as number;
  }
  return Math.max(0, sales - refunds - gifts);
}
