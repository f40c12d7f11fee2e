import type { Db } from '../db/types';
import { fail } from '../../core/util/errors';

/**
 * What happened in one shift, summed from the rows the triggers of migration 061 attributed to
 * it: sales (with payments), refunds and voids, cash movements, and ledger events. The same
 * function gives the X report (shift still open) and the Z report (at close), so both always
 * agree with the underlying facts. Every number is an integer (minor units or points).
 */
export type ByMethod = Readonly<{ cash: number; card: number; points: number; gift: number }>;

export type ShiftLoyalty = Readonly<{
  /** Points earned on sales (Σ earn). */
  pointsEarned: number;
  /** Bonus points given (welcome, birthday, referral). */
  pointsBonus: number;
  /** pointsEarned + pointsBonus, valued at the program's point value. */
  pointsIssued: number;
  pointsIssuedValue: number;
  /** Points spent on sales and the money they covered. */
  pointsRedeemed: number;
  pointsRedeemedValue: number;
  /** Refund clawbacks: earned points taken back, redeemed points given back. */
  pointsClawedBack: number;
  pointsRestored: number;
  pointsExpired: number;
  adjustments: Readonly<{ count: number; added: number; removed: number }>;
  corrections: number;
  stampsGiven: number;
  freeItems: number;
  newMembers: number;
  memberSales: number;
}>;

export type CashierLine = Readonly<{
  staffId: string | null;
  name: string;
  sales: number;
  salesTotal: number;
  refunds: number;
  refundsAmount: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsRedeemedValue: number;
  adjustments: number;
  newMembers: number;
}>;

export type ShiftReport = Readonly<{
  shiftId: string;
  shiftNumber: number;
  status: 'open' | 'closed';
  openedAt: string;
  openedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** When the report was produced (X) or the shift closed (Z). */
  at: string;
  currency: string;
  sales: Readonly<{
    count: number;
    subtotal: number;
    discount: number;
    total: number;
    paidByPoints: number;
    toPay: number;
    byMethod: ByMethod;
  }>;
  refunds: Readonly<{ count: number; amount: number; cash: number; card: number }>;
  voids: Readonly<{ count: number; amount: number; cash: number; card: number }>;
  /** Net takings: sales money (to pay) minus refunds and voids paid back in money. */
  netTakings: number;
  cash: Readonly<{
    openingFloat: number;
    sales: number;
    refunds: number;
    paidIn: number;
    paidOut: number;
    expected: number;
    counted: number | null;
    overShort: number | null;
  }>;
  loyalty: ShiftLoyalty;
  perCashier: readonly CashierLine[];
}>;

type ShiftRow = {
  id: string;
  number: number;
  status: 'open' | 'closed';
  opened_at: string;
  opened_by: string;
  opening_float: number;
  closed_at: string | null;
  closed_by: string | null;
  counted_cash: number | null;
};

/** Negate without producing -0 (which would print as "-0" and fail equality). */
const neg = (x: number): number => 0 - x;
const n = (v: unknown): number => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));

/** Cash in the drawer by now: float + cash taken − cash paid back + paid in − paid out. */
export function expectedCash(db: Db, shiftId: string): number {
  const r = db
    .prepare(
      `SELECT
         (SELECT opening_float FROM shift WHERE id = @id) AS float,
         (SELECT COALESCE(SUM(p.amount), 0) FROM payment p JOIN shift_sale ss ON ss.sale_id = p.sale_id WHERE ss.shift_id = @id AND p.method = 'cash') AS sales,
         (SELECT COALESCE(SUM(r.cash_amount), 0) FROM refund r JOIN shift_refund sr ON sr.refund_id = r.id WHERE sr.shift_id = @id) AS refunds,
         (SELECT COALESCE(SUM(CASE kind WHEN 'in' THEN amount ELSE -amount END), 0) FROM cash_movement WHERE shift_id = @id) AS moved`,
    )
    .get({ id: shiftId }) as { float: number | null; sales: number; refunds: number; moved: number };
  if (r.float === null) fail('NOT_FOUND', `No shift ${shiftId}`);
  return r.float + r.sales - r.refunds + r.moved;
}

function currencyOf(db: Db): string {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'shop.currency'").get() as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as string) : 'RUB';
}

/** SQL for an event's point value in minor units, from the program version it was recorded under (100 = 1 ₽ by default). */
const POINT_VALUE = `COALESCE((SELECT json_extract(p.body, '$.redeem.pointValue') FROM program p WHERE p.version = e.program_version),
  (SELECT json_extract(p.body, '$.redeem.pointValue') FROM program p ORDER BY p.version DESC LIMIT 1), 100)`;

