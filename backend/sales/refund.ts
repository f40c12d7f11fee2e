import { MAX_QTY } from '../../core/loyalty/quote';
import { mulDiv } from '../../core/money/money';
import { fail } from '../../core/util/errors';
import { isUuid, uuidv7 } from '../../core/util/ids';
import type { LedgerEvent } from '../../core/ledger/event';
import { appendEvents, type NewEvent } from '../db/ledger';
import { readSettings } from '../db/settings';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { loadSale, type SqlRow, type StoredSale } from './read';
import { businessTime } from './time';
import { recordRefundEffects } from '../loyalty/refund';
import { requireOpenShift } from '../shifts/shift';

export type RefundLineRequest = Readonly<{ lineNo: number; qty: number }>;

export type RefundRequest = Readonly<{
  /** Sale id or receipt number. */
  sale: string | number;
  /** Lines and quantities to return; omitted = everything not yet refunded. */
  lines?: readonly RefundLineRequest[];
  /** A void cancels the whole sale (same arithmetic, recorded as such for the shift report). */
  kind?: 'refund' | 'void';
  reason?: string;
  at?: string;
  /** Client-chosen id (UUID) making a retried refund idempotent. */
  refundId?: string;
}>;

export type RefundResult = Readonly<{
  refundId: string;
  refundNo: number;
  saleId: string;
  kind: 'refund' | 'void';
  at: string;
  amount: number;
  cash: number;
  card: number;
  gift: number;
  pointsClawed: number;
  pointsRestored: number;
  lines: readonly Readonly<{ lineNo: number; qty: number; amount: number; pointsClawed: number; pointsRestored: number }>[];
  events: readonly LedgerEvent[];
  balanceAfter: number | null;
  /** Points the member owes after this refund (0 when the balance stayed ≥ 0). */
  debt: number;
  replayed: boolean;
}>;

/**
 * The share of `total` belonging to units k0+1..k1 out of n. Computed as a difference of
 * cumulative floors so any sequence of partial refunds adds up to `total` exactly at the end.
 */
export function slice(total: number, k0: number, k1: number, n: number): number {
  return mulDiv(total, k1, n, 'down') - mulDiv(total, k0, n, 'down');
}

function planLines(sale: StoredSale, req: RefundRequest): RefundLineRequest[] {
  if (req.kind === 'void' && req.lines && req.lines.length > 0) fail('VALIDATION', 'A void cancels the whole sale: do not list lines (use a refund for part of a sale)');
  if (!req.lines || req.lines.length === 0) {
    const rest = sale.lines.filter((l) => l.qty > l.refundedQty).map((l) => ({ lineNo: l.lineNo, qty: l.qty - l.refundedQty }));
    if (rest.length === 0) fail('CONFLICT', `Sale ${sale.receiptNo} has already been refunded in full`);
    if (req.kind === 'void' && rest.length !== sale.lines.length) fail('CONFLICT', `Sale ${sale.receiptNo} was partly refunded already: refund the remaining lines instead of voiding`);
    return rest;
  }
  const seen = new Set<number>();
  for (const r of req.lines) {
    if (!Number.isSafeInteger(r.lineNo) || r.lineNo <= 0) fail('VALIDATION', `Line number must be a whole number above zero, got ${String(r.lineNo)}`);
    if (seen.has(r.lineNo)) fail('VALIDATION', `Line ${r.lineNo} is listed twice: give its total quantity once`);
    seen.add(r.lineNo);
    if (!Number.isSafeInteger(r.qty) || r.qty <= 0) fail('VALIDATION', `Quantity to refund on line ${r.lineNo} must be a whole number above zero, got ${String(r.qty)}`);
    if (r.qty > MAX_QTY) fail('VALIDATION', `Quantity ${r.qty} on line ${r.lineNo} is absurd (at most ${MAX_QTY})`);
    const line = sale.lines.find((l) => l.lineNo === r.lineNo);
    if (!line) fail('NOT_FOUND', `Sale ${sale.receiptNo} has no line ${r.lineNo} (it has ${sale.lines.length})`);
    const left = line.qty - line.refundedQty;
    if (left === 0) fail('CONFLICT', `Line ${r.lineNo} (${line.name}) was already refunded in full`);
    if (r.qty > left) fail('LIMIT_EXCEEDED', `Only ${left} of ${line.qty} × ${line.name} on line ${r.lineNo} can still be refunded; asked for ${r.qty}`);
  }
  return [...req.lines].sort((a, b) => a.lineNo - b.lineNo);
}

