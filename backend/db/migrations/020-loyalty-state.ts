import type { Migration } from '../types';

/**
 * Member state the loyalty rules keep between sales. The ledger stays the only record of points;
 * these tables hold what the rules need to judge the next sale:
 * - `loyalty_lot`: the policy fixed when points were earned (spendable from / expire at), keyed by
 *   the ledger event, so a later program never re-dates them (never retroactive);
 * - `loyalty_tier`: the level and its next review (downgrades wait for the review plus grace);
 * - `loyalty_stamp`: stamp-card progress;
 * - `loyalty_campaign_use`: per-member campaign usage, for usage limits;
 * - `loyalty_grant`: one-off bonuses given (birthday per year, welcome, referral, staff actions),
 *   the primary key makes "once" a database fact;
 * - `loyalty_referral`: who invited whom.
 */
export const migration: Migration = {
  version: 20,
  name: 'loyalty-state',
  up(db) {
    db.exec(`
      CREATE TABLE loyalty_lot (
        event_id TEXT PRIMARY KEY REFERENCES ledger_event (id),
        member_id TEXT NOT NULL REFERENCES member (id),
        available_at TEXT NOT NULL,
        expires_at TEXT,
        program_version INTEGER
      ) STRICT;
      CREATE INDEX loyalty_lot_member ON loyalty_lot (member_id);
      CREATE INDEX loyalty_lot_expiry ON loyalty_lot (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TRIGGER loyalty_lot_no_update BEFORE UPDATE ON loyalty_lot
      BEGIN SELECT RAISE(ABORT, 'a lot policy is fixed when the points are earned'); END;

      CREATE TABLE loyalty_tier (
        member_id TEXT PRIMARY KEY REFERENCES member (id),
        level_id TEXT NOT NULL,
        review_at TEXT NOT NULL,
        since TEXT NOT NULL,
        program_version INTEGER,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE loyalty_stamp (
        member_id TEXT NOT NULL REFERENCES member (id),
        card_id TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count >= 0),
        last_at TEXT,
        PRIMARY KEY (member_id, card_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE loyalty_campaign_use (
        member_id TEXT NOT NULL REFERENCES member (id),
        campaign_id TEXT NOT NULL,
        sale_id TEXT NOT NULL,
        used_at TEXT NOT NULL,
        PRIMARY KEY (member_id, campaign_id, sale_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE loyalty_grant (
        member_id TEXT NOT NULL REFERENCES member (id),
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        event_id TEXT NOT NULL REFERENCES ledger_event (id),
        sale_id TEXT,
        granted_at TEXT NOT NULL,
        PRIMARY KEY (member_id, kind, key)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE loyalty_referral (
        member_id TEXT PRIMARY KEY REFERENCES member (id),
        referrer_id TEXT NOT NULL REFERENCES member (id),
        created_at TEXT NOT NULL,
        CHECK (member_id <> referrer_id)
      ) STRICT;
    `);
  },
};
