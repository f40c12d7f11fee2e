/**
 * UTC offsets of IANA time zones, read from the tz database through Intl and remembered per
 * hour of UTC time. luxon asks Intl (tens of microseconds) and builds objects around every
 * answer; a quote needs a handful of offsets, nearly always in hours it has seen before.
 *
 * The answer for an instant is exactly luxon's `IANAZone.offset` (same Intl query, same rounding
 * to the second), which `calendar.test.ts` checks over years of instants. An hour is remembered
 * only when its first and last millisecond have the same offset; an hour holding a transition
 * (they fall on quarter hours, so a few hours a year) is asked of Intl for each instant.
 */
const HOUR = 3_600_000;
/** About a year of hours per zone; past that the memo starts over rather than grow without bound. */
const MEMO_LIMIT = 10_000;

type ZoneTable = { readonly dtf: Intl.DateTimeFormat; readonly byHour: Map<number, number> };
const tables = new Map<string, ZoneTable | null>();

function tableOf(zone: string): ZoneTable | null {
  let t = tables.get(zone);
  if (t === undefined) {
    try {
      // The options luxon uses, so both read the same fields from the same formatter.
      const dtf = new Intl.DateTimeFormat('en-US', { hour12: false, timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', era: 'short' });
      t = { dtf, byHour: new Map() };
    } catch {
      t = null; // not a zone Intl knows
    }
    tables.set(zone, t);
  }
  return t;
}

/** Whether Intl knows the zone (what luxon's `IANAZone.isValidZone` says). */
export function isKnownZone(zone: string): boolean {
  return tableOf(zone) !== null;
}

function intlOffset(dtf: Intl.DateTimeFormat, ms: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of dtf.formatToParts(ms)) {
    switch (p.type) {
      case 'year':
        year = parseInt(p.value, 10);
        break;
      case 'month':
        month = parseInt(p.value, 10);
        break;
      case 'day':
        day = parseInt(p.value, 10);
        break;
      case 'hour':
        hour = parseInt(p.value, 10);
        break;
      case 'minute':
        minute = parseInt(p.value, 10);
        break;
      case 'second':
        second = parseInt(p.value, 10);
        break;
      case 'era':
        bc = p.value === 'BC';
        break;
      default:
        break;
    }
  }
  if (bc) year = -Math.abs(year) + 1;
  // hour12:false prints midnight as 24 on some engines.
  const asUtc = utcOf(year, month, day, hour === 24 ? 0 : hour, minute, second, 0);
  const over = ms % 1000;
  const whole = ms - (over >= 0 ? over : 1000 + over);
  return (asUtc - whole) / 60_000;
}

/** Milliseconds of a wall-clock reading taken as UTC; years 0–99 stay themselves (Date.UTC maps them to 19xx), as in luxon. */
export function utcOf(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number {
  const d = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (year < 100 && year >= 0) {
    const fixed = new Date(d);
    fixed.setUTCFullYear(year, month - 1, day);
    return fixed.getTime();
  }
  return d;
}

/** Minutes east of UTC in `zone` at the instant `ms`; NaN for a zone Intl does not know. */
export function zoneOffset(zone: string, ms: number): number {
  const t = tableOf(zone);
  if (t === null) return NaN;
  const hour = Math.floor(ms / HOUR);
  const hit = t.byHour.get(hour);
  if (hit !== undefined) return hit;
  const start = hour * HOUR;
  const a = intlOffset(t.dtf, start);
  if (a !== intlOffset(t.dtf, start + HOUR - 1)) return intlOffset(t.dtf, ms);
  if (t.byHour.size >= MEMO_LIMIT) t.byHour.clear();
  t.byHour.set(hour, a);
  return a;
}
