import type { ScanEvent } from './event';
import { gtinCheckOk } from './event';

/**
 * Where a scan goes, decided from its form alone (the app then looks the code up):
 * product barcode → cart, member card or member QR → identify, coupon/promo → apply,
 * gift certificate → apply as payment. In-store EAN-13 codes (prefix 2) can be either a
 * product or a loyalty card, so those come back as `product` with `maybeMember` set.
 */
export type ScanRoute =
  | Readonly<{ kind: 'product'; code: string; maybeMember: boolean }>
  | Readonly<{ kind: 'member'; code: string }>
  | Readonly<{ kind: 'coupon'; code: string }>
  | Readonly<{ kind: 'gift'; code: string }>
  | Readonly<{ kind: 'unknown'; code: string; reason: string }>;

export type RouterConfig = Readonly<{
  /** Code 128 / EAN-13 prefixes used by this shop's loyalty cards (e.g. "KP-", "20000001"). */
  memberPrefixes: readonly string[];
  giftPrefixes: readonly string[];
  couponPrefixes: readonly string[];
}>;

export const DEFAULT_ROUTER: RouterConfig = {
  memberPrefixes: ['KP-'],
  giftPrefixes: ['GC-', 'GIFT-'],
  couponPrefixes: ['PROMO-'],
};

const startsWithAny = (s: string, list: readonly string[]) => list.some((p) => p && s.toUpperCase().startsWith(p.toUpperCase()));

export function routeScan(e: ScanEvent, cfg: RouterConfig = DEFAULT_ROUTER): ScanRoute {
  const data = e.data.trim();
  const upper = data.toUpperCase();
  if (upper.startsWith('KOPILKA:CARD:')) return { kind: 'member', code: data.slice(13) };
  if (upper.startsWith('KOPILKA:GIFT:')) return { kind: 'gift', code: data.slice(13) };
  if (upper.startsWith('KOPILKA:PROMO:')) return { kind: 'coupon', code: data.slice(14) };
  if (startsWithAny(data, cfg.memberPrefixes)) return { kind: 'member', code: data };
  if (startsWithAny(data, cfg.giftPrefixes)) return { kind: 'gift', code: data };
  if (startsWithAny(data, cfg.couponPrefixes)) return { kind: 'coupon', code: data };
  if (/^\d+$/.test(data)) {
    if (e.symbology === 'gs1-128' || e.symbology === 'databar') return { kind: 'product', code: data, maybeMember: false };
    if (!gtinCheckOk(data)) return { kind: 'unknown', code: data, reason: 'The barcode check digit is wrong: scan it again' };
    // GTIN prefix 2 is the in-store range: weighed goods, own products, loyalty cards.
    return { kind: 'product', code: data, maybeMember: data.length === 13 && data.startsWith('2') };
  }
  if (e.symbology === 'qr' && /^https?:\/\//i.test(data)) return { kind: 'unknown', code: data, reason: 'This QR code is a web link, not a Kopilka card or coupon' };
  if (/^[A-Z0-9][A-Z0-9-]{3,31}$/i.test(data)) return { kind: 'coupon', code: upper };
  return { kind: 'unknown', code: data, reason: 'Not a product barcode, card or coupon this shop knows' };
}