/**
 * Refund or void a sale, wholly or by line and quantity. Money back is the part each unit cost
 * in money; earned points are clawed back and redeemed points restored in the same proportion.
 * Nothing is edited: a `refund` row, its lines and reversing ledger events referencing the
 * originals are appended in one transaction. When the member already spent the points being
 * clawed back, the setting `loyalty.refundDebt` decides: allow a negative balance, or refuse.
 */
export function refundSale(db: Db, req: RefundRequest): RefundResult {
  if (req.refundId !== undefined && !isUuid(req.refundId)) fail('VALIDATION', 'refundId must be a UUID');
  return db.transaction((): RefundResult => {
    if (req.refundId) {
      const prior = stmt(db, 'SELECT id FROM refund WHERE id = ?').pluck().get(req.refundId) as string | undefined;
      if (prior) return { ...loadRefundResult(db, prior), replayed: true };
    }
    // Money goes back out of the drawer: only inside an open cash shift (shifts area, issue 6).
    requireOpenShift(db);
    const settings = readSettings(db);
    const at = businessTime(req.at, settings.timezone);
    const kind = req.kind ?? 'refund';
    const sale = loadSale(db, req.sale);
    const plan = planLines(sale, req);
    if (new Date(at).getTime() < new Date(sale.occurredAt).getTime()) fail('VALIDATION', `A refund cannot be dated before its sale (${sale.occurredAt})`);

    const lines = plan.map((r) => {
      const l = sale.lines.find((x) => x.lineNo === r.lineNo)!;
      const k0 = l.refundedQty;
      const k1 = l.refundedQty + r.qty;
      return {
        lineNo: r.lineNo,
        qty: r.qty,
        amount: slice(l.amount - l.discount - l.pointsPaid, k0, k1, l.qty),
        pointsClawed: slice(l.earned, k0, k1, l.qty),
        pointsRestored: slice(l.pointsRedeemed, k0, k1, l.qty),
      };
    });
    const amount = lines.reduce((a, l) => a + l.amount, 0);
    const pointsClawed = lines.reduce((a, l) => a + l.pointsClawed, 0);
    const pointsRestored = lines.reduce((a, l) => a + l.pointsRestored, 0);

    // Split money back over how the sale was paid, again by cumulative slices of the money part.
    const paid = (m: string) => sale.payments.filter((p) => p.method === m).reduce((a, p) => a + p.amount, 0);
    const cashPaid = paid('cash'), cardPaid = paid('card'), giftPaid = paid('gift');
    const moneyTotal = cashPaid + cardPaid + giftPaid;
    const before = sale.refunds.reduce((a, r) => a + r.amount, 0);
    const cash = moneyTotal === 0 ? 0 : slice(cashPaid, before, before + amount, moneyTotal);
    const card = moneyTotal === 0 ? 0 : slice(cardPaid, before, before + amount, moneyTotal);
    const gift = amount - cash - card;

    const memberId = sale.memberId;
    const balanceBefore = memberId ? ((stmt(db, 'SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(memberId) as number | undefined) ?? 0) : 0;
    const balanceAfter = balanceBefore + pointsRestored - pointsClawed;
    if (memberId && balanceAfter < 0 && pointsClawed > 0 && settings.refundDebt === 'refuse') {
      fail(
        'INSUFFICIENT_POINTS',
        `The member already spent the points earned on this sale: the refund would leave ${balanceAfter} points. ` +
          `Refunds that create a points debt are switched off (setting loyalty.refundDebt = refuse); ask a manager.`,
        { balance: balanceBefore, clawback: pointsClawed, restore: pointsRestored },
      );
    }

    const refundId = req.refundId ?? uuidv7();
    const refundNo = ((stmt(db, 'SELECT max(refund_no) FROM refund').pluck().get() as number | null) ?? 0) + 1;
    stmt(db,
      `INSERT INTO refund (id, refund_no, sale_id, kind, occurred_at, amount, cash_amount, card_amount, points_clawed, points_restored, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(refundId, refundNo, sale.id, kind, at, amount, cash, card, pointsClawed, pointsRestored, String(req.reason ?? '').slice(0, 500), new Date().toISOString());
    const insLine = stmt(db, 'INSERT INTO refund_line (refund_id, sale_id, line_no, qty, amount, points_clawed, points_restored) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const l of lines) insLine.run(refundId, sale.id, l.lineNo, l.qty, l.amount, l.pointsClawed, l.pointsRestored);

    const original = (k: string) => stmt(db, 'SELECT id FROM ledger_event WHERE sale_id = ? AND kind = ? ORDER BY seq LIMIT 1').pluck().get(sale.id, k) as string | undefined;
    const common = { memberId, saleId: sale.id, occurredAt: at, programVersion: sale.programVersion };
    const evs: NewEvent[] = [
      { ...common, kind: 'refund', delta: 0, refEventId: original('sale') ?? null, payload: { refundId, refundNo, kind, amount, cash, card, gift, lines: lines.map((l) => ({ lineNo: l.lineNo, qty: l.qty, amount: l.amount })) } },
    ];
    if (memberId && pointsClawed > 0) evs.push({ ...common, kind: 'earn_reversal', delta: -pointsClawed, refEventId: original('earn') ?? null, payload: { refundId, reason: `Возврат: списание начисленных баллов` } });
    if (memberId && pointsRestored > 0) evs.push({ ...common, kind: 'redeem_reversal', delta: pointsRestored, refEventId: original('redeem') ?? null, payload: { refundId, reason: `Возврат: баллы, оплатившие покупку, возвращены` } });
    const events = appendEvents(db, evs);
    // Stamps, gift certificates paid or returned (loyalty rules, engineer B).
    recordRefundEffects(db, { saleId: sale.id, refundId, at, lines: lines.map((l) => ({ lineNo: l.lineNo, qty: l.qty })), gift });
    return {
      refundId, refundNo, saleId: sale.id, kind, at, amount, cash, card, gift, pointsClawed, pointsRestored, lines, events,
      balanceAfter: memberId ? balanceAfter : null, debt: memberId && balanceAfter < 0 ? -balanceAfter : 0, replayed: false,
    };
  }).immediate();
}

function loadRefundResult(db: Db, refundId: string): RefundResult {
  const r = stmt(db, 'SELECT * FROM refund WHERE id = ?').get(refundId) as SqlRow;
  const lines = (stmt(db, 'SELECT line_no, qty, amount, points_clawed, points_restored FROM refund_line WHERE refund_id = ? ORDER BY line_no').all(refundId) as Record<string, number>[]).map((l) => ({
    lineNo: l.line_no!, qty: l.qty!, amount: l.amount!, pointsClawed: l.points_clawed!, pointsRestored: l.points_restored!,
  }));
  const sale = stmt(db, 'SELECT member_id FROM sale WHERE id = ?').get(r.sale_id) as { member_id: string | null };
  const balance = sale.member_id ? ((stmt(db, 'SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(sale.member_id) as number | undefined) ?? 0) : null;
  return {
    refundId, refundNo: r.refund_no, saleId: r.sale_id, kind: r.kind as 'refund' | 'void', at: r.occurred_at, amount: r.amount, cash: r.cash_amount, card: r.card_amount,
    gift: r.amount - r.cash_amount - r.card_amount, pointsClawed: r.points_clawed, pointsRestored: r.points_restored, lines, events: [],
    balanceAfter: balance, debt: balance !== null && balance < 0 ? -balance : 0, replayed: true,
  };
}
