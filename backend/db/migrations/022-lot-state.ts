import type { Migration } from '../types';

/**
 * A member's open lots as of a ledger position, so checkout folds only the events since instead
 * of replaying the member's whole history on every sale (a regular's history only grows).
 * A projection, not a record: the ledger and `loyalty_lot` stay the truth, a row can be deleted
 * at any time and is rebuilt from them, and `through_seq` says which events it already holds.
 * `lots` is a JSON array of [eventId, seq, points, remaining, availableAt, expiresAt].
 * No foreign key to member: erasing a member's personal data must not depend on this cache.
 */
export const migration: Migration = {
  version: 22,
  name: 'lot-state',
  up(db) {
    db.exec(`
      CREATE TABLE loyalty_lot_state (
        member_id TEXT PRIMARY KEY,
        through_seq INTEGER NOT NULL CHECK (through_seq >= 0),
        debt INTEGER NOT NULL CHECK (debt >= 0),
        lots TEXT NOT NULL CHECK (json_valid(lots))
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
