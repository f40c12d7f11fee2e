import type { Migration } from '../types';

/**
 * Shift attribution (migration 061) in fewer B-trees, so each sale's commit writes fewer pages:
 * - shift_sale WITHOUT ROWID keyed by sale_id (was a rowid table plus the key's own index);
 * - shift_event WITHOUT ROWID keyed by (shift_id, event_seq): the Z report reads a shift's events,
 *   which is a range of that key, so the separate shift_id index goes (nothing looks a row up
 *   by event_seq alone).
 * The stamping triggers are dropped and recreated unchanged around the rebuild (a rename
 * re-checks every trigger, and theirs name the tables being replaced).
 */
const STAFF = 'COALESCE((SELECT staff_id FROM acting_staff WHERE id = 1), (SELECT staff_id FROM staff_session WHERE id = 1))';

export const migration: Migration = {
  version: 65,
  name: 'shift-attribution-lean',
  up(db) {
    db.exec(`
      DROP TRIGGER shift_stamp_sale;
      DROP TRIGGER shift_stamp_event;

      CREATE TABLE shift_sale_v65 (sale_id TEXT NOT NULL PRIMARY KEY, shift_id TEXT NOT NULL REFERENCES shift(id), staff_id TEXT) WITHOUT ROWID;
      INSERT INTO shift_sale_v65 (sale_id, shift_id, staff_id) SELECT sale_id, shift_id, staff_id FROM shift_sale;
      DROP TABLE shift_sale;
      ALTER TABLE shift_sale_v65 RENAME TO shift_sale;
      CREATE INDEX shift_sale_shift ON shift_sale(shift_id);

      CREATE TABLE shift_event_v65 (
        shift_id TEXT NOT NULL REFERENCES shift(id),
        event_seq INTEGER NOT NULL,
        staff_id TEXT,
        PRIMARY KEY (shift_id, event_seq)
      ) WITHOUT ROWID;
      INSERT INTO shift_event_v65 (shift_id, event_seq, staff_id) SELECT shift_id, event_seq, staff_id FROM shift_event;
      DROP TABLE shift_event;
      ALTER TABLE shift_event_v65 RENAME TO shift_event;

      CREATE TRIGGER shift_stamp_sale AFTER INSERT ON sale BEGIN
        INSERT INTO shift_sale (sale_id, shift_id, staff_id)
          SELECT NEW.id, s.id, ${STAFF} FROM shift s WHERE s.status = 'open';
      END;
      CREATE TRIGGER shift_stamp_event AFTER INSERT ON ledger_event BEGIN
        INSERT INTO shift_event (event_seq, shift_id, staff_id)
          SELECT NEW.seq, s.id, ${STAFF} FROM shift s WHERE s.status = 'open';
      END;
    `);
  },
};
