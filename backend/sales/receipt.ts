import type { LoyaltyBlock, ReceiptLine, ReceiptPayment, SaleReceiptModel, ShopHeader } from '../../core/receipt/model';
import { maskPhone } from '../../core/members/phone';
import { fail } from '../../core/util/errors';
import { getSetting, readSettings } from '../db/settings';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { loadSale, type SqlRow } from './read';
import { formatReceiptTime } from './time';
import { receiptLoyaltyExtras } from '../loyalty/receipt';

export type ReceiptOptions = Readonly<{ cashier?: string; copy?: boolean }>;

function shopHeader(db: Db): ShopHeader {
  const s = readSettings(db);
  const taxId = getSetting<string>(db, 'shop.taxId');
  return { name: s.shopName, address: getSetting<string[]>(db, 'shop.address'), ...(taxId ? { taxId } : {}) };
}

function tableExists(db: Db, name: string): boolean {
  return Boolean(stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));
}

/** Who rang the sale up, when the shifts area recorded it (shift_sale → staff); '' otherwise. */
function cashierOf(db: Db, saleId: string): string {
  if (!tableExists(db, 'shift_sale') || !tableExists(db, 'staff')) return '';
  try {
    const row = stmt(db, 'SELECT st.name AS name FROM shift_sale ss JOIN staff st ON st.id = ss.staff_id WHERE ss.sale_id = ?').get(saleId) as { name?: string } | undefined;
    return row?.name ?? '';
  } catch {
    return '';
  }
}

function loyaltyBlock(db: Db, memberId: string | null, earned: LoyaltyBlock['earned'], earnedTotal: number, redeemed: number, balanceAfterSeq: number | null): LoyaltyBlock | undefined {
  if (!memberId) return undefined;
  const m = stmt(db, 'SELECT name, phone FROM member WHERE id = ?').get(memberId) as { name: string; phone: string | null } | undefined;
  // The balance as it stood right after this document's events, so a reprint shows the same figure.
  const balanceAfter = balanceAfterSeq === null
    ? 0
    : ((stmt(db, 'SELECT coalesce(sum(delta), 0) FROM ledger_event WHERE member_id = ? AND seq <= ?').pluck().get(memberId, balanceAfterSeq) as number) ?? 0);
  return { memberName: m?.name ?? '', maskedPhone: m?.phone ? maskPhone(m.phone) : '', earned, earnedTotal, redeemed, balanceAfter };
}

/** The receipt for a stored sale: everything decided here, in minor units and preformatted time. */
export function buildSaleReceipt(db: Db, saleRef: string | number, opts: ReceiptOptions = {}): SaleReceiptModel {
  const sale = loadSale(db, saleRef);
  const s = readSettings(db);
  const lines: ReceiptLine[] = sale.lines.map((l) => ({
    name: l.name, qtyMilli: l.qty * 1000, unit: 'шт', unitPrice: l.unitPrice, amount: l.amount, discount: l.discount, pointsPaid: l.pointsRedeemed,
  }));
  const payments: ReceiptPayment[] = sale.payments.map((p) => ({
    type: p.method, amount: p.amount, ...(p.tendered !== null && p.method === 'cash' ? { tendered: p.tendered, change: p.change ?? 0 } : {}),
  }));
  const events = stmt(db, 'SELECT seq, kind, delta, payload FROM ledger_event WHERE sale_id = ? AND kind IN (\'sale\', \'earn\', \'redeem\', \'bonus\') ORDER BY seq').all(sale.id) as SqlRow[];
  const earnedReasons = sale.effects.filter((e) => (e.kind === 'earn' || e.kind === 'bonus') && e.points > 0).map((e) => ({ label: e.label, points: e.points }));
  const earnedTotal = events.filter((e) => e.kind === 'earn' || e.kind === 'bonus').reduce((a, e) => a + (e.delta as number), 0);
  const lastSeq = events.length ? (events[events.length - 1]!.seq as number) : null;
  const block = loyaltyBlock(db, sale.memberId, earnedReasons, earnedTotal, sale.redeemPoints, lastSeq);
  // Pending/expiring points, tier progress and stamps as the rules explained them (loyalty rules, engineer B).
  const loyalty = block ? { ...block, ...receiptLoyaltyExtras(sale.effects) } : undefined;
  return {
    kind: 'sale',
    shop: shopHeader(db),
    number: String(sale.receiptNo),
    time: formatReceiptTime(sale.occurredAt, s.timezone),
    cashier: opts.cashier ?? cashierOf(db, sale.id),
    terminal: sale.terminalId.slice(-6),
    lines,
    totals: { subtotal: sale.subtotal, discount: sale.discount, total: sale.total, paidByPoints: sale.redeemValue, toPay: sale.toPay },
    payments,
    ...(loyalty ? { loyalty } : {}),
    footer: getSetting<string[]>(db, 'receipt.footer'),
    currency: sale.currency,
    ...(opts.copy ? { copy: true } : {}),
  };
}

