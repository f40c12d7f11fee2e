import { DateTime, IANAZone, Zone } from 'luxon';
import { fail } from '../util/errors';

/**
 * An IANA zone whose UTC offset lookups are remembered per 15-minute slot. Luxon asks Intl for
 * the offset on every DateTime it builds (tens of microseconds each); a quote builds a few.
 * A slot is cached only when its start and end have the same offset, so a DST change inside a
 * slot (none in today's tzdb: transitions fall on quarter hours) is still computed exactly.
 */
class MemoZone extends Zone {
  private readonly cache = new Map<number, number>();
  constructor(private readonly inner: IANAZone) {
    super();
  }
  override get type(): string {
    return 'iana';
  }
  override get name(): string {
    return this.inner.name;
  }
  get ianaName(): string {
    return this.inner.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override offsetName(ts: number, opts: Parameters<Zone['offsetName']>[1]): string | null {
    return this.inner.offsetName(ts, opts);
  }
  override formatOffset(ts: number, format: Parameters<Zone['formatOffset']>[1]): string {
    return this.inner.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    const slot = Math.floor(ts / 900_000);
    const hit = this.cache.get(slot);
    if (hit !== undefined) return hit;
    const a = this.inner.offset(slot * 900_000);
    if (a !== this.inner.offset(slot * 900_000 + 899_999)) return this.inner.offset(ts);
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(slot, a);
    return a;
  }
  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.inner.name;
  }
  override get isValid(): boolean {
    return this.inner.isValid;
  }
}

const zones = new Map<string, Zone>();
function zoneFor(name: string): Zone | string {
  let z = zones.get(name);
  if (!z) {
    if (!IANAZone.isValidZone(name)) return name; // luxon reports it invalid below
    z = new MemoZone(IANAZone.create(name));
    zones.set(name, z);
  }
  return z;
}

/**
 * Business time in the shop's time zone. Every rule that talks about days, weekdays or hours
 * (campaign windows, birthdays, tier periods, lot expiry) goes through here so DST and zone
 * offsets are handled once, by luxon.
 */
export function shopTime(at: string, zone: string): DateTime {
  const t = DateTime.fromISO(at, { setZone: true });
  if (!t.isValid) fail('VALIDATION', `"${at}" is not a date-time; use ISO 8601, e.g. 2026-03-10T14:30:00+03:00`);
  const z = t.setZone(zoneFor(zone));
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
  // Calendar-day distance on the shop's local date: UTC day numbers of plain dates, no zone involved.
  const d0 = Date.UTC(today.year, today.month - 1, today.day);
  for (const y of [today.year - 1, today.year, today.year + 1]) {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const d = month === 2 && day === 29 && !leap ? 28 : day;
    const occ = Date.UTC(y, month - 1, d);
    if (new Date(occ).getUTCMonth() !== month - 1) continue; // not a real date
    if (Math.abs(Math.round((occ - d0) / 86_400_000)) <= windowDays) return y;
  }
  return null;
}
