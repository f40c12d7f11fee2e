import { parseAmount } from '../../core/money/money';
import type { RedeemRequest } from '../../core/loyalty/quote';
import { parseItemRef } from '../../core/catalog/product';
import { fail } from '../../core/util/errors';
import type { MemberQuery } from '../members/members';
import type { CartItemRequest, PaymentRequest } from '../sales/checkout';
import type { RefundLineRequest } from '../sales/refund';

/** commander "collect" helper for repeatable options (--item A --item B). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseItems(refs: readonly string[] | undefined): CartItemRequest[] {
  if (!refs || refs.length === 0) fail('VALIDATION', 'Add at least one --item SKU_OR_BARCODE[:QTY]');
  return refs.map((r) => {
    const { code, qty } = parseItemRef(r);
    if (!code) fail('VALIDATION', `--item "${r}" is empty: give a SKU or barcode`);
    if (!Number.isSafeInteger(qty)) fail('VALIDATION', `--item "${r}": the quantity after ":" must be a whole number`);
    return { code, qty };
  });
}

export function parseRedeem(text: string | undefined): RedeemRequest {
  if (text === undefined) return { mode: 'none' };
  if (text === 'max') return { mode: 'max' };
  if (!/^\d{1,9}$/.test(text)) fail('VALIDATION', `--redeem takes a whole number of points or "max", got "${text}"`);
  return { mode: 'points', points: Number(text) };
}

/** cash | cash:TENDERED | card | mixed:CASH, amounts in roubles as printed ("500", "150.50"). */
export function parsePayment(text: string | undefined, currency: string): PaymentRequest {
  const t = (text ?? 'cash').trim();
  const [method, arg] = t.split(/:(.*)/s, 2) as [string, string | undefined];
  switch (method) {
    case 'cash':
      return arg === undefined || arg === '' ? { method: 'cash' } : { method: 'cash', tendered: parseAmount(arg, currency) };
    case 'card':
      if (arg) fail('VALIDATION', '--pay card takes no amount: the card pays what is due');
      return { method: 'card' };
    case 'mixed':
      if (!arg) fail('VALIDATION', '--pay mixed:CASH needs the cash part, e.g. mixed:200');
      return { method: 'mixed', cash: parseAmount(arg, currency) };
    default:
      fail('VALIDATION', `--pay "${t}" is not a payment: use cash, cash:TENDERED, card or mixed:CASH`);
  }
}

export function memberQuery(o: { card?: string; phone?: string; member?: string }): MemberQuery | null {
  const given = [o.card, o.phone, o.member].filter((x) => x !== undefined);
  if (given.length === 0) return null;
  if (given.length > 1) fail('VALIDATION', 'Identify the member once: --card or --phone, not both');
  if (o.card !== undefined) return { card: o.card };
  if (o.phone !== undefined) return { phone: o.phone };
  return { id: o.member! };
}

export function parseRefundLines(refs: readonly string[] | undefined): RefundLineRequest[] | undefined {
  if (!refs || refs.length === 0) return undefined;
  return refs.map((r) => {
    const m = /^(\d{1,6})(?::(-?\d{1,12}))?$/.exec(r.trim());
    if (!m) fail('VALIDATION', `--line "${r}" should look like LINE:QTY, e.g. 2:1`);
    return { lineNo: Number(m[1]), qty: m[2] === undefined ? NaN : Number(m[2]) };
  }).map((l) => (Number.isNaN(l.qty) ? fail('VALIDATION', `--line ${l.lineNo}: give the quantity too, e.g. ${l.lineNo}:1`) : l));
}
