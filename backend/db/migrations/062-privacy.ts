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

      -- The member row keeps the current state (consent_pd / consent_marketing); every change of it,
      -- from enrolment or later, lands here with the consent text version in force at that moment.
      CREATE TRIGGER consent_on_enrol AFTER INSERT ON member BEGIN
        INSERT INTO consent (member_id, kind, granted, text_version, at, staff_id)
          SELECT NEW.id, 'processing', NEW.consent_pd,
                 COALESCE((SELECT json_extract(value, '$') FROM settings WHERE key = 'privacy.processingTextVersion'), '1'),
                 COALESCE(NEW.consent_pd_at, NEW.created_at), (SELECT staff_id FROM staff_session WHERE id = 1);
        INSERT INTO consent (member_id, kind, granted, text_version, at, staff_id)
          SELECT NEW.id, 'marketing', NEW.consent_marketing,
                 COALESCE((SELECT json_extract(value, '$') FROM settings WHERE key = 'privacy.marketingTextVersion'), '1'),
                 COALESCE(NEW.consent_marketing_at, NEW.created_at), (SELECT staff_id FROM staff_session WHERE id = 1);
      END;
      CREATE TRIGGER consent_on_change_pd AFTER UPDATE OF consent_pd ON member WHEN NEW.consent_pd IS NOT OLD.consent_pd BEGIN
        INSERT INTO consent (member_id, kind, granted, text_version, at, staff_id)
          SELECT NEW.id, 'processing', NEW.consent_pd,
                 COALESCE((SELECT json_extract(value, '$') FROM settings WHERE key = 'privacy.processingTextVersion'), '1'),
                 COALESCE(NEW.consent_pd_at, NEW.updated_at), (SELECT staff_id FROM staff_session WHERE id = 1);
      END;
      CREATE TRIGGER consent_on_change_marketing AFTER UPDATE OF consent_marketing ON member WHEN NEW.consent_marketing IS NOT OLD.consent_marketing BEGIN
        INSERT INTO consent (member_id, kind, granted, text_version, at, staff_id)
          SELECT NEW.id, 'marketing', NEW.consent_marketing,
                 COALESCE((SELECT json_extract(value, '$') FROM settings WHERE key = 'privacy.marketingTextVersion'), '1'),
                 COALESCE(NEW.consent_marketing_at, NEW.updated_at), (SELECT staff_id FROM staff_session WHERE id = 1);
      END;

      CREATE TABLE member_erasure (
        member_id TEXT PRIMARY KEY,
        erased_at TEXT NOT NULL,
        staff_id TEXT,
        reason TEXT NOT NULL
      ) STRICT;
    `);
  },
};
