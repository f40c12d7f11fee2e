import type { Migration } from '../types';

/**
 * The outbox without its UNIQUE index on event_id. Nothing looks an outbox row up by event id
 * (the sync client walks it by seq), and the id is already unique in ledger_event, whose seq the
 * outbox row references. Every ledger event wrote that index: one more B-tree page in the WAL,
 * written and fsync'd in each sale's commit.
 */
export const migration: Migration = {
  version: 8,
  name: 'outbox-lean',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_v8 (
        seq INTEGER PRIMARY KEY REFERENCES ledger_event (seq),
        event_id TEXT NOT NULL
      ) STRICT;
      INSERT INTO outbox_v8 (seq, event_id) SELECT seq, event_id FROM outbox ORDER BY seq;
      DROP TABLE outbox;
      ALTER TABLE outbox_v8 RENAME TO outbox;
    `);
  },
};
