import { DateTime } from 'luxon';
import { fail } from '../util/errors';

/**
 * Business time in the shop's time zone. Every rule that talks about days, weekdays or hours
 * (campaign windows, birthdays, tier periods, lot expiry) goes through here so DST and zone
 * offsets are handled once, by luxon.
 */
export function shopTime(at: string, zone: string): DateTime {
  const t = DateTime.fromISO(at, { setZone: true });
  if (!t.isValid) fail('VALIDATION', `"${at}" is not a date-time; use ISO 8601, e.g. 2026-03-10T14:30:00+03:00`);
  const z = t.setZone(zone);
  if (!z.isValid) fail('VALIDATION', `Unknown time zone "${zone}"`);
  return z;
}

/** Milliseconds since the epoch of an ISO time; null stays null (never). */
export function epoch(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) fail('VALIDATION', `"${iso}" is not a date-time`);
  return ms;
}

/** `days` calendar days after `at` in the shop zone (same wall-clock time, DST-correct), as ISO with offset. */
export function plusDays(at: string, days: number, zone: string): string {
  return shopTime(at, zone).plus({ days }).toISO()!;
}

/** DD.MM as printed on a receipt. */
export function ddmm(iso: string, zone: string): string {
  return shopTime(iso, zone).toFormat('dd.MM');
}

/** Minutes since midnight for "HH:MM" ("24:00" = 1440). */
export function hhmmToMinutes(s: string): number {
  return Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
}

const WEEKDAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export function weekdayName(isoWeekday: number): string {
  return WEEKDAY[isoWeekday] ?? String(isoWeekday);
}

/**
 * The birthday occurrence closest to `today` if it lies within ±windowDays, as its year (the
 * once-a-year key). 29 February is celebrated on 28 February in other years.
 */
export function birthdayYearInWindow(birthday: string, today: DateTime, windowDays: number): number | null {
  const m = /^(?:\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const d0 = today.startOf('day');
  for (const y of [today.year - 1, today.year, today.year + 1]) {
    let occ = DateTime.fromObject({ year: y, month, day }, { zone: today.zone });
    if (!occ.isValid && month === 2 && day === 29) occ = DateTime.fromObject({ year: y, month: 2, day: 28 }, { zone: today.zone });
    if (!occ.isValid) continue;
    const diff = Math.round(occ.startOf('day').diff(d0, 'days').days);
    if (Math.abs(diff) <= windowDays) return y;
  }
  return null;
}
