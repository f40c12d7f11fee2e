import type { Migration } from '../types';

/**
 * The append-only ledger, its balance cache and the sync outbox.
 * - `seq` is the gap-free terminal sequence (assigned by backend/db/ledger.ts, never AUTOINCREMENT
 *   so a rolled-back transaction cannot leave a hole).
 * - UPDATE and DELETE are refused by triggers: corrections are new events.
 * - `member_balance` is a cache of Σ delta per member, written in the same transaction as the event.
 * - `outbox` lists events the sync client has not had acknowledged yet.
 */
export const migration: Migration = {
  version: 4,
  name: 'ledger',
  up(db) {
    db.exec(`
      CREATE TABLE ledger_event (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        terminal_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        member_id TEXT REFERENCES member (id),
        delta INTEGER NOT NULL,
        sale_id TEXT,
        ref_event_id TEXT,
        occurred_at TEXT NOT NULL,
        program_version INTEGER,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ledger_event_member ON ledger_event (member_id, seq) WHERE member_id IS NOT NULL;
      CREATE INDEX ledger_event_sale ON ledger_event (sale_id) WHERE sale_id IS NOT NULL;
      CREATE INDEX ledger_event_ref ON ledger_event (ref_event_id) WHERE ref_event_id IS NOT NULL;

      CREATE TRIGGER ledger_event_no_update BEFORE UPDATE ON ledger_event
      BEGIN SELECT RAISE(ABORT, 'ledger_event is append-only: record a correcting event instead'); END;
      CREATE TRIGGER ledger_event_no_delete BEFORE DELETE ON ledger_event
      BEGIN SELECT RAISE(ABORT, 'ledger_event is append-only: record a correcting event instead'); END;

      CREATE TABLE member_balance (
        member_id TEXT PRIMARY KEY REFERENCES member (id),
        balance INTEGER NOT NULL,
        updated_seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY REFERENCES ledger_event (seq),
        event_id TEXT NOT NULL UNIQUE
      ) STRICT;
    `);
  },
};
