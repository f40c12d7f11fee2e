/**
 * What a printed receipt (or an X/Z report printout) says, independent of any printer.
 * The terminal core builds a `SaleReceiptModel` from a stored sale; shifts/reports build a
 * `ReportReceiptModel`; native/ lays either out for a paper width and code page.
 *
 * Everything is already decided here: amounts are integer minor units, points are integers,
 * dates are preformatted strings in the shop's business time zone, so layout never computes
 * money or formats dates (and the same model prints identically on every terminal).
 */
import type { Minor } from '../money/money';

export type ShopHeader = Readonly<{
  name: string;
  /** Address lines, printed one per line under the name. */
  address: readonly string[];
  /** INN or another tax id, printed as "ИНН 7700000000" when present. */
  taxId?: string;
  /** Extra header lines (phone, website, "Спасибо!"). */
  lines?: readonly string[];
  /**
   * Logo as a 1-bit raster: width in dots (multiple of 8), rows packed MSB-first,
   * base64 of `width/8 * height` bytes. Printed as GS v 0; optional.
   */
  logo?: Readonly<{ width: number; height: number; base64: string }>;
}>;

export type ReceiptLine = Readonly<{
  name: string;
  /** Quantity in thousandths (1 pc = 1000, 0.25 kg = 250) so weighed goods stay integers. */
  qtyMilli: number;
  /** Unit label printed after the quantity: "шт", "кг", "л". */
  unit?: string;
  /** Price of one unit (per 1000 qtyMilli), minor units. */
  unitPrice: Minor;
  /** Line amount before discounts, minor units. */
  amount: Minor;
  /** Discount on this line (positive number), minor units; 0 when none. */
  discount: Minor;
  /** Points spent on this line (converted to money inside `discount` or `paidByPoints`). */
  pointsPaid: number;
  /** Free-text note printed under the line ("акция 2+1", "подарок"). */
  note?: string;
}>;

export type ReceiptTotals = Readonly<{
  subtotal: Minor;
  /** Sum of all discounts (positive), minor units. */
  discount: Minor;
  /** subtotal - discount. */
  total: Minor;
  /** Part of total covered by loyalty points, minor units. */
  paidByPoints: Minor;
  /** total - paidByPoints: what the customer pays in cash/card/gift. */
  toPay: Minor;
}>;

export type PaymentType = 'cash' | 'card' | 'points' | 'gift';

export type ReceiptPayment = Readonly<{
  type: PaymentType;
  /** Amount applied to the sale, minor units. */
  amount: Minor;
  /** Cash handed over (cash only), minor units. */
  tendered?: Minor;
  /** Change given back (cash only), minor units. */
  change?: Minor;
  /** e.g. gift certificate code masked, card last digits. */
  reference?: string;
}>;

export type PointsReason = Readonly<{
  /** Why these points were earned: "База 5%", "Акция: двойные баллы", "Бонус за день рождения". */
  label: string;
  points: number;
}>;

export type LoyaltyBlock = Readonly<{
  memberName: string;
  /** Already masked, e.g. "+7 *** ***-12-34". Never a full phone number on paper. */
  maskedPhone: string;
  earned: readonly PointsReason[];
  earnedTotal: number;
  redeemed: number;
  balanceAfter: number;
  /** Points earned but not yet spendable (hold period). */
  pending?: number;
  /** Points that expire soon and the date (preformatted, business time zone). */
  expiring?: Readonly<{ points: number; date: string }>;
  /** Tier name and a progress text like "до Золото: 1 250,00 ₽". */
  tier?: Readonly<{ name: string; progress?: string }>;
  /** Stamp cards: "Кофе" 7 of 10. */
  stamps?: readonly Readonly<{ label: string; have: number; need: number }>[];
}>;

export type SaleReceiptModel = Readonly<{
  kind: 'sale' | 'refund';
  shop: ShopHeader;
  /** Receipt number as printed ("42" or "T1-000042"). */
  number: string;
  /** Business date-time, preformatted ("25.11.2026 14:05"). */
  time: string;
  cashier: string;
  terminal?: string;
  lines: readonly ReceiptLine[];
  totals: ReceiptTotals;
  payments: readonly ReceiptPayment[];
  loyalty?: LoyaltyBlock;
  /** Payload for the QR code (e.g. receipt URL from the shop's URL template); omitted → no QR. */
  qr?: string;
  footer: readonly string[];
  /** ISO 4217, e.g. "RUB". */
  currency: string;
  /** Printed as a "КОПИЯ" banner on reprints. */
  copy?: boolean;
}>;

export type ReportRow = Readonly<{
  label: string;
  /** Either an amount in minor units (formatted with the currency) or a preformatted text/number. */
  value: Readonly<{ money: Minor }> | Readonly<{ count: number }> | Readonly<{ text: string }>;
}>;

export type ReportSection = Readonly<{ title?: string; rows: readonly ReportRow[] }>;

/** X (interim, shift stays open) and Z (closing) shift reports, or any titled key/value printout. */
export type ReportReceiptModel = Readonly<{
  kind: 'x_report' | 'z_report' | 'report';
  shop: ShopHeader;
  title: string;
  /** e.g. "Смена №12", "Касса T1". */
  subtitle?: string;
  time: string;
  cashier?: string;
  sections: readonly ReportSection[];
  footer: readonly string[];
  currency: string;
}>;

export type ReceiptModel = SaleReceiptModel | ReportReceiptModel;

export function isReportModel(m: ReceiptModel): m is ReportReceiptModel {
  return m.kind === 'x_report' || m.kind === 'z_report' || m.kind === 'report';
}
