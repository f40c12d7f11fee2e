import { test } from 'node:test';
import assert from 'node:assert/strict';
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
