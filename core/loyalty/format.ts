import { formatMoney } from '../money/money';

/**
 * formatMoney builds Intl formatters on every call (tens of microseconds); reason lines print
 * the same few amounts again and again, so the quote keeps a small memo of them.
 */
const memo = new Map<string, string>();
const LIMIT = 5_000;

export function money(amount: number, currency: string): string {
  const key = currency + amount;
  let s = memo.get(key);
  if (s === undefined) {
    if (memo.size >= LIMIT) memo.clear();
    s = formatMoney(amount, currency);
    memo.set(key, s);
  }
  return s;
}
