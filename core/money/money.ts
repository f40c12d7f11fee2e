import { fail } from '../util/errors';

/**
 * Money is an integer count of minor units (kopecks for RUB) plus an ISO 4217 currency.
 * Floats never appear: every multiplication by a rate goes through `mulDiv` with an
 * explicit rounding mode, and rates are integers (basis points, points per N minor units).
 */
export type Minor = number;
export type Money = Readonly<{ amount: Minor; currency: string }>;

export const DEFAULT_CURRENCY = 'RUB';
/** The largest amount we accept anywhere (10 million ₽): anything above is a typo or garbage. */
export const MAX_AMOUNT_MINOR = 1_000_000_000;

export type Rounding = 'down' | 'up' | 'half_up';

export function isMinor(n: unknown): n is Minor {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

export function assertMinor(n: unknown, what = 'amount'): asserts n is Minor {
  if (!isMinor(n)) fail('VALIDATION', `${what} must be a whole number of minor units, got ${String(n)}`);
}

/** a * num / den rounded as asked, exact for all inputs within MAX_SAFE_INTEGER (BigInt inside). */
export function mulDiv(a: number, num: number, den: number, rounding: Rounding = 'down'): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den === 0) {
    fail('VALIDATION', `mulDiv needs integers and a non-zero divisor (${a}*${num}/${den})`);
  }
  const p = BigInt(a) * BigInt(num);
  const d = BigInt(den);
  const neg = (p < 0n) !== (d < 0n) && p !== 0n;
  const ap = p < 0n ? -p : p;
  const ad = d < 0n ? -d : d;
  let q = ap / ad;
  const r = ap % ad;
  if (r !== 0n) {
    if (rounding === 'up' && !neg) q += 1n;
    else if (rounding === 'down' && neg) q += 1n; // floor for negatives
    else if (rounding === 'half_up' && r * 2n >= ad) q += 1n;
  }
  return Number(neg ? -q : q);
}

/** Split `total` across `weights` proportionally, largest remainder first; the parts sum to total exactly. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const base = weights.map((w) => mulDiv(total, w, sum, 'down'));
  let rest = total - base.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, rem: Number((BigInt(total) * BigInt(w)) % BigInt(sum)) }))
    .sort((x, y) => y.rem - x.rem || x.i - y.i);
  for (let k = 0; rest > 0 && k < order.length; k++, rest--) base[order[k]!.i]! += 1;
  return base;
}

const MINOR_DIGITS: Readonly<Record<string, number>> = { RUB: 2, USD: 2, EUR: 2, KZT: 2, BYN: 2, JPY: 0 };
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** Parse a human amount ("150", "150.5", "150,50", "1 500") into minor units; refuses garbage. */
export function parseAmount(text: string, currency = DEFAULT_CURRENCY): Minor {
  const digits = minorDigits(currency);
  const clean = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const m = /^(\d{1,10})(?:\.(\d+))?$/.exec(clean);
  if (!m) fail('VALIDATION', `"${text}" is not an amount. Use digits, e.g. 150 or 150.50`);
  const frac = m[2] ?? '';
  if (frac.length > digits) fail('VALIDATION', `"${text}" has more than ${digits} digits after the point`);
  const value = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  if (value > MAX_AMOUNT_MINOR) fail('VALIDATION', `${text} is more than the largest amount allowed`);
  return value;
}

/**
 * Intl formatters are costly to build (tens of microseconds each) and formatMoney runs inside the
 * quote for every reason line, so they are built once per locale and currency.
 */
type MoneyFormat = Readonly<{ parts: readonly Intl.NumberFormatPart[]; partsWithMinor: readonly Intl.NumberFormatPart[]; int: Intl.NumberFormat; decimal: string }>;
const formats = new Map<string, MoneyFormat>();
function moneyFormat(locale: string, currency: string, digits: number): MoneyFormat {
  const key = `${locale}|${currency}`;
  let f = formats.get(key);
  if (!f) {
    const withDigits = (min: number) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: min, maximumFractionDigits: digits }).formatToParts(0);
    f = {
      parts: withDigits(0),
      partsWithMinor: withDigits(digits),
      int: new Intl.NumberFormat(locale, { useGrouping: true, maximumFractionDigits: 0 }),
      decimal: new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.',
    };
    formats.set(key, f);
  }
  return f;
}

/** Locale-aware display; goes through Intl with the integer split so no float rounding shows. */
export function formatMoney(amount: Minor, currency = DEFAULT_CURRENCY, locale = 'ru-RU'): string {
  const digits = minorDigits(currency);
  const neg = amount < 0;
  const abs = Math.abs(amount);
  const major = Math.trunc(abs / 10 ** digits);
  const minor = abs % 10 ** digits;
  const f = moneyFormat(locale, currency, digits);
  const intFmt = f.int.format(major);
  const num = minor === 0 ? intFmt : `${intFmt}${f.decimal}${String(minor).padStart(digits, '0')}`;
  let out = '';
  for (const p of minor === 0 ? f.parts : f.partsWithMinor) {
    if (p.type === 'integer') out += num;
    else if (p.type === 'decimal' || p.type === 'fraction' || p.type === 'group') continue;
    else if (p.type === 'minusSign') continue;
    else out += p.value;
  }
  return (neg ? '-' : '') + out.trim();
}
