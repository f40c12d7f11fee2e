import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { businessTime } from './time';

/** businessTime as it was before its plain-form shortcut: luxon only. The shortcut must agree. */
function viaLuxon(at: string | undefined, zone: string, now: Date): string {
  const dt = at === undefined ? DateTime.fromJSDate(now).setZone(zone) : DateTime.fromISO(at, { setZone: true, zone });
  if (!dt.isValid) throw new Error(`"${at}" is not a date-time. Use ISO 8601, e.g. 2026-03-01T10:15:00+03:00`);
  if (dt.year < 2000 || dt.year > 2099) throw new Error(`Business time ${at} is outside 2000–2099: check the date`);
  return dt.toISO({ suppressMilliseconds: true })!;
}

function outcome(f: () => string): string {
  try {
    return 'ok ' + f();
  } catch (e) {
    return 'error ' + (e as Error).message;
  }
}

const ZONES = ['Europe/Moscow', 'UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Bogus/Zone'];
const p2 = (n: number) => String(n).padStart(2, '0');

test('business time from an ISO string equals what luxon reads, for plain and odd forms alike', () => {
  const iso = fc
    .record({
      y: fc.integer({ min: 1995, max: 2105 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 60 }),
      frac: fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,4}$/)),
      off: fc.oneof(fc.constant('Z'), fc.constant(''), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 60 })).map(([sg, h, m]) => `${sg}${p2(h)}:${p2(m)}`)),
    })
    .map((r) => `${r.y}-${p2(r.mo)}-${p2(r.d)}T${p2(r.h)}:${p2(r.mi)}:${p2(r.s)}${r.frac}${r.off}`);
  fc.assert(
    fc.property(iso, fc.constantFrom(...ZONES), (at, zone) => {
      assert.equal(outcome(() => businessTime(at, zone)), outcome(() => viaLuxon(at, zone, new Date())), at);
    }),
    { numRuns: 20_000, seed: 7 },
  );
});

test('business time from the clock equals luxon in every zone, DST changes and whole seconds included', () => {
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(1998, 0, 1), max: Date.UTC(2101, 0, 1) }), fc.boolean(), fc.constantFrom(...ZONES), (ms, whole, zone) => {
      const now = new Date(whole ? ms - (ms % 1000) : ms);
      assert.equal(outcome(() => businessTime(undefined, zone, () => now)), outcome(() => viaLuxon(undefined, zone, now)), `${now.toISOString()} ${zone}`);
    }),
    { numRuns: 20_000, seed: 11 },
  );
});
