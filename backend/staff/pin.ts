import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { fail } from '../../core/util/errors';

/**
 * PINs are stored as `scrypt$N$r$p$salt$hash` (base64). Parameters live in the string so they can
 * be raised later without invalidating existing PINs. N=2^14 costs ~60 ms here: slow enough to
 * make guessing from a stolen file costly, fast enough for a cashier at the till.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export const PIN_RULE = 'A PIN is 4 to 8 digits';

export function validatePin(pin: string): void {
  if (!/^\d{4,8}$/.test(pin)) fail('VALIDATION', `${PIN_RULE}; digits only`);
  if (/^(\d)\1+$/.test(pin)) fail('VALIDATION', 'Choose a PIN that is not one digit repeated');
}

export function hashPin(pin: string): string {
  validatePin(pin);
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEY_LEN, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyPin(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashB64, 'base64');
  const actual = scryptSync(pin, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
