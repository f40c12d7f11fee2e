// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQLite row, read column by column below
export type SqlRow = Record<string, any>;
import { fail } from '../../core/util/errors';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

export type StoredSaleLine = Readonly<{
  lineNo: number; productId: string; sku: string; name: string; category: string; qty: number; unitPrice: number;
  amount: number; discount: number; pointsPaid: number; pointsRedeemed: number; earned: number;
  earnsPoints: boolean; payableWithPoints: boolean; refundedQty: number;
}>;

export type StoredSale = Readonly<{
  id: string; receiptNo: number; terminalId: string; occurredAt: string; memberId: string | null; currency: string;
  subtotal: number; discount: number; total: number; redeemPoints: number; redeemValue: number; toPay: number; earnPoints: number;
  programVersion: number | null; effects: readonly Readonly<{ ruleId: string; kind: string; label: string; points: number; amount: number }>[];
  lines: readonly StoredSaleLine[];
  payments: readonly Readonly<{ method: 'cash' | 'card' | 'points' | 'gift'; amount: number; tendered: number | null; change: number | null }>[];
  refunds: readonly Readonly<{ id: string; refundNo: number; kind: 'refund' | 'void'; occurredAt: string; amount: number; pointsClawed: number; pointsRestored: number }>[];
}>;

/** Find a sale by its id or its receipt number (what is printed on paper). */
export function findSaleId(db: Db, ref: string | number): string {
  const text = String(ref).trim();
  const byId = stmt(db, 'SELECT id FROM sale WHERE id = ?').pluck().get(text) as string | undefined;
  if (byId) return byId;
  if (/^\d{1,12}$/.test(text)) {
    const byNo = stmt(db, 'SELECT id FROM sale WHERE receipt_no = ?').pluck().get(Number(text)) as string | undefined;
    if (byNo) return byNo;
  }
  fail('NOT_FOUND', `No sale "${text.slice(0, 64)}": check the receipt number`);
}

export function loadSale(db: Db, ref: string | number): StoredSale {
  const id = findSaleId(db, ref);
  const s = stmt(db, 'SELECT * FROM sale WHERE id = ?').get(id) as Record<string, unknown>;
  const lines = stmt(db,
      `SELECT l.*, coalesce((SELECT sum(qty) FROM refund_line r WHERE r.sale_id = l.sale_id AND r.line_no = l.line_no), 0) AS refunded_qty
       FROM sale_line l WHERE l.sale_id = ? ORDER BY l.line_no`,
    )
    .all(id) as SqlRow[];
  const payments = stmt(db, 'SELECT method, amount, tendered, change FROM payment WHERE sale_id = ? ORDER BY id').all(id) as StoredSale['payments'][number][];
  const refunds = (stmt(db, 'SELECT * FROM refund WHERE sale_id = ? ORDER BY refund_no').all(id) as SqlRow[]).map((r) => ({
    id: r.id, refundNo: r.refund_no, kind: r.kind as 'refund' | 'void', occurredAt: r.occurred_at, amount: r.amount, pointsClawed: r.points_clawed, pointsRestored: r.points_restored,
  }));
  return {
    id, receiptNo: s.receipt_no as number, terminalId: s.terminal_id as string, occurredAt: s.occurred_at as string, memberId: (s.member_id as string | null) ?? null,
    currency: s.currency as string, subtotal: s.subtotal as number, discount: s.discount as number, total: s.total as number,
    redeemPoints: s.redeem_points as number, redeemValue: s.redeem_value as number, toPay: s.to_pay as number, earnPoints: s.earn_points as number,
    programVersion: (s.program_version as number | null) ?? null, effects: JSON.parse(s.effects as string) as StoredSale['effects'],
    lines: lines.map((l) => ({
      lineNo: l.line_no, productId: l.product_id, sku: l.sku, name: l.name, category: l.category, qty: l.qty, unitPrice: l.unit_price,
      amount: l.amount, discount: l.discount, pointsPaid: l.points_paid, pointsRedeemed: l.points_redeemed, earned: l.earned,
      earnsPoints: l.earns_points === 1, payableWithPoints: l.payable_with_points === 1, refundedQty: l.refunded_qty,
    })),
    payments,
    refunds,
  };
}
