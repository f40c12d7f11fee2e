import type { Handlers } from '../../../core/contract';
import { quoteToView } from '../../../core/contract/views';
import type { PaymentRequest } from '../../sales/checkout';
import { fail } from '../../../core/util/errors';
import { createLogger } from '../../../core/util/logger';
import { getProduct } from '../../catalog/catalog';
import { printRefund, printSale } from '../../printing/index';
import { buildRefundReceipt, buildSaleReceipt, commitSale, loadSale, quoteSale, refundSale } from '../../sales/index';
import { authorize } from '../../staff/authorize';
import { asActor } from '../../audit/audit';
import type { ApiDeps } from '../deps';
import { withChainRedemption } from '../../sync/chain-checkout';
import { currentStatus } from './app';

const log = createLogger('api.sales');

type Line = Readonly<{ productId: string; qty: number }>;

export function salesHandlers(deps: ApiDeps): Pick<Handlers, 'sale.quote' | 'sale.commit' | 'sale.recent' | 'sale.get' | 'sale.refund'> {
  const { db } = deps;
  // Checkout takes codes (SKU or barcode); the UI speaks product ids. SKUs are unique.
  const items = (lines: readonly Line[]) => lines.map((l) => ({ code: getProduct(db, l.productId).sku, qty: l.qty }));
  const member = (id: string | null) => (id ? { id } : null);

  const printLater = (what: 'sale' | 'refund', id: string) => {
    if (!deps.autoPrint) return;
    // Printing never blocks the till: the queue keeps the job until the printer takes it.
    void (what === 'sale' ? printSale(db, id) : printRefund(db, id))
      .catch((e) => log.warn('receipt printing failed; it stays queued', { id, error: String(e) }))
      .finally(() => deps.emit('status.changed', currentStatus(deps)));
  };

  return {
    'sale.quote': ({ lines, memberId, redeem }) => {
      const q = quoteSale(db, { items: items(lines), member: member(memberId), redeem });
      const view = quoteToView(q.quote);
      return {
        ...view,
        lines: view.lines.map((l) => {
          const c = q.lines.find((x) => x.lineNo === l.lineNo)!;
          return { ...l, productId: c.productId, name: c.name, qty: c.qty, unitPrice: c.unitPrice };
        }),
      };
    },
    'sale.commit': async (i) => {
      const cash = i.payments.filter((p) => p.method === 'cash').reduce((a, p) => a + p.amount, 0);
      const card = i.payments.filter((p) => p.method === 'card').reduce((a, p) => a + p.amount, 0);
      const replay = db.prepare('SELECT 1 FROM sale WHERE id = ?').get(i.idempotencyKey) !== undefined;
      const req = { items: items(i.lines), member: member(i.memberId), redeem: i.redeem, saleId: i.idempotencyKey };
      if (!replay) {
        // The screen showed a total; if it no longer holds (price or balance changed), say so
        // instead of charging a different amount than the customer agreed to.
        const q = quoteSale(db, req).quote;
        if (cash + card !== q.toPay) fail('CONFLICT', `The check changed: it is now ${(q.toPay / 100).toFixed(2)} ₽, payments add up to ${((cash + card) / 100).toFixed(2)} ₽. Check the total and take payment again`);
      }
      const tendered = i.cashTendered ?? cash;
      if (cash > 0 && tendered < cash) fail('VALIDATION', `Cash received (${(tendered / 100).toFixed(2)} ₽) is less than the cash part (${(cash / 100).toFixed(2)} ₽)`);
      const payment: PaymentRequest = card === 0 ? { method: 'cash', tendered } : cash === 0 ? { method: 'card' } : { method: 'mixed', cash };
      // Registered till: hold the points on the chain server first (offline → the offline allowance applies).
      const sale = replay ? commitSale(db, { ...req, payment }) : await withChainRedemption(db, () => { const q = quoteSale(db, req); return { memberId: q.member?.id ?? null, redeemPoints: q.quote.redeemPoints }; }, () => commitSale(db, { ...req, payment }));
      const change = cash > 0 ? tendered - cash : 0;
      const receipt = buildSaleReceipt(db, sale.saleId);
      if (!sale.replayed) printLater('sale', sale.saleId);
      return {
        saleId: sale.saleId,
        number: String(sale.receiptNo),
        change: sale.replayed ? (sale.payments.find((p) => p.method === 'cash')?.change ?? 0) : change,
        earned: sale.quote.earnPoints + (sale.quote.bonusPoints ?? 0),
        redeemed: sale.quote.redeemPoints,
        balanceAfter: sale.balanceAfter,
        receipt: withChange(receipt, change),
      };
    },
    'sale.recent': ({ limit }) => {
      const rows = db
        .prepare(
          `SELECT s.id, s.receipt_no, s.occurred_at, s.total, s.to_pay, m.name AS member_name,
             (SELECT coalesce(sum(qty), 0) FROM sale_line WHERE sale_id = s.id) AS qty,
             (SELECT coalesce(sum(qty), 0) FROM refund_line WHERE sale_id = s.id) AS refunded
           FROM sale s LEFT JOIN member m ON m.id = s.member_id ORDER BY s.receipt_no DESC LIMIT ?`,
        )
        .all(limit) as { id: string; receipt_no: number; occurred_at: string; total: number; to_pay: number; member_name: string | null; qty: number; refunded: number }[];
      return rows.map((r) => ({
        id: r.id, number: String(r.receipt_no), at: r.occurred_at, total: r.total, toPay: r.to_pay, memberName: r.member_name,
        status: r.refunded === 0 ? ('completed' as const) : r.refunded >= r.qty ? ('refunded' as const) : ('partially_refunded' as const),
      }));
    },
    'sale.get': ({ id }) => {
      const s = loadSale(db, id);
      const qty = s.lines.reduce((a, l) => a + l.qty, 0);
      const refunded = s.lines.reduce((a, l) => a + l.refundedQty, 0);
      const memberName = s.memberId ? ((db.prepare('SELECT name FROM member WHERE id = ?').pluck().get(s.memberId) as string | undefined) ?? null) : null;
      return {
        id: s.id, number: String(s.receiptNo), at: s.occurredAt, total: s.total, toPay: s.toPay, memberName,
        status: refunded === 0 ? ('completed' as const) : refunded >= qty ? ('refunded' as const) : ('partially_refunded' as const),
        lines: s.lines.map((l) => ({ lineNo: l.lineNo, name: l.name, qty: l.qty, refundableQty: l.qty - l.refundedQty, amount: l.amount })),
        receipt: buildSaleReceipt(db, s.id, { copy: true }),
      };
    },
    'sale.refund': (i) => {
      // The PIN is checked first: a wrong one changes nothing but the lockout counter.
      const actor = authorize(db, i.managerPin, 'refund');
      // asActor: the refund (and its audit entry and shift attribution) is on the authorising manager (issue 6).
      const r = asActor(db, actor.staffId, () => refundSale(db, { sale: i.saleId, ...(i.lines ? { lines: i.lines } : {}), reason: `${i.reason} (${actor.name})`, refundId: i.idempotencyKey }));
      if (!r.replayed) printLater('refund', r.refundId);
      return {
        refundId: r.refundId,
        amount: r.amount,
        pointsReversed: r.pointsClawed,
        pointsReturned: r.pointsRestored,
        balanceAfter: r.balanceAfter,
        receipt: buildRefundReceipt(db, r.refundId, { cashier: actor.name }),
      };
    },
  };
}

/** The stored receipt knows the cash line; the change for a mixed payment is ours to add. */
function withChange<R extends { payments: readonly { type: string; amount: number; tendered?: number; change?: number }[] }>(r: R, change: number): R {
  if (change <= 0) return r;
  return { ...r, payments: r.payments.map((p) => (p.type === 'cash' && !p.change ? { ...p, tendered: p.amount + change, change } : p)) };
}
