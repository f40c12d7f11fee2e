import type { Migration } from '../types';

/**
 * Sync client state on the till (backend/sync):
 * - sync_credential: the one registration with a chain server (secret stays on this till);
 * - sync_state: how far the server acknowledged our ledger (seq + chain head), the batch in
 *   flight (persisted before sending so a crash resends the same batch id), the pull cursor;
 * - sync_member_snapshot: balances etc. as the server last reported them, with the local seq
 *   they include (display = snapshot + Σ our later deltas) and the offline allowance;
 * - sync_server_entry: server corrections to our events, as they flowed back;
 * - sync_program: chain program versions as pulled.
 */
export const migration: Migration = {
  version: 80,
  name: 'sync',
  up(db) {
    db.exec(`
      CREATE TABLE sync_credential (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        server_url TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        secret TEXT NOT NULL,
        shop_id TEXT NOT NULL,
        shop_name TEXT NOT NULL,
        registered_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
        acked_hash TEXT NOT NULL DEFAULT '',
        pending_batch_id TEXT,
        pending_from INTEGER,
        pending_to INTEGER,
        pending_client_time TEXT,
        cursor TEXT,
        policy TEXT CHECK (policy IS NULL OR json_valid(policy)),
        server_status TEXT,
        last_push_at TEXT,
        last_pull_at TEXT,
        last_error TEXT,
        last_error_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        clock_offset_ms INTEGER,
        clock_drift INTEGER NOT NULL DEFAULT 0 CHECK (clock_drift IN (0, 1))
      ) STRICT;
      INSERT INTO sync_state (id) VALUES (1);

      CREATE TABLE sync_member_snapshot (
        member_id TEXT PRIMARY KEY,
        balance INTEGER NOT NULL,
        held INTEGER NOT NULL,
        debt INTEGER NOT NULL,
        tier TEXT,
        stamps INTEGER NOT NULL,
        blocked INTEGER NOT NULL CHECK (blocked IN (0, 1)),
        offline_redeem_allowed INTEGER NOT NULL CHECK (offline_redeem_allowed IN (0, 1)),
        offline_allowance INTEGER NOT NULL CHECK (offline_allowance >= 0),
        version TEXT NOT NULL,
        as_of_seq INTEGER NOT NULL,
        pulled_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sync_server_entry (
        entry_id TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        delta INTEGER NOT NULL,
        ref_event_id TEXT,
        reason TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sync_server_entry_member ON sync_server_entry (member_id);

      CREATE TABLE sync_program (
        version INTEGER PRIMARY KEY,
        body TEXT NOT NULL CHECK (json_valid(body)),
        pulled_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
