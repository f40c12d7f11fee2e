import type { Migration } from '../types';

/**
 * loyalty_lot keyed by its event id WITHOUT ROWID: with a text primary key on a rowid table each
 * lot policy was written twice (the table and the key's index), one B-tree page each in every
 * earning sale's commit. Same columns, checks, indexes and trigger as migration 020.
 */
export const migration: Migration = {
  version: 23,
  name: 'lot-policy-lean',
  up(db) {
    db.exec(`
      CREATE TABLE loyalty_lot_v23 (
        event_id TEXT PRIMARY KEY REFERENCES ledger_event (id),
        member_id TEXT NOT NULL REFERENCES member (id),
        available_at TEXT NOT NULL,
        expires_at TEXT,
        program_version INTEGER
      ) STRICT, WITHOUT ROWID;
      INSERT INTO loyalty_lot_v23 (event_id, member_id, available_at, expires_at, program_version)
        SELECT event_id, member_id, available_at, expires_at, program_version FROM loyalty_lot;
      DROP TABLE loyalty_lot;
      ALTER TABLE loyalty_lot_v23 RENAME TO loyalty_lot;
      CREATE INDEX loyalty_lot_member ON loyalty_lot (member_id);
      CREATE INDEX loyalty_lot_expiry ON loyalty_lot (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TRIGGER loyalty_lot_no_update BEFORE UPDATE ON loyalty_lot
      BEGIN SELECT RAISE(ABORT, 'a lot policy is fixed when the points are earned'); END;
    `);
  },
};
