import type { Migration } from '../types';

/**
 * Promo codes and gift certificates.
 * - A promo code's uses are rows in `promo_use` (one per sale), so the limit is a count, not a
 *   counter someone could forget to bump.
 * - A gift certificate is a liability: its balance is Σ `gift_certificate_move.amount` (issue +,
 *   spend −), moves are append-only like the ledger.
 */
export const migration: Migration = {
  version: 21,
  name: 'promo-gift',
  up(db) {
    db.exec(`
      CREATE TABLE promo_code (
        code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 3 AND 32 AND code NOT GLOB '*[^A-Z0-9_-]*'),
        kind TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
        value INTEGER NOT NULL CHECK (value > 0),
        scope TEXT NOT NULL DEFAULT '{"products":[],"categories":[]}' CHECK (json_valid(scope)),
        min_check INTEGER NOT NULL DEFAULT 0 CHECK (min_check >= 0),
        valid_from TEXT,
        valid_to TEXT,
        max_uses INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
        per_member INTEGER CHECK (per_member IS NULL OR per_member > 0),
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        CHECK (kind <> 'percent' OR value <= 10000)
      ) STRICT;

      CREATE TABLE promo_use (
        code TEXT NOT NULL REFERENCES promo_code (code),
        sale_id TEXT NOT NULL,
        member_id TEXT,
        used_at TEXT NOT NULL,
        PRIMARY KEY (code, sale_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX promo_use_member ON promo_use (code, member_id);

      CREATE TABLE gift_certificate (
        code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 4 AND 32),
        initial INTEGER NOT NULL CHECK (initial > 0),
        currency TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        expires_at TEXT,
        sale_id TEXT,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'void')),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE gift_certificate_move (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL REFERENCES gift_certificate (code),
        sale_id TEXT,
        amount INTEGER NOT NULL CHECK (amount <> 0),
        reason TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX gift_certificate_move_code ON gift_certificate_move (code);
      CREATE TRIGGER gift_certificate_move_no_update BEFORE UPDATE ON gift_certificate_move
      BEGIN SELECT RAISE(ABORT, 'gift certificate moves are append-only'); END;
      CREATE TRIGGER gift_certificate_move_no_delete BEFORE DELETE ON gift_certificate_move
      BEGIN SELECT RAISE(ABORT, 'gift certificate moves are append-only'); END;
    `);
  },
};
