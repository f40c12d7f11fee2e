import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('003 creates product and product_barcode; prices are non-negative integers', async () => {
  const m = await migratedTo(3);
  try {
    assert.deepEqual(added(m.before, m.after), ['index:product_barcode_product', 'index:product_category', 'table:product', 'table:product_barcode']);
    const ins = m.db.prepare("INSERT INTO product (id, sku, name, price, created_at, updated_at) VALUES (?, ?, 'Латте', ?, 't', 't')");
    ins.run('p1', 'LATTE', 19000);
    assert.throws(() => ins.run('p2', 'LATTE', 100), /UNIQUE/);
    assert.throws(() => ins.run('p3', 'NEG', -1), /CHECK/);
    assert.throws(() => ins.run('p4', 'FLOAT', 1.5), /cannot store REAL value in INTEGER column|datatype mismatch/i);
    m.db.prepare("INSERT INTO product_barcode VALUES ('4601234567893', 'p1')").run();
    assert.equal(m.db.prepare("SELECT earns_points || payable_with_points FROM product WHERE id='p1'").pluck().get(), '11');
  } finally {
    m.cleanup();
  }
});
