import { DateTime } from 'luxon';
import { isoInZone, isoKeepingOffset } from '../../core/loyalty/calendar';
import { fail } from '../../core/util/errors';

/**
 * Business time: what `--at` or the clock says, in the shop's zone, as ISO 8601 with offset.
 * A time without an offset is read in the shop's zone. Years outside 2000–2099 are typos.
 */
export function businessTime(at: string | undefined, zone: string, now: () => Date = () => new Date()): string {
  // The plain forms (what the till's clock, the UI and the CLI send) without luxon: same answer.
  const plain = at === undefined ? isoInZone(now().getTime(), zone) : isoKeepingOffset(String(at));
  if (plain !== null) {
    if (plain.year < 2000 || plain.year > 2099) fail('VALIDATION', `Business time ${at} is outside 2000–2099: check the date`);
    return plain.iso;
  }
  const dt = at === undefined ? DateTime.fromJSDate(now()).setZone(zone) : DateTime.fromISO(String(at), { setZone: true, zone });
  if (!dt.isValid) fail('VALIDATION', `"${at}" is not a date-time. Use ISO 8601, e.g. 2026-03-01T10:15:00+03:00`);
  if (dt.year < 2000 || dt.year > 2099) fail('VALIDATION', `Business time ${at} is outside 2000–2099: check the date`);
  const iso = dt.toISO({ suppressMilliseconds: true });
  if (!iso) fail('VALIDATION', `"${at}" cannot be used as business time`);
  return iso;
}

/** Receipt-style local time: "25.11.2026 14:05" in the shop's zone. */
export function formatReceiptTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zone).toFormat('dd.MM.yyyy HH:mm');
}
