import type { Migration } from '../types';

/**
 * The counter's hottest read is "scan a card → show the member", on stores with a million
 * members. With a rowid table keyed by a text code, each point read walks two B-trees (the
 * key's index, then the row); WITHOUT ROWID keeps the row in the key's own B-tree, so a card
 * or a balance is one descent. The member's card list gets a covering index in display order,
 * so listing cards neither visits the table nor sorts.
 *
 * Both tables are rebuilt under their old names and columns; no table references them, so
 * dropping the old copies cannot break a foreign key.
 */
export const migration: Migration = {
  version: 7,
  name: 'member-lookup',
  up(db) {
    db.exec(`
      CREATE TABLE member_card_new (
        code TEXT PRIMARY KEY,
        member_id TEXT NOT NULL REFERENCES member (id),
        kind TEXT NOT NULL CHECK (kind IN ('ean13', 'code128', 'qr')),
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
        created_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO member_card_new (code, member_id, kind, status, created_at)
        SELECT code, member_id, kind, status, created_at FROM member_card ORDER BY code;
      DROP TABLE member_card;
      ALTER TABLE member_card_new RENAME TO member_card;
      CREATE INDEX member_card_member ON member_card (member_id, created_at, code, kind, status);

      CREATE TABLE member_balance_new (
        member_id TEXT PRIMARY KEY REFERENCES member (id),
        balance INTEGER NOT NULL,
        updated_seq INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO member_balance_new (member_id, balance, updated_seq)
        SELECT member_id, balance, updated_seq FROM member_balance ORDER BY member_id;
      DROP TABLE member_balance;
      ALTER TABLE member_balance_new RENAME TO member_balance;
    `);
  },
};
