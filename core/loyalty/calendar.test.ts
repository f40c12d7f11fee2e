import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { addDays, ddmm, ddmmOf, endOfDayMs, epoch, isoOf, localInstant, plusDays, shopTime } from './calendar';
import { zoneOffset } from './zone-offset';

/**
 * The quote's calendar arithmetic (zone-offset.ts and the LocalInstant functions) must give
 * exactly what luxon gives, around every DST change and in zones with odd offsets and rules:
 * half-hour DST (Lord Howe), changes at midnight (Santiago, Havana), +05:45 (Kathmandu),
 * −03:30 (St John's), +12:45/+13:45 (Chatham), Moscow's 2011 and 2014 changes, Casablanca's
 * Ramadan switches.
 */
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Europe/Moscow',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Havana',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'Africa/Casablanca',
  'Asia/Tehran',
  'UTC',
];
const FROM = Date.parse('1975-01-01T00:00:00Z');
const TO = Date.parse('2045-01-01T00:00:00Z');
const MINUTE = 60_000;

/** luxon's answer for the same question, built the way calendar.ts used to build it. */
const luxonAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone: IANAZone.create(zone) });
const isoWithOffset = (ms: number, offsetMin: number) => {
  const d = new Date(ms + offsetMin * MINUTE).toISOString().slice(0, 23);
  const o = Math.abs(offsetMin);
  return `${d}${offsetMin < 0 ? '-' : '+'}${String(Math.floor(o / 60)).padStart(2, '0')}:${String(o % 60).padStart(2, '0')}`;
};

/**
 * Instants every `step` over 70 years, plus every `near` for `window` either side of each offset
 * change found (the change itself is bracketed to the minute first, and its neighbouring
 * milliseconds are included). KOPILKA_CALENDAR_SWEEP=full samples about 20 times denser
 * (minutes instead of seconds of CPU).
 */
const DENSE = process.env.KOPILKA_CALENDAR_SWEEP === 'full' ? 20 : 1;
function instantsOf(zone: string, step: number, near: number, window: number): number[] {
  step = Math.floor(step / DENSE);
  near = Math.max(MINUTE, Math.floor(near / DENSE));
  window *= DENSE > 1 ? 4 : 1;
  const out: number[] = [];
  let prev = zoneOffset(zone, FROM);
  for (let t = FROM; t < TO; t += step) {
    const o = zoneOffset(zone, t);
    if (o !== prev) {
      let lo = t - step;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (zoneOffset(zone, mid) === prev) lo = mid;
        else hi = mid;
      }
      for (let u = hi - window; u < hi + window; u += near) out.push(u);
      out.push(hi - 1, hi, hi + 1);
    }
    out.push(t);
    prev = o;
  }
  return out;
}

test('zone offsets equal luxon IANAZone offsets, transitions included', () => {
  for (const zone of ZONES) {
    const z = IANAZone.create(zone);
    let changes = 0;
    let prev = NaN;
    for (const t of instantsOf(zone, 193 * 3_600_000 + 13 * MINUTE + 17_123, 13 * MINUTE, 3 * 3_600_000)) {
      const o = zoneOffset(zone, t);
      assert.equal(o, z.offset(t), `${zone} at ${new Date(t).toISOString()}`);
      if (o !== prev) changes++;
      prev = o;
    }
    if (zone !== 'UTC' && zone !== 'Asia/Kathmandu') assert.ok(changes > 4, `${zone}: expected offset changes in the range, saw ${changes}`);
  }
  assert.ok(Number.isNaN(zoneOffset('Mars/Olympus', 0)));
});

