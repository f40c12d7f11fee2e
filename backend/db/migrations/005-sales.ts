import type { Migration } from '../types';

/**
 * Sales, their lines and payments, refunds and refunded lines. Amounts are minor units, points
 * integers. Per-line `points_paid`/`points_redeemed`/`earned` keep what the quote attributed to
 * each line so refunds can claw back and restore in proportion without re-running the rules.
 */
export const migration: Migration = {
  version: 5,
  name: 'sales',
  up(db) {
    db.exec(`
      CREATE TABLE sale (
        id TEXT PRIMARY KEY,
        receipt_no INTEGER NOT NULL UNIQUE CHECK (receipt_no > 0),
        terminal_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        member_id TEXT REFERENCES member (id),
        currency TEXT NOT NULL,
        subtotal INTEGER NOT NULL CHECK (subtotal >= 0),
        discount INTEGER NOT NULL CHECK (discount >= 0),
        total INTEGER NOT NULL CHECK (total >= 0),
        redeem_points INTEGER NOT NULL CHECK (redeem_points >= 0),
        redeem_value INTEGER NOT NULL CHECK (redeem_value >= 0),
        to_pay INTEGER NOT NULL CHECK (to_pay >= 0),
        earn_points INTEGER NOT NULL CHECK (earn_points >= 0),
        program_version INTEGER,
        effects TEXT NOT NULL CHECK (json_valid(effects)),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sale_member ON sale (member_id) WHERE member_id IS NOT NULL;
      CREATE INDEX sale_occurred ON sale (occurred_at);

      CREATE TABLE sale_line (
        sale_id TEXT NOT NULL REFERENCES sale (id),
        line_no INTEGER NOT NULL CHECK (line_no > 0),
        product_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        qty INTEGER NOT NULL CHECK (qty > 0),
        unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        discount INTEGER NOT NULL CHECK (discount >= 0),
        points_paid INTEGER NOT NULL CHECK (points_paid >= 0),
        points_redeemed INTEGER NOT NULL CHECK (points_redeemed >= 0),
        earned INTEGER NOT NULL CHECK (earned >= 0),
        earns_points INTEGER NOT NULL CHECK (earns_points IN (0, 1)),
        payable_with_points INTEGER NOT NULL CHECK (payable_with_points IN (0, 1)),
        PRIMARY KEY (sale_id, line_no)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE payment (
        id INTEGER PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sale (id),
        method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'points', 'gift')),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        tendered INTEGER CHECK (tendered IS NULL OR tendered >= 0),
        change INTEGER CHECK (change IS NULL OR change >= 0)
      ) STRICT;
      CREATE INDEX payment_sale ON payment (sale_id);

      CREATE TABLE refund (
        id TEXT PRIMARY KEY,
        refund_no INTEGER NOT NULL UNIQUE CHECK (refund_no > 0),
        sale_id TEXT NOT NULL REFERENCES sale (id),
        kind TEXT NOT NULL CHECK (kind IN ('refund', 'void')),
        occurred_at TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 0),
        cash_amount INTEGER NOT NULL CHECK (cash_amount >= 0),
        card_amount INTEGER NOT NULL CHECK (card_amount >= 0),
        points_clawed INTEGER NOT NULL CHECK (points_clawed >= 0),
        points_restored INTEGER NOT NULL CHECK (points_restored >= 0),
        reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX refund_sale ON refund (sale_id);

      CREATE TABLE refund_line (
        refund_id TEXT NOT NULL REFERENCES refund (id),
        sale_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        qty INTEGER NOT NULL CHECK (qty > 0),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        points_clawed INTEGER NOT NULL CHECK (points_clawed >= 0),
        points_restored INTEGER NOT NULL CHECK (points_restored >= 0),
        PRIMARY KEY (refund_id, line_no),
        FOREIGN KEY (sale_id, line_no) REFERENCES sale_line (sale_id, line_no)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX refund_line_sale ON refund_line (sale_id, line_no);

      -- Sales and refunds are facts like ledger rows: never rewritten.
      CREATE TRIGGER sale_no_update BEFORE UPDATE ON sale BEGIN SELECT RAISE(ABORT, 'a sale is never edited: refund it instead'); END;
      CREATE TRIGGER sale_no_delete BEFORE DELETE ON sale BEGIN SELECT RAISE(ABORT, 'a sale is never deleted: refund it instead'); END;
      CREATE TRIGGER sale_line_no_update BEFORE UPDATE ON sale_line BEGIN SELECT RAISE(ABORT, 'a sale is never edited: refund it instead'); END;
      CREATE TRIGGER sale_line_no_delete BEFORE DELETE ON sale_line BEGIN SELECT RAISE(ABORT, 'a sale is never deleted: refund it instead'); END;
      CREATE TRIGGER refund_no_update BEFORE UPDATE ON refund BEGIN SELECT RAISE(ABORT, 'a refund is never edited'); END;
      CREATE TRIGGER refund_no_delete BEFORE DELETE ON refund BEGIN SELECT RAISE(ABORT, 'a refund is never deleted'); END;
    `);
  },
};
