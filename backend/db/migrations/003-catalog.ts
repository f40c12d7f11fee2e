import type { Migration } from '../types';

/** Products (prices in minor units) with their loyalty flags, and any number of barcodes per product. */
export const migration: Migration = {
  version: 3,
  name: 'catalog',
  up(db) {
    db.exec(`
      CREATE TABLE product (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        category TEXT NOT NULL DEFAULT '',
        price INTEGER NOT NULL CHECK (price >= 0),
        earns_points INTEGER NOT NULL DEFAULT 1 CHECK (earns_points IN (0, 1)),
        payable_with_points INTEGER NOT NULL DEFAULT 1 CHECK (payable_with_points IN (0, 1)),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX product_category ON product (category);

      CREATE TABLE product_barcode (
        code TEXT PRIMARY KEY,
        product_id TEXT NOT NULL REFERENCES product (id)
      ) STRICT;
      CREATE INDEX product_barcode_product ON product_barcode (product_id);
    `);
  },
};
