import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { allocate as allocateBig, mulDiv as mulDivBig } from '../money/money';
import { allocate, allocateInto, mulDiv } from './arith';

test('fast mulDiv equals money.mulDiv for every rounding, including near 2^53', () => {
  const big = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), big), fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), big), fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom('down' as const, 'up' as const, 'half_up' as const), (a, n, d, r) => {
      assert.equal(mulDiv(a, n, d, r), mulDivBig(a, n, d, r));
    }),
    { numRuns: 3000, seed: 5 },
  );
});

test('fast allocate equals money.allocate', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 100_000_000 }), { maxLength: 40 }), (t, ws) => {
      assert.deepEqual(allocate(t, ws), allocateBig(t, ws));
    }),
    { numRuns: 2000, seed: 6 },
  );
});

test('allocateInto adds exactly what allocate gives', () => {
  const weight = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 100_000_000 }));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(weight, { maxLength: 40 }), fc.integer({ min: 0, max: 1000 }), (t, ws, start) => {
      const into = ws.map((_, i) => start + i);
      allocateInto(t, ws, into);
      const parts = allocateBig(t, ws);
      assert.deepEqual(into, ws.map((_, i) => start + i + parts[i]!));
    }),
    { numRuns: 3000, seed: 8 },
  );
});
