import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { fail } from '../util/errors';

export const DEFAULT_PHONE_REGION = 'RU';

/**
 * Normalise a phone as a cashier types it ("8 916 123-45-67", "+7(916)1234567", "9161234567")
 * into E.164. Numbers without a country code are read in `region` (RU by default, where the
 * leading 8 is the trunk prefix). Anything that is not a valid number is refused.
 */
export function normalizePhone(input: string, region: string = DEFAULT_PHONE_REGION): string {
  const text = String(input ?? '').trim();
  if (!/^[+\d\s()\-.]{5,30}$/.test(text)) fail('VALIDATION', `"${input}" is not a phone number. Type it as +7 916 123-45-67 or 8 916 123-45-67`);
  const parsed = parsePhoneNumberFromString(text, region as CountryCode);
  if (!parsed || !parsed.isValid()) fail('VALIDATION', `"${input}" is not a valid phone number. Check the digits (e.g. +7 916 123-45-67)`);
  return parsed.number;
}

export function tryNormalizePhone(input: string, region: string = DEFAULT_PHONE_REGION): string | null {
  try {
    return normalizePhone(input, region);
  } catch {
    return null;
  }
}

/**
 * A phone shown to someone who is choosing between candidates: country code and the last four
 * digits only, e.g. `+7 *** ***-12-34`. The shape of the hidden part follows the national length.
 */
export function maskPhone(e164: string): string {
  // Fast path for the common Russian/Kazakh mobile shape; parsing metadata costs more than the lookup it decorates.
  if (/^\+7\d{10}$/.test(e164)) return `+7 *** ***-${e164.slice(8, 10)}-${e164.slice(10)}`;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return '***';
  const national = parsed.nationalNumber;
  const last4 = national.slice(-4);
  const hidden = national.length - 4;
  const head = hidden === 6 ? '*** ***' : '*'.repeat(Math.max(hidden, 1));
  return `+${parsed.countryCallingCode} ${head}-${last4.slice(0, 2)}-${last4.slice(2)}`;
}

/** The four digits a cashier types for a lookup; refuses anything else. */
export function parseLast4(input: string): string {
  const t = String(input ?? '').trim();
  if (!/^\d{4}$/.test(t)) fail('VALIDATION', `Type exactly the last 4 digits of the phone, got "${input}"`);
  return t;
}
