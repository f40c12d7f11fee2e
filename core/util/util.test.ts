import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { isUuid, uuidv7 } from './ids';
import { toErrorData, KopilkaError } from './errors';

test('canonicalJson sorts keys, drops undefined and refuses floats', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 0, y: -1 } }), '{"a":[true,null,"x"],"b":1,"d":{"y":-1,"z":0}}');
  assert.throws(() => canonicalJson({ a: 0.5 }));
  assert.equal(canonicalJson('ру'), '"ру"');
});

test('uuidv7 is valid, version 7 and strictly increasing even within one millisecond', () => {
  const ids = Array.from({ length: 2000 }, () => uuidv7(1_700_000_000_000));
  for (const id of ids) assert.ok(isUuid(id) && id[14] === '7', id);
  const sorted = [...ids].sort();
  assert.deepEqual(sorted, ids);
  assert.equal(new Set(ids).size, ids.length);
  // time prefix is big-endian milliseconds
  assert.equal(parseInt(uuidv7(1_800_000_000_000).replace(/-/g, '').slice(0, 12), 16), 1_800_000_000_000);
});

test('errors cross boundaries as {code, message} data', () => {
  assert.deepEqual(toErrorData(new KopilkaError('NOT_FOUND', 'No member with card 123')), { code: 'NOT_FOUND', message: 'No member with card 123' });
  assert.equal(toErrorData(new Error('boom')).code, 'INTERNAL');
});

/** canonicalJson as first written (map, filter, sort, join): the loop version must give the same bytes. */
function canonicalJsonReference(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new Error(`canonicalJson: non-integer number ${value}`);
      return String(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v) => canonicalJsonReference(v === undefined ? null : v)).join(',') + ']';
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJsonReference(obj[k])).join(',') + '}';
    }
    default:
      throw new Error(`canonicalJson: unsupported ${typeof value}`);
  }
}

test('canonicalJson gives the bytes of its first version for any JSON-like value, floats refused alike', () => {
  const leaf = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.string(), fc.string({ unit: 'grapheme' }));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v')), fc.sparseArray(tie('v')), fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('10', '2', 'a', 'B', '__proto__x')), tie('v'))),
  })).v;
  const outcome = (f: () => string) => { try { return f(); } catch (e) { return 'throws ' + (e as Error).message; } };
  fc.assert(fc.property(value, (v) => assert.equal(outcome(() => canonicalJson(v)), outcome(() => canonicalJsonReference(v)))), { numRuns: 20_000, seed: 3 });
});
