import type { Migration } from '../types';

/**
 * The chain's tier, stamp cards and pending points as last pulled (server/projections.ts), next
 * to the balance they go with: `pending` is what the server counted as not yet spendable at the
 * pull; `loyalty` is the projection (JSON, with the local seq it includes) that
 * backend/sync/chain-loyalty.ts combines with this till's own later sales.
 */
export const migration: Migration = {
  version: 81,
  name: 'chain-loyalty',
  up(db) {
    db.exec(`
      ALTER TABLE sync_member_snapshot ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending >= 0);
      ALTER TABLE sync_member_snapshot ADD COLUMN loyalty TEXT CHECK (loyalty IS NULL OR json_valid(loyalty));
    `);
  },
};
