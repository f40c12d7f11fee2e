import type { Migration } from '../types';

/**
 * The print queue: every receipt or report goes here first and stays `pending` until a printer
 * accepted it, so paper-out or a switched-off printer never loses a receipt (and printing never
 * touches the sale: a job holds the laid-out bytes and the model, not a reference to re-commit).
 */
export const migration: Migration = {
  version: 40,
  name: 'print-queue',
  up(db) {
    db.exec(`
      CREATE TABLE print_job (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'x_report', 'z_report', 'report', 'test')),
        ref TEXT,
        copy INTEGER NOT NULL DEFAULT 0 CHECK (copy IN (0, 1)),
        printer_uri TEXT NOT NULL,
        profile TEXT NOT NULL,
        model TEXT CHECK (model IS NULL OR json_valid(model)),
        bytes BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'printed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_fault TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        printed_at TEXT,
        CHECK ((state = 'printed') = (printed_at IS NOT NULL))
      ) STRICT;
      CREATE INDEX print_job_pending ON print_job (state, seq);
      CREATE INDEX print_job_ref ON print_job (kind, ref);
    `);
  },
};
