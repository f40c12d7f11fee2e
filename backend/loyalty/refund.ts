import { isGiftCertificate, type CartLine } from '../../core/loyalty/quote';
import { inScope } from '../../core/loyalty/scope';
import { fail } from '../../core/util/errors';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { getGiftCertificate } from './gift';
import { programByVersion } from './program-store';

export type RefundEffectsInput = Readonly<{
  saleId: string;
  refundId: string;
  at: string;
  /** Refunded quantities per sale line. */
  lines: readonly Readonly<{ lineNo: number; qty: number }>[];
  /** Part of the refund going back to gift certificates (the sale was partly paid with them). */
  gift: number;
}>;

type SaleLineRow = { line_no: number; product_id: string; sku: string; name: string; category: string; qty: number; unit_price: number; earns_points: number; payable_with_points: number };

/**
 * Called inside the refund's transaction, after its rows and ledger events: undo what the rules
 * recorded for the returned part. Stamps earned by returned items come off the card; money that
 * came from gift certificates goes back onto them; a returned certificate is cancelled, and
 * refused if it was already spent (its value left the shop); a sale returned in full frees its
 * campaign uses. Bonuses given once (birthday, welcome, referral) stay given.
 */
export function recordRefundEffects(db: Db, input: RefundEffectsInput): void {
  const sale = stmt(db, 'SELECT member_id, program_version FROM sale WHERE id = ?').get(input.saleId) as { member_id: string | null; program_version: number | null } | undefined;
  if (!sale) return;
  const program = programByVersion(db, sale.program_version);
  const rows = stmt(db, 'SELECT line_no, product_id, sku, name, category, qty, unit_price, earns_points, payable_with_points FROM sale_line WHERE sale_id = ?').all(input.saleId) as SaleLineRow[];
  const byNo = new Map(rows.map((r) => [r.line_no, r]));
  const cart = (r: SaleLineRow): CartLine => ({ lineNo: r.line_no, productId: r.product_id, sku: r.sku, name: r.name, category: r.category, qty: r.qty, unitPrice: r.unit_price, earnsPoints: r.earns_points === 1, payableWithPoints: r.payable_with_points === 1 });

  // Returned certificates: cancel unspent ones sold on this sale, one per returned unit.
  for (const l of input.lines) {
    const row = byNo.get(l.lineNo);
    if (!row || !isGiftCertificate(program, cart(row))) continue;
    const sold = (stmt(db, "SELECT code FROM gift_certificate WHERE sale_id = ? AND status = 'active' ORDER BY code").pluck().all(input.saleId) as string[])
      .map((c) => getGiftCertificate(db, c))
      .filter((g) => g.balance === g.initial && g.initial === row.unit_price);
    if (sold.length < l.qty) fail('CONFLICT', `A gift certificate sold on this sale has already been used: it cannot be returned for money`);
    for (const g of sold.slice(0, l.qty)) {
      stmt(db, "UPDATE gift_certificate SET status = 'void' WHERE code = ?").run(g.code);
      stmt(db, 'INSERT INTO gift_certificate_move (code, sale_id, amount, reason, at) VALUES (?, ?, ?, ?, ?)').run(g.code, input.saleId, -g.balance, 'returned', input.at);
    }
  }

  // Money paid with certificates goes back onto them, in code order, never beyond what was taken.
  let back = input.gift;
  if (back > 0) {
    const used = stmt(db, "SELECT code, -sum(amount) AS spent FROM gift_certificate_move WHERE sale_id = ? AND reason IN ('spend', 'refund') GROUP BY code ORDER BY code").all(input.saleId) as { code: string; spent: number }[];
    for (const u of used) {
      const put = Math.min(back, u.spent);
      if (put <= 0) continue;
      stmt(db, 'INSERT INTO gift_certificate_move (code, sale_id, amount, reason, at) VALUES (?, ?, ?, ?, ?)').run(u.code, input.saleId, put, 'refund', input.at);
      back -= put;
    }
  }

  // A sale returned in full no longer counts against a campaign's per-member limit.
  if (sale.member_id) {
    const left = stmt(db, 'SELECT coalesce(sum(l.qty), 0) - coalesce((SELECT sum(r.qty) FROM refund_line r WHERE r.sale_id = ?), 0) FROM sale_line l WHERE l.sale_id = ?')
      .pluck()
      .get(input.saleId, input.saleId) as number;
    if (left <= 0) stmt(db, 'DELETE FROM loyalty_campaign_use WHERE sale_id = ?').run(input.saleId);
  }

  // Stamps the returned items earned come off the card (never below zero).
  if (sale.member_id) {
    for (const card of program.stamps) {
      const units = input.lines.reduce((a, l) => {
        const row = byNo.get(l.lineNo);
        return a + (row && !isGiftCertificate(program, cart(row)) && inScope(card.scope, cart(row)) ? l.qty : 0);
      }, 0);
      if (units > 0) stmt(db, 'UPDATE loyalty_stamp SET count = max(0, count - ?) WHERE member_id = ? AND card_id = ?').run(units, sale.member_id, card.id);
    }
  }
}
