import { DateTime, IANAZone, Zone } from 'luxon';
import { fail } from '../util/errors';
import { isKnownZone, utcOf, zoneOffset } from './zone-offset';

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
 * Business time in the shop's time zone, as a luxon DateTime (for callers outside the quote and
 * as the reference and fallback of `localInstant` below). Every rule that talks about days,
 * weekdays or hours (campaign windows, birthdays, tier periods, lot expiry) goes through this
 * module so DST and zone offsets are handled in one place.
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
  const ms = plainEpoch(iso) ?? Date.parse(iso);
  if (Number.isNaN(ms)) fail('VALIDATION', `"${iso}" is not a date-time`);
  return ms;
}

const digitAt = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const twoDigits = (s: string, i: number): number => digitAt(s, i) * 10 + digitAt(s, i + 1);

/**
 * What Date.parse gives for `YYYY-MM-DDTHH:MM:SS[.f{1,3}](Z|±HH:MM)` with every field in range,
 * read digit by digit (a quote parses a couple of dozen stored times; Date.parse is several
 * times slower); null for any other text, which Date.parse then reads. calendar.test.ts holds
 * the two equal.
 */
function plainEpoch(s: string): number | null {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  // NaN (a non-digit) fails every one of these comparisons.
  if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59)) return null;
  let i = 19;
  let millisecond = 0;
  if (s.charCodeAt(i) === 46) {
    let scale = 100;
    for (i++; i < n && i < 23 && digitAt(s, i) >= 0; i++, scale /= 10) millisecond += digitAt(s, i) * scale;
    if (i === 20) return null;
  }
  let offset = 0;
  if (i === n - 1 && s.charCodeAt(i) === 90) {
    offset = 0;
  } else if (i === n - 6 && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) && s.charCodeAt(i + 3) === 58) {
    const h = twoDigits(s, i + 1);
    const m = twoDigits(s, i + 4);
    if (!(h <= 23 && m <= 59)) return null;
    offset = (s.charCodeAt(i) === 45 ? -1 : 1) * (h * 60 + m);
  } else {
    return null;
  }
  return (((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offset) * 60 + second) * 1000 + millisecond;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (what Date.UTC counts, without the runtime call). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `days` calendar days after `at` in the shop zone (same wall-clock time, DST-correct), as ISO with offset. */
export function plusDays(at: string, days: number, zone: string): string {
  return isoOf(addDays(localInstant(at, zone), days));
}

/** DD.MM as printed on a receipt. */
export function ddmm(iso: string, zone: string): string {
  return ddmmOf(localInstant(iso, zone));
}

/**
 * An instant read on the shop's wall clock. The quote works out one per request and does its
 * day arithmetic on it with the functions below, which give exactly what the luxon calls they
 * replace give (`shopTime`, `plus({ days })`, `endOf('day')`, `toISO()`, `toFormat('dd.MM')`;
 * calendar.test.ts compares them over years of instants in zones with DST). They are plain
 * arithmetic over offsets from zone-offset.ts; luxon still does the rare cases: a time that is
 * not plain `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`, a zone name Intl does not know, or a date
 * outside 1973–9998 (older offsets can have seconds in them).
 */
export type LocalInstant = Readonly<{
  zone: string;
  ms: number;
  /** Minutes east of UTC in the zone at that instant. */
  offset: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}>;

const FAST_FROM = Date.UTC(1973, 0, 1);
const FAST_TO = Date.UTC(9999, 0, 1);
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

type PlainIso = Readonly<{ year: number; month: number; day: number; hour: number; minute: number; second: number; fraction: string | undefined; offset: number }>;

/** The fields of a plain `YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM)` that names a real time (offset in minutes); null for anything else. */
function plainIsoParts(at: string): PlainIso | null {
  const m = ISO.exec(at);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  let offset = 0;
  if (m[8] === undefined) {
    const h = Number(m[10]);
    const mm = Number(m[11]);
    if (h > 18 || mm > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  return { year, month, day, hour, minute, second, fraction: m[7], offset };
}

/** The instant of a plain ISO time with an offset, read as luxon reads it (milliseconds included); null for anything else. */
function parsePlainIso(at: string): number | null {
  const t = plainIsoParts(at);
  if (t === null) return null;
  // luxon's own reading of a fraction: ".57" is 569 ms (a float product, floored).
  const millisecond = t.fraction === undefined ? 0 : Math.floor(parseFloat('0.' + t.fraction) * 1000);
  const ms = utcOf(t.year, t.month, t.day, t.hour, t.minute, t.second, millisecond) - t.offset * 60_000;
  return ms >= FAST_FROM && ms < FAST_TO ? ms : null;
}

/**
 * luxon's `DateTime.fromISO(at, { setZone: true }).toISO({ suppressMilliseconds: true })` for a
 * plain `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`, without building a DateTime (a sale reads its
 * business time on every commit): the wall clock and offset stay as written, a zero fraction is
 * dropped and a zero offset prints as Z. Null for anything else, which luxon then reads.
 */
export function isoKeepingOffset(at: string): Readonly<{ iso: string; year: number }> | null {
  const t = plainIsoParts(at);
  if (t === null || (t.fraction !== undefined && t.fraction.length !== 3)) return null;
  const fraction = t.fraction === undefined || t.fraction === '000' ? '' : '.' + t.fraction;
  return { iso: at.slice(0, 19) + fraction + (t.offset === 0 ? 'Z' : at.slice(-6)), year: t.year };
}

/**
 * luxon's `DateTime.fromMillis(ms).setZone(zone).toISO({ suppressMilliseconds: true })`; null
 * where luxon must decide (a zone Intl does not know, a date outside the fast range, or offset
 * zero, which luxon prints as Z or +00:00 depending on the zone's name).
 */
export function isoInZone(ms: number, zone: string): Readonly<{ iso: string; year: number }> | null {
  if (!isKnownZone(zone)) return null;
  const offset = zoneOffset(zone, ms);
  if (offset === 0 || !fast(zone, ms, offset)) return null;
  const t = instantAt(zone, ms, offset);
  const iso = isoOf(t);
  return { iso: t.millisecond === 0 ? iso.slice(0, 19) + iso.slice(23) : iso, year: t.year };
}

function instantAt(zone: string, ms: number, offset: number): LocalInstant {
  const d = new Date(ms + offset * 60_000);
  const wd = d.getUTCDay();
  return {
    zone,
    ms,
    offset,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: wd === 0 ? 7 : wd,
  };
}

function fromDateTime(t: DateTime, zone: string): LocalInstant {
  return { zone, ms: t.toMillis(), offset: t.offset, year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, millisecond: t.millisecond, weekday: t.weekday };
}

function fast(zone: string, ms: number, offset: number): boolean {
  return ms >= FAST_FROM && ms < FAST_TO && Number.isInteger(offset) && isKnownZone(zone);
}

function asDateTime(t: LocalInstant): DateTime {
  return DateTime.fromMillis(t.ms, { zone: zoneFor(t.zone) });
}

/** `at` on the shop's wall clock; refuses what `shopTime` refuses, with the same messages. */
export function localInstant(at: string, zone: string): LocalInstant {
  const ms = parsePlainIso(at);
  if (ms !== null && isKnownZone(zone)) {
    const offset = zoneOffset(zone, ms);
    if (fast(zone, ms, offset)) return instantAt(zone, ms, offset);
  }
  return fromDateTime(shopTime(at, zone), zone);
}

/**
 * The instant a wall-clock reading names, starting from offset guess `o`: luxon's resolution of
 * skipped and repeated hours (fixOffset). As in luxon, the offset kept is the zone's offset at
 * the instant found, whichever guess found it.
 */
function resolveLocal(zone: string, local: number, o: number): LocalInstant {
  let guess = local - o * 60_000;
  const o2 = zoneOffset(zone, guess);
  if (o === o2) return instantAt(zone, guess, o);
  guess -= (o2 - o) * 60_000;
  const o3 = zoneOffset(zone, guess);
  if (o2 === o3) return instantAt(zone, guess, o2);
  const ms = local - Math.min(o2, o3) * 60_000;
  return instantAt(zone, ms, zoneOffset(zone, ms));
}

/** `days` calendar days later on the wall clock (luxon's `plus({ days })`). */
export function addDays(t: LocalInstant, days: number): LocalInstant {
  if (fast(t.zone, t.ms, t.offset)) {
    const r = resolveLocal(t.zone, utcOf(t.year, t.month, t.day + days, t.hour, t.minute, t.second, t.millisecond), t.offset);
    if (fast(r.zone, r.ms, r.offset)) return r;
  }
  return fromDateTime(asDateTime(t).plus({ days }), t.zone);
}

/** The last millisecond of the local day (luxon's `endOf('day').toMillis()`). */
export function endOfDayMs(t: LocalInstant): number {
  if (fast(t.zone, t.ms, t.offset)) {
    const next = addDays(t, 1);
    const start = resolveLocal(next.zone, utcOf(next.year, next.month, next.day, 0, 0, 0, 0), next.offset);
    // luxon's minus(1): settle the wall clock again, then step back one millisecond.
    const ms = resolveLocal(start.zone, utcOf(start.year, start.month, start.day, start.hour, start.minute, start.second, start.millisecond), start.offset).ms - 1;
    if (ms >= FAST_FROM && ms < FAST_TO) return ms;
  }
  return asDateTime(t).endOf('day').toMillis();
}

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

/** luxon's `toISO()`: 2026-03-24T17:00:00.000+03:00. */
export function isoOf(t: LocalInstant): string {
  if (!fast(t.zone, t.ms, t.offset)) return asDateTime(t).toISO()!;
  const o = Math.abs(t.offset);
  const ms = t.millisecond < 10 ? '00' + t.millisecond : t.millisecond < 100 ? '0' + t.millisecond : String(t.millisecond);
  return `${t.year}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}.${ms}${t.offset < 0 ? '-' : '+'}${pad2(Math.trunc(o / 60))}:${pad2(o % 60)}`;
}

/** DD.MM of the local date. */
export function ddmmOf(t: LocalInstant): string {
  return pad2(t.day) + '.' + pad2(t.month);
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
export function birthdayYearInWindow(birthday: string, today: Readonly<{ year: number; month: number; day: number }>, windowDays: number): number | null {
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
