import { fail } from '../util/errors';

/**
 * Loyalty card codes come from three carriers:
 * - EAN-13 printed cards: 13 digits with a valid check digit;
 * - Code 128 cards: 4–48 printable ASCII characters (digit strings that are not 13 long too);
 * - QR codes from the app or a receipt: the payload `KOPILKA:CARD:<code>`; the code inside
 *   is what is stored, so the same card works printed as Code 128 or shown as a QR.
 */
export type CardKind = 'ean13' | 'code128' | 'qr';
export type CardCode = Readonly<{ kind: CardKind; code: string }>;

export const QR_PREFIX = 'KOPILKA:CARD:';
const CODE128_RE = /^[\x21-\x7e](?:[\x20-\x7e]{2,46}[\x21-\x7e])$/;
const QR_CODE_RE = /^[A-Za-z0-9._-]{4,64}$/;

export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/** Classify and validate a scanned or typed card code. */
export function parseCardCode(input: string): CardCode {
  const raw = String(input ?? '').replace(/[\r\n]+$/, '').trim();
  if (raw.length === 0) fail('VALIDATION', 'The card code is empty: scan the card again');
  if (raw.toUpperCase().startsWith(QR_PREFIX)) {
    const code = raw.slice(QR_PREFIX.length);
    if (!QR_CODE_RE.test(code)) fail('VALIDATION', 'This QR code is not a Kopilka card: ask the customer to open the card in the app again');
    return { kind: 'qr', code };
  }
  if (/^\d{13}$/.test(raw)) {
    if (!isValidEan13(raw)) fail('VALIDATION', `Card ${raw} has a wrong check digit: scan it again or type it carefully`);
    return { kind: 'ean13', code: raw };
  }
  if (!CODE128_RE.test(raw)) fail('VALIDATION', `"${raw.slice(0, 60)}" is not a card code (4–48 letters or digits)`);
  return { kind: 'code128', code: raw };
}

/** Make a new EAN-13 card number in the in-store range 2xxxxxxxxxxxx from 11 digits of entropy. */
export function makeEan13(body11: string): string {
  if (!/^\d{11}$/.test(body11)) fail('VALIDATION', 'makeEan13 needs 11 digits');
  const first12 = '2' + body11;
  return first12 + String(ean13CheckDigit(first12));
}
