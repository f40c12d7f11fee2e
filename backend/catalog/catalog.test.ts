import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTestStore, dumpDb } from '../testing/store';
import { findProductByCode, importCatalog, listProducts, upsertProduct } from './catalog';

test('the demo menu imports; products are found by SKU and by barcode', async () => {
  const s = await createTestStore();
  try {
    const menu = JSON.parse(readFileSync(new URL('../../resources/demo/menu.json', import.meta.url), 'utf8'));
    const n = importCatalog(s.db, menu);
    assert.equal(listProducts(s.db).length, n);
    assert.equal(findProductByCode(s.db, 'LATTE').price, 21000);
    assert.equal(findProductByCode(s.db, '2000000000046').sku, 'LATTE');
    const beer = findProductByCode(s.db, 'BEER');
    assert.equal(beer.earnsPoints, false);
    assert.equal(beer.payableWithPoints, false);
    assert.equal(findProductByCode(s.db, 'GIFT-1000').earnsPoints, false);
    importCatalog(s.db, menu); // re-import is an update, not a duplicate
    assert.equal(listProducts(s.db).length, n);
  } finally {
    s.cleanup();
  }
});

test('bad products are refused and change nothing', async () => {
  const s = await createTestStore();
  try {
    upsertProduct(s.db, { sku: 'TEA', name: 'Чай', price: 10000, barcodes: ['4600000000107'] });
    const before = dumpDb(s.db);
    for (const bad of [
      { sku: 'X', name: 'X', price: -1 },
      { sku: 'X', name: 'X', price: 10.5 },
      { sku: 'X', name: 'X', price: 1e12 },
      { sku: 'bad sku', name: 'X', price: 1 },
      { sku: 'X', name: '', price: 1 },
      { sku: 'X', name: 'X', price: 1, barcodes: ['4600000000107'] },
      { sku: 'X', name: 'X', price: 1, colour: 'red' },
    ]) assert.throws(() => upsertProduct(s.db, bad), /Product|Barcode/, JSON.stringify(bad));
    assert.throws(() => importCatalog(s.db, { products: [{ sku: 'OK', name: 'ok', price: 1 }, { sku: 'BAD', name: 'x', price: -5 }] }), /Catalog file/);
    assert.throws(() => findProductByCode(s.db, 'NOPE'), /Unknown item/);
    assert.equal(dumpDb(s.db), before);
  } finally {
    s.cleanup();
  }
});
