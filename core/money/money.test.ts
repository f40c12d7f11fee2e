import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocate, formatMoney, mulDiv, parseAmount } from './money';
import { KopilkaError } from '../util/errors';

test('mulDiv rounds as asked, for positive and negative values', () => {
  const cases: Array<[number, number, number, 'down' | 'up' | 'half_up', number]> = [
    [12345, 500, 10_000, 'down', 617], // 617.25
    [12345, 500, 10_000, 'up', 618],
    [12345, 500, 10_000, 'half_up', 617],
    [12350, 500, 10_000, 'half_up', 618], // 617.5
    [-12345, 500, 10_000, 'down', -618], // floor
    [-12345, 500, 10_000, 'up', -617],
    [100_000, 100, 100_000, 'down', 100], // 100 points per 1 000 ₽
    [99_999, 100, 100_000, 'down', 99],
    [Number.MAX_SAFE_INTEGER, 1, 1, 'down', Number.MAX_SAFE_INTEGER],
  ];
  for (const [a, n, d, r, want] of cases) assert.equal(mulDiv(a, n, d, r), want, `${a}*${n}/${d} ${r}`);
});

test('mulDiv refuses floats and a zero divisor', () => {
  assert.throws(() => mulDiv(1.5, 1, 1), KopilkaError);
  assert.throws(() => mulDiv(1, 1, 0), KopilkaError);
});

test('allocate splits exactly, proportionally, deterministically', () => {
  assert.deepEqual(allocate(100, [1, 1, 1]), [34, 33, 33]);
  assert.deepEqual(allocate(10, [0, 5, 5]), [0, 5, 5]);
  assert.deepEqual(allocate(7, [0, 0]), [0, 0]);
  fc.assert(
    fc.property(fc.nat(1_000_000_000), fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 30 }), (total, w) => {
      const parts = allocate(total, w);
      const sumW = w.reduce((a, b) => a + b, 0);
      if (sumW === 0) return parts.every((p) => p === 0);
      assert.equal(parts.reduce((a, b) => a + b, 0), total);
      parts.forEach((p, i) => {
        assert.ok(Number.isSafeInteger(p) && p >= 0);
        if (w[i] === 0) assert.equal(p, 0);
        // never more than one unit away from the exact share
        assert.ok(Math.abs(p * sumW - total * w[i]!) <= sumW);
      });
      return true;
    }),
  );
});

test('parseAmount accepts what a cashier types and refuses garbage', () => {
  assert.equal(parseAmount('150'), 15000);
  assert.equal(parseAmount('150,5'), 15050);
  assert.equal(parseAmount('1 500.05'), 150005);
  for (const bad of ['', 'abc', '-5', '1.234', '1e5', '99999999999']) {
    assert.throws(() => parseAmount(bad), (e: unknown) => e instanceof KopilkaError && e.code === 'VALIDATION', bad);
  }
});

test('formatMoney shows roubles in Russian and English without float artefacts', () => {
  assert.equal(formatMoney(123456).replace(/\s/g, ' '), '1 234,56 ₽');
  assert.equal(formatMoney(100000).replace(/\s/g, ' '), '1 000 ₽');
  assert.equal(formatMoney(-50).replace(/\s/g, ' '), '-0,50 ₽');
  assert.match(formatMoney(123456, 'RUB', 'en-US'), /1,234\.56/);
});
