import type { Migration } from '../types';

/**
 * Members and their cards. The phone is stored in E.164 only; `phone_last4` is derived and
 * indexed for the "last four digits" lookup. Consents keep the time they were given or withdrawn.
 */
export const migration: Migration = {
  version: 2,
  name: 'members',
  up(db) {
    db.exec(`
      CREATE TABLE member (
        id TEXT PRIMARY KEY,
        phone TEXT UNIQUE CHECK (phone IS NULL OR phone GLOB '+[1-9]*'),
        phone_last4 TEXT GENERATED ALWAYS AS (substr(phone, -4)) VIRTUAL,
        name TEXT NOT NULL DEFAULT '',
        birthday TEXT CHECK (birthday IS NULL OR birthday GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        consent_pd INTEGER NOT NULL DEFAULT 0 CHECK (consent_pd IN (0, 1)),
        consent_pd_at TEXT,
        consent_marketing INTEGER NOT NULL DEFAULT 0 CHECK (consent_marketing IN (0, 1)),
        consent_marketing_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX member_phone_last4 ON member (phone_last4);

      CREATE TABLE member_card (
        code TEXT PRIMARY KEY,
        member_id TEXT NOT NULL REFERENCES member (id),
        kind TEXT NOT NULL CHECK (kind IN ('ean13', 'code128', 'qr')),
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX member_card_member ON member_card (member_id);
    `);
  },
};
