import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { excludedBy, exclusionTest, inScope, scopeTest } from './scope';

test('the prepared scope tests answer exactly as inScope / excludedBy', () => {
  const name = fc.constantFrom('coffee', 'tea', 'LATTE', 'p1', 'p2', 'SKU-1', '');
  const scope = fc.record({ products: fc.array(name, { maxLength: 3 }), categories: fc.array(name, { maxLength: 3 }) });
  const line = fc.record({ productId: name, sku: name, category: name });
  fc.assert(
    fc.property(scope, fc.array(line, { minLength: 1, maxLength: 8 }), (s, lines) => {
      const inS = scopeTest(s);
      const ex = exclusionTest(s);
      for (const l of lines) {
        assert.equal(inS(l), inScope(s, l));
        assert.equal(ex(l), excludedBy(s, l));
      }
    }),
    { numRuns: 3000, seed: 3 },
  );
});
