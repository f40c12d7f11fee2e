import type { Migration } from '../types';

/**
 * Staff with roles and scrypt-hashed PINs, the PIN-attempt counters that drive lockout, the
 * terminal's signed-in staff member (who sales and ledger events are attributed to), and the
 * append-only, hash-chained audit log of sensitive actions.
 */
export const migration: Migration = {
  version: 60,
  name: 'staff-audit',
  up(db) {
    db.exec(`
      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        role TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'owner')),
        pin_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;

      -- One row per lockout scope: a staff id, or '*' for PIN-only entry where we cannot tell who typed it.
      CREATE TABLE pin_attempt (
        scope TEXT PRIMARY KEY,
        failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
        locked_until TEXT,
        last_failure_at TEXT
      ) STRICT;

      -- Who is at the till right now (at most one row). Sales and ledger events are stamped with it.
      CREATE TABLE staff_session (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        staff_id TEXT NOT NULL REFERENCES staff(id),
        since TEXT NOT NULL
      ) STRICT;

      -- A manager authorising one operation (a refund, an adjustment) for its transaction only;
      -- facts written meanwhile are attributed to them rather than to the signed-in cashier.
      CREATE TABLE acting_staff (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        staff_id TEXT NOT NULL REFERENCES staff(id)
      ) STRICT;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        staff_id TEXT,
        staff_role TEXT,
        action TEXT NOT NULL,
        subject_type TEXT,
        subject_id TEXT,
        reason TEXT,
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_action ON audit_log(action, seq);
      CREATE INDEX audit_log_subject ON audit_log(subject_type, subject_id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