test('local fields, plusDays, end of day, ISO and DD.MM equal luxon over decades of instants', () => {
  for (const zone of ZONES) {
    let k = 0;
    for (const t of instantsOf(zone, 997 * 3_600_000 + 7 * MINUTE + 31_457, 53 * MINUTE, 3 * 3_600_000)) {
      k++;
      // The time as a till would send it: in the shop's offset, or in UTC, or in some other offset.
      const offsets = [luxonAt(t, zone).offset, 0, -300, 180];
      const at = isoWithOffset(t, offsets[k % 4]!);
      const ref = shopTime(at, zone);
      const li = localInstant(at, zone);
      assert.deepEqual(
        [li.ms, li.offset, li.year, li.month, li.day, li.hour, li.minute, li.second, li.millisecond, li.weekday],
        [ref.toMillis(), ref.offset, ref.year, ref.month, ref.day, ref.hour, ref.minute, ref.second, ref.millisecond, ref.weekday],
        `${zone} ${at}`,
      );
      const days = [1, -1, 14, 365, -365, 30, 3660, 7][k % 8]!;
      assert.equal(isoOf(addDays(li, days)), ref.plus({ days }).toISO(), `${zone} ${at} + ${days} days`);
      if (k % 4 === 0) assert.equal(plusDays(at, days, zone), ref.plus({ days }).toISO());
      assert.equal(isoOf(li), ref.toISO());
      assert.equal(endOfDayMs(li), ref.endOf('day').toMillis(), `${zone} end of ${at}`);
      assert.equal(ddmmOf(li), ref.toFormat('dd.MM'));
    }
  }
});

test('wall-clock times in skipped and repeated hours resolve as luxon resolves them', () => {
  // Local readings straight inside the gaps and overlaps: 02:30 on the spring-forward day, 01:30 on the fall-back day.
  const cases: [string, string][] = [
    ['Europe/Berlin', '2026-03-28T02:30:00.000+01:00'],
    ['Europe/Berlin', '2026-10-24T02:30:00.000+02:00'],
    ['America/New_York', '2026-03-07T02:30:00.000-05:00'],
    ['America/New_York', '2026-10-31T01:30:00.000-04:00'],
    ['America/Santiago', '2026-09-05T00:30:00.000-04:00'],
    ['America/Havana', '2026-03-07T00:30:00.000-05:00'],
    ['Australia/Lord_Howe', '2026-10-03T02:15:00.000+10:30'],
    ['Australia/Lord_Howe', '2026-04-04T01:45:00.000+11:00'],
    ['Europe/Moscow', '2011-03-26T02:30:00.000+03:00'],
    ['Europe/Moscow', '2014-10-25T01:30:00.000+04:00'],
  ];
  for (const [zone, at] of cases) {
    const ref = shopTime(at, zone);
    const li = localInstant(at, zone);
    for (const days of [1, 2, 7, -1, 365]) {
      assert.equal(isoOf(addDays(li, days)), ref.plus({ days }).toISO(), `${zone} ${at} + ${days}`);
      assert.equal(endOfDayMs(addDays(li, days)), ref.plus({ days }).endOf('day').toMillis(), `${zone} ${at} + ${days}, end of day`);
    }
  }
});

test('any ISO text: same instant, same refusal as luxon', () => {
  const texts = [
    '2026-03-10T17:00:00+03:00',
    '2026-03-10T17:00:00.57+03:00', // luxon reads 569 ms
    '2026-03-10T17:00:00.5Z',
    '2026-03-10T17:00:00.123-03:30',
    '2026-03-10T17:00:00-00:30',
    '2026-03-10T17:00+03:00',
    '2026-03-10T17:00:00',
    '2026-03-10',
    '2026-02-29T10:00:00Z',
    '2024-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-03-10T24:00:00Z',
    '2026-03-10T23:60:00Z',
    '2026-03-10T17:00:00.1234+03:00',
    '2026-03-10T17:00:00+0300',
    '1960-06-01T12:00:00+03:00',
    '1900-06-01T12:00:00+00:00',
    '9999-06-01T12:00:00+00:00',
    '2026-03-10 17:00:00+03:00',
    'yesterday',
    '',
  ];
  const outcome = (f: () => unknown) => {
    try {
      return { ok: f() };
    } catch (e) {
      return { err: (e as Error).message };
    }
  };
  for (const zone of ['Europe/Moscow', 'America/New_York', 'Nowhere/Atlantis', 'UTC+3']) {
    for (const at of texts) {
      const ref = outcome(() => {
        const t = shopTime(at, zone);
        return [t.toMillis(), t.offset, t.year, t.month, t.day, t.hour, t.minute, t.second, t.millisecond, t.weekday, t.plus({ days: 30 }).toISO(), t.endOf('day').toMillis(), t.toFormat('dd.MM')];
      });
      const got = outcome(() => {
        const t = localInstant(at, zone);
        return [t.ms, t.offset, t.year, t.month, t.day, t.hour, t.minute, t.second, t.millisecond, t.weekday, isoOf(addDays(t, 30)), endOfDayMs(t), ddmm(at, zone)];
      });
      assert.deepEqual(got, ref, `${zone} "${at}"`);
    }
  }
});