export function computeShiftReport(db: Db, shiftId: string, at: string): ShiftReport {
  const shift = db.prepare('SELECT * FROM shift WHERE id = ?').get(shiftId) as ShiftRow | undefined;
  if (!shift) fail('NOT_FOUND', `No shift ${shiftId}`);
  const p = { id: shiftId };

  const s = db
    .prepare(
      `SELECT count(*) AS count, SUM(subtotal) AS subtotal, SUM(discount) AS discount, SUM(total) AS total,
              SUM(redeem_value) AS paidByPoints, SUM(to_pay) AS toPay, SUM(member_id IS NOT NULL) AS memberSales
       FROM sale s JOIN shift_sale ss ON ss.sale_id = s.id WHERE ss.shift_id = @id`,
    )
    .get(p) as Record<string, number | null>;
  const methods = db
    .prepare(
      `SELECT p.method AS method, SUM(p.amount) AS amount FROM payment p JOIN shift_sale ss ON ss.sale_id = p.sale_id
       WHERE ss.shift_id = @id GROUP BY p.method`,
    )
    .all(p) as Array<{ method: string; amount: number }>;
  const byMethod = { cash: 0, card: 0, points: 0, gift: 0 };
  for (const m of methods) if (m.method === 'cash' || m.method === 'card' || m.method === 'points' || m.method === 'gift') byMethod[m.method] += m.amount;

  const refundsOf = (kind: 'refund' | 'void') =>
    db
      .prepare(
        `SELECT count(*) AS count, SUM(r.amount) AS amount, SUM(r.cash_amount) AS cash, SUM(r.card_amount) AS card
         FROM refund r JOIN shift_refund sr ON sr.refund_id = r.id WHERE sr.shift_id = @id AND r.kind = @kind`,
      )
      .get({ ...p, kind }) as Record<string, number | null>;
  const rf = refundsOf('refund');
  const vd = refundsOf('void');

  const mv = db
    .prepare(
      `SELECT SUM(CASE kind WHEN 'in' THEN amount END) AS paidIn, SUM(CASE kind WHEN 'out' THEN amount END) AS paidOut
       FROM cash_movement WHERE shift_id = @id`,
    )
    .get(p) as Record<string, number | null>;

  const ev = db
    .prepare(
      `SELECT e.kind AS kind, count(*) AS count, SUM(e.delta) AS delta,
              SUM(CASE WHEN e.delta > 0 THEN e.delta ELSE 0 END) AS plus,
              SUM(CASE WHEN e.delta < 0 THEN -e.delta ELSE 0 END) AS minus,
              SUM(e.delta * ${POINT_VALUE}) AS value
       FROM ledger_event e JOIN shift_event se ON se.event_seq = e.seq WHERE se.shift_id = @id GROUP BY e.kind`,
    )
    .all(p) as Array<{ kind: string; count: number; delta: number; plus: number; minus: number; value: number }>;
  const k = (kind: string) => ev.find((e) => e.kind === kind) ?? { kind, count: 0, delta: 0, plus: 0, minus: 0, value: 0 };

  const stamps = stampTotals(db, shiftId);

  const earned = k('earn').delta;
  const bonus = k('bonus').delta;
  const loyalty: ShiftLoyalty = {
    pointsEarned: earned,
    pointsBonus: bonus,
    pointsIssued: earned + bonus,
    pointsIssuedValue: k('earn').value + k('bonus').value,
    pointsRedeemed: neg(k('redeem').delta),
    pointsRedeemedValue: n(s.paidByPoints),
    pointsClawedBack: neg(k('earn_reversal').delta),
    pointsRestored: k('redeem_reversal').delta,
    pointsExpired: neg(k('expire').delta),
    adjustments: { count: k('adjust').count, added: k('adjust').plus, removed: k('adjust').minus },
    corrections: k('correction').delta,
    stampsGiven: stamps.stamps,
    freeItems: stamps.freeItems,
    newMembers: k('member_create').count,
    memberSales: n(s.memberSales),
  };

  const sales = {
    count: n(s.count),
    subtotal: n(s.subtotal),
    discount: n(s.discount),
    total: n(s.total),
    paidByPoints: n(s.paidByPoints),
    toPay: n(s.toPay),
    byMethod,
  };
  const refunds = { count: n(rf.count), amount: n(rf.amount), cash: n(rf.cash), card: n(rf.card) };
  const voids = { count: n(vd.count), amount: n(vd.amount), cash: n(vd.cash), card: n(vd.card) };
  const cashSales = byMethod.cash;
  const cashRefunds = refunds.cash + voids.cash;
  const paidIn = n(mv.paidIn);
  const paidOut = n(mv.paidOut);
  const expected = shift.opening_float + cashSales - cashRefunds + paidIn - paidOut;

  return {
    shiftId,
    shiftNumber: shift.number,
    status: shift.status,
    openedAt: shift.opened_at,
    openedBy: shift.opened_by,
    closedAt: shift.closed_at,
    closedBy: shift.closed_by,
    at,
    currency: currencyOf(db),
    sales,
    refunds,
    voids,
    netTakings: sales.toPay - refunds.cash - refunds.card - voids.cash - voids.card,
    cash: {
      openingFloat: shift.opening_float,
      sales: cashSales,
      refunds: cashRefunds,
      paidIn,
      paidOut,
      expected,
      counted: shift.counted_cash,
      overShort: shift.counted_cash === null ? null : shift.counted_cash - expected,
    },
    loyalty,
    perCashier: perCashier(db, shiftId),
  };
}

