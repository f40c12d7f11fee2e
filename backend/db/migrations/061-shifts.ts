import type { Migration } from '../types';

/**
 * Cash shifts. At most one shift is open (partial unique index). Every sale, refund and ledger
 * event inserted while a shift is open is stamped with that shift and the signed-in staff member
 * (or the manager acting for that transaction) by triggers, so the terminal core's checkout does not need to know about shifts to be counted,
 * and the Z report sums exactly what happened between open and close.
 * Z reports are stored once and never change.
 */
export const migration: Migration = {
  version: 61,
  name: 'shifts',
  up(db) {
    db.exec(`
      CREATE TABLE shift (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE CHECK (number >= 1),
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        opened_at TEXT NOT NULL,
        opened_by TEXT NOT NULL,
        opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
        closed_at TEXT,
        closed_by TEXT,
        counted_cash INTEGER CHECK (counted_cash IS NULL OR counted_cash >= 0),
        expected_cash INTEGER,
        over_short INTEGER,
        CHECK ((status = 'open') = (closed_at IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX shift_one_open ON shift(status) WHERE status = 'open';
      CREATE TRIGGER shift_closed_is_final BEFORE UPDATE ON shift WHEN OLD.status = 'closed'
        BEGIN SELECT RAISE(ABORT, 'a closed shift cannot change'); END;
      CREATE TRIGGER shift_no_delete BEFORE DELETE ON shift
        BEGIN SELECT RAISE(ABORT, 'shifts are never deleted'); END;

      CREATE TABLE cash_movement (
        id TEXT PRIMARY KEY,
        shift_id TEXT NOT NULL REFERENCES shift(id),
        kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        staff_id TEXT,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX cash_movement_shift ON cash_movement(shift_id);
      CREATE TRIGGER cash_movement_no_update BEFORE UPDATE ON cash_movement
        BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;
      CREATE TRIGGER cash_movement_no_delete BEFORE DELETE ON cash_movement
        BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;

      -- Attribution of the core's rows to a shift and a staff member (filled by triggers below).
      CREATE TABLE shift_sale (sale_id TEXT PRIMARY KEY, shift_id TEXT NOT NULL REFERENCES shift(id), staff_id TEXT);
      CREATE INDEX shift_sale_shift ON shift_sale(shift_id);
      CREATE TABLE shift_refund (refund_id TEXT PRIMARY KEY, shift_id TEXT NOT NULL REFERENCES shift(id), staff_id TEXT);
      CREATE INDEX shift_refund_shift ON shift_refund(shift_id);
      CREATE TABLE shift_event (event_seq INTEGER PRIMARY KEY, shift_id TEXT NOT NULL REFERENCES shift(id), staff_id TEXT);
      CREATE INDEX shift_event_shift ON shift_event(shift_id);

      CREATE TRIGGER shift_stamp_sale AFTER INSERT ON sale BEGIN
        INSERT INTO shift_sale (sale_id, shift_id, staff_id)
          SELECT NEW.id, s.id, COALESCE((SELECT staff_id FROM acting_staff WHERE id = 1), (SELECT staff_id FROM staff_session WHERE id = 1)) FROM shift s WHERE s.status = 'open';
      END;
      CREATE TRIGGER shift_stamp_refund AFTER INSERT ON refund BEGIN
        INSERT INTO shift_refund (refund_id, shift_id, staff_id)
          SELECT NEW.id, s.id, COALESCE((SELECT staff_id FROM acting_staff WHERE id = 1), (SELECT staff_id FROM staff_session WHERE id = 1)) FROM shift s WHERE s.status = 'open';
      END;
      CREATE TRIGGER shift_stamp_event AFTER INSERT ON ledger_event BEGIN
        INSERT INTO shift_event (event_seq, shift_id, staff_id)
          SELECT NEW.seq, s.id, COALESCE((SELECT staff_id FROM acting_staff WHERE id = 1), (SELECT staff_id FROM staff_session WHERE id = 1)) FROM shift s WHERE s.status = 'open';
      END;

      CREATE TABLE z_report (
        shift_id TEXT PRIMARY KEY REFERENCES shift(id),
        shift_number INTEGER NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        report TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER z_report_no_update BEFORE UPDATE ON z_report
        BEGIN SELECT RAISE(ABORT, 'a Z report is final'); END;
      CREATE TRIGGER z_report_no_delete BEFORE DELETE ON z_report
        BEGIN SELECT RAISE(ABORT, 'a Z report is final'); END;
    `);
  },
};