/** The receipt for a refund or void: the returned lines and the money and points given back. */
export function buildRefundReceipt(db: Db, refundId: string, opts: ReceiptOptions = {}): SaleReceiptModel {
  const r = stmt(db, 'SELECT * FROM refund WHERE id = ?').get(refundId) as SqlRow | undefined;
  if (!r) fail('NOT_FOUND', `No refund ${refundId}`);
  const sale = loadSale(db, r.sale_id as string);
  const s = readSettings(db);
  const rl = stmt(db, 'SELECT line_no, qty, amount, points_restored FROM refund_line WHERE refund_id = ? ORDER BY line_no').all(refundId) as SqlRow[];
  const lines: ReceiptLine[] = rl.map((x) => {
    const l = sale.lines.find((y) => y.lineNo === x.line_no)!;
    return { name: l.name, qtyMilli: (x.qty as number) * 1000, unit: 'шт', unitPrice: l.unitPrice, amount: x.amount as number, discount: 0, pointsPaid: x.points_restored as number };
  });
  const amount = r.amount as number;
  const payments: ReceiptPayment[] = [];
  if ((r.cash_amount as number) > 0) payments.push({ type: 'cash', amount: r.cash_amount as number });
  if ((r.card_amount as number) > 0) payments.push({ type: 'card', amount: r.card_amount as number });
  const gift = amount - (r.cash_amount as number) - (r.card_amount as number);
  if (gift > 0) payments.push({ type: 'gift', amount: gift });
  const events = stmt(db, "SELECT seq FROM ledger_event WHERE sale_id = ? AND kind IN ('refund', 'earn_reversal', 'redeem_reversal') AND json_extract(payload, '$.refundId') = ? ORDER BY seq").pluck().all(sale.id, refundId) as number[];
  const clawed = r.points_clawed as number;
  const loyalty = loyaltyBlock(db, sale.memberId, clawed > 0 ? [{ label: 'Списаны баллы за возвращённые товары', points: -clawed }] : [], -clawed, -(r.points_restored as number), events.length ? events[events.length - 1]! : null);
  return {
    kind: 'refund',
    shop: shopHeader(db),
    number: `${sale.receiptNo}-В${r.refund_no as number}`,
    time: formatReceiptTime(r.occurred_at as string, s.timezone),
    cashier: opts.cashier ?? '',
    terminal: sale.terminalId.slice(-6),
    lines,
    totals: { subtotal: amount, discount: 0, total: amount, paidByPoints: 0, toPay: amount },
    payments,
    ...(loyalty ? { loyalty } : {}),
    footer: [r.kind === 'void' ? 'Чек аннулирован' : 'Возврат по чеку №' + sale.receiptNo],
    currency: sale.currency,
    ...(opts.copy ? { copy: true } : {}),
  };
}
