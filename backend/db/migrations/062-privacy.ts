import type { Migration } from '../types';

/**
 * Privacy (152-FZ / GDPR): consents are an append-only history per member and kind, each entry
 * naming the version of the consent text shown; the latest entry per kind is the current state.
 * An erasure record keeps the fact (when, who, why) but no personal data.
 */
export const migration: Migration = {
  version: 62,
  name: 'privacy',
  up(db) {
    db.exec(`
      CREATE TABLE consent (
        seq INTEGER PRIMARY KEY,
        member_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('processing', 'marketing')),
        granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
        text_version TEXT NOT NULL CHECK (length(text_version) BETWEEN 1 AND 40),
        at TEXT NOT NULL,
        staff_id TEXT,
        source TEXT NOT NULL DEFAULT 'terminal'
      ) STRICT;
      CREATE INDEX consent_member ON consent(member_id, kind, seq);
      CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent
        BEGIN SELECT RAISE(ABORT, 'consents are append-only: record a withdrawal instead'); END;
      CREATE TRIGGER consent_no_delete BEFORE DELETE ON consent
        BEGIN SELECT RAISE(ABORT, 'consents are append-only: record a withdrawal instead'); END;

      CREATE TABLE member_erasure (
        member_id TEXT PRIMARY KEY,
        erased_at TEXT NOT NULL,
        staff_id TEXT,
        reason TEXT NOT NULL
      ) STRICT;
    `);
  },
};
