import type { Migration } from '../types';

/** Terminal identity (`meta`) and manager-editable settings as JSON values keyed by a dotted name. */
export const migration: Migration = {
  version: 1,
  name: 'meta-settings',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
