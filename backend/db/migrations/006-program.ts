import type { Migration } from '../types';

/**
 * Every loyalty program version ever set, as validated JSON. The active one is the highest
 * version whose `active_from` is not in the future; sales record the version they used.
 */
export const migration: Migration = {
  version: 6,
  name: 'program',
  up(db) {
    db.exec(`
      CREATE TABLE program (
        version INTEGER PRIMARY KEY CHECK (version > 0),
        body TEXT NOT NULL CHECK (json_valid(body)),
        active_from TEXT NOT NULL,
        created_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE TRIGGER program_no_update BEFORE UPDATE ON program BEGIN SELECT RAISE(ABORT, 'program versions are kept as set: add a new version'); END;
      CREATE TRIGGER program_no_delete BEFORE DELETE ON program BEGIN SELECT RAISE(ABORT, 'program versions are kept as set: add a new version'); END;
    `);
  },
};