test('random instants, offsets and day counts agree with luxon', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES),
      fc.integer({ min: FROM, max: TO }),
      fc.integer({ min: -14 * 60, max: 14 * 60 }).map((m) => m - (m % 15)),
      fc.integer({ min: -3660, max: 3660 }),
      fc.boolean(),
      (zone, ms, off, days, withMs) => {
        const at = isoWithOffset(withMs ? ms : ms - (ms % 1000), off).replace(withMs ? /$^/ : '.000', '');
        const ref = shopTime(at, zone);
        assert.equal(plusDays(at, days, zone), ref.plus({ days }).toISO());
        assert.equal(endOfDayMs(localInstant(at, zone)), ref.endOf('day').toMillis());
      },
    ),
    { numRuns: 4_000 * DENSE, seed: 2026 },
  );
});

test('epoch reads every ISO text as Date.parse does (fast path and fallback)', () => {
  const fixed = ['2026-02-30T00:00:00Z', '2026-03-10T24:00:00Z', '2026-03-10T17:00:00.57+03:00', '2026-03-10T17:00:00.1239+03:00', '2026-03-10T17:00:60Z', '2026-03-10T17:00:00+24:00', '2026-03-10T17:00:00+23:59', '2026-03-10T17:00:00-00:00', '0050-01-01T00:00:00Z', '2026-03-10T17:00:00.Z', '2026-03-10T17:00Z', '2026-03-10', '2026-03-10T17:00:00+0300', '2026-03-10T17:00:00.000+03:00x', ' 2026-03-10T17:00:00Z', '2026-3-10T17:00:00Z'];
  const parse = (s: string) => {
    try {
      return epoch(s);
    } catch (e) {
      return (e as Error).message;
    }
  };
  const ref = (s: string) => (Number.isNaN(Date.parse(s)) ? `"${s}" is not a date-time` : Date.parse(s));
  for (const s of fixed) assert.equal(parse(s), ref(s), s);
  // Every calendar day of 1899–2101, and every 97th day to 9999 (leap-year rules, month lengths).
  for (let d = Date.UTC(1899, 0, 1); d < Date.UTC(9999, 11, 1); d += d < Date.UTC(2101, 0, 1) ? 86_400_000 : 97 * 86_400_000) {
    const s = new Date(d + 45_296_789).toISOString();
    assert.equal(parse(s), Date.parse(s), s);
  }
  const dd = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((x) => String(x).padStart(2, '0'));
  const text = fc
    .tuple(fc.integer({ min: 900, max: 9999 }), dd(0, 13), dd(0, 32), dd(0, 25), dd(0, 61), dd(0, 61), fc.constantFrom('', '.', '.5', '.57', '.123', '.1234', ',5'), fc.constantFrom('Z', 'z', '', '+03:00', '-05:30', '+23:59', '-24:00', '+0300', '+3:00'))
    .map(([y, mo, d, h, mi, s, f, z]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`);
  fc.assert(
    fc.property(text, (s) => {
      assert.equal(parse(s), ref(s));
    }),
    { numRuns: 30_000, seed: 17 },
  );
});