/**
 * Stamps given and free items from the per-sale stamp record (migration 064, written by the
 * loyalty rules at checkout). A reward counts as a free item when its stamp card, in the program
 * version the sale was made under, gives a free item (other rewards are discounts, already counted).
 */
function stampTotals(db: Db, shiftId: string): { stamps: number; freeItems: number } {
  const r = db
    .prepare(
      `SELECT COALESCE(SUM(st.added), 0) AS stamps,
              COALESCE(SUM(CASE WHEN (SELECT json_extract(c.value, '$.reward.kind') FROM program p, json_each(p.body, '$.stamps') c
                                      WHERE p.version = s.program_version AND json_extract(c.value, '$.id') = st.card_id) = 'free_item'
                                THEN st.rewards ELSE 0 END), 0) AS freeItems
       FROM sale_stamp st JOIN sale s ON s.id = st.sale_id JOIN shift_sale ss ON ss.sale_id = s.id
       WHERE ss.shift_id = ?`,
    )
    .get(shiftId) as { stamps: number; freeItems: number };
  return r;
}

function perCashier(db: Db, shiftId: string): CashierLine[] {
  const rows = db
    .prepare(
      `WITH who AS (
         SELECT staff_id FROM shift_sale WHERE shift_id = @id
         UNION SELECT staff_id FROM shift_refund WHERE shift_id = @id
         UNION SELECT staff_id FROM shift_event WHERE shift_id = @id)
       SELECT w.staff_id AS staffId, COALESCE(st.name, '') AS name,
         (SELECT count(*) FROM shift_sale x WHERE x.shift_id = @id AND x.staff_id IS w.staff_id) AS sales,
         (SELECT COALESCE(SUM(s.total), 0) FROM sale s JOIN shift_sale x ON x.sale_id = s.id WHERE x.shift_id = @id AND x.staff_id IS w.staff_id) AS salesTotal,
         (SELECT count(*) FROM shift_refund x WHERE x.shift_id = @id AND x.staff_id IS w.staff_id) AS refunds,
         (SELECT COALESCE(SUM(r.amount), 0) FROM refund r JOIN shift_refund x ON x.refund_id = r.id WHERE x.shift_id = @id AND x.staff_id IS w.staff_id) AS refundsAmount,
         (SELECT COALESCE(SUM(e.delta), 0) FROM ledger_event e JOIN shift_event x ON x.event_seq = e.seq WHERE x.shift_id = @id AND x.staff_id IS w.staff_id AND e.kind IN ('earn', 'bonus')) AS pointsIssued,
         (SELECT COALESCE(-SUM(e.delta), 0) FROM ledger_event e JOIN shift_event x ON x.event_seq = e.seq WHERE x.shift_id = @id AND x.staff_id IS w.staff_id AND e.kind = 'redeem') AS pointsRedeemed,
         (SELECT COALESCE(SUM(s.redeem_value), 0) FROM sale s JOIN shift_sale x ON x.sale_id = s.id WHERE x.shift_id = @id AND x.staff_id IS w.staff_id) AS pointsRedeemedValue,
         (SELECT count(*) FROM ledger_event e JOIN shift_event x ON x.event_seq = e.seq WHERE x.shift_id = @id AND x.staff_id IS w.staff_id AND e.kind = 'adjust') AS adjustments,
         (SELECT count(*) FROM ledger_event e JOIN shift_event x ON x.event_seq = e.seq WHERE x.shift_id = @id AND x.staff_id IS w.staff_id AND e.kind = 'member_create') AS newMembers
       FROM who w LEFT JOIN staff st ON st.id = w.staff_id
       ORDER BY st.name IS NULL, st.name, w.staff_id`,
    )
    .all({ id: shiftId }) as CashierLine[];
  return rows.map((r) => ({ ...r, name: r.name || (r.staffId ? r.staffId : 'Not signed in') }));
}
