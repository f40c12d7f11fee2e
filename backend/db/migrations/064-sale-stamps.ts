import type { Migration } from '../types';

/**
 * Stamps given and rewards earned on each sale, per stamp card. The loyalty rules keep only each
 * member's running count (`loyalty_stamp`), which cannot tell a shift how many stamps it gave;
 * this per-sale record can, and it is written in the checkout transaction with the sale.
 */
export const migration: Migration = {
  version: 64,
  name: 'sale-stamps',
  up(db) {
    db.exec(`
      CREATE TABLE sale_stamp (
        sale_id TEXT NOT NULL REFERENCES sale (id),
        card_id TEXT NOT NULL,
        added INTEGER NOT NULL CHECK (added >= 0),
        rewards INTEGER NOT NULL CHECK (rewards >= 0),
        PRIMARY KEY (sale_id, card_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER sale_stamp_no_update BEFORE UPDATE ON sale_stamp BEGIN SELECT RAISE(ABORT, 'a sale is never edited'); END;
      CREATE TRIGGER sale_stamp_no_delete BEFORE DELETE ON sale_stamp BEGIN SELECT RAISE(ABORT, 'a sale is never deleted'); END;
    `);
  },
};
