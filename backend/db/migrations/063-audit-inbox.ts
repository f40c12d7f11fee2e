import type { Migration } from '../types';

/**
 * Sensitive facts written by other areas' code (refunds, voids, manual point adjustments, large
 * redemptions, program changes) are caught by triggers into `audit_inbox` in the same
 * transaction, whoever wrote them (CLI, UI, sync). The audit module moves them into the
 * hash-chained `audit_log` (hashing needs JS) before it appends or lists anything, so no such
 * fact can escape the audit log by taking a code path that forgot to call it.
 *
 * The actor is `acting_staff` (migration 060; set by a manager-authorised operation for its
 * transaction) or else the staff member signed in at the till.
 */
export const migration: Migration = {
  version: 63,
  name: 'audit-inbox',
  up(db) {
    const actor = `COALESCE((SELECT staff_id FROM acting_staff WHERE id = 1), (SELECT staff_id FROM staff_session WHERE id = 1))`;
    const role = `(SELECT role FROM staff WHERE id = ${actor})`;
    db.exec(`
      CREATE TABLE audit_inbox (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        staff_id TEXT,
        staff_role TEXT,
        action TEXT NOT NULL,
        subject_type TEXT,
        subject_id TEXT,
        reason TEXT,
        details TEXT NOT NULL CHECK (json_valid(details))
      ) STRICT;

      CREATE TRIGGER audit_refund AFTER INSERT ON refund BEGIN
        INSERT INTO audit_inbox (at, staff_id, staff_role, action, subject_type, subject_id, reason, details)
        VALUES (NEW.occurred_at, ${actor}, ${role}, NEW.kind, 'refund', NEW.id, NULLIF(NEW.reason, ''),
                json_object('saleId', NEW.sale_id, 'refundNo', NEW.refund_no, 'amount', NEW.amount, 'cash', NEW.cash_amount,
                            'card', NEW.card_amount, 'pointsClawed', NEW.points_clawed, 'pointsRestored', NEW.points_restored));
      END;

      CREATE TRIGGER audit_adjust AFTER INSERT ON ledger_event WHEN NEW.kind = 'adjust' BEGIN
        INSERT INTO audit_inbox (at, staff_id, staff_role, action, subject_type, subject_id, reason, details)
        VALUES (NEW.occurred_at, ${actor}, ${role}, 'points.adjust', 'member', NEW.member_id,
                json_extract(NEW.payload, '$.reason'), json_object('eventId', NEW.id, 'seq', NEW.seq, 'delta', NEW.delta));
      END;

      CREATE TRIGGER audit_large_redeem AFTER INSERT ON ledger_event
      WHEN NEW.kind = 'redeem'
        AND -NEW.delta >= COALESCE((SELECT json_extract(value, '$') FROM settings WHERE key = 'audit.largeRedeemPoints'), 1000)
      BEGIN
        INSERT INTO audit_inbox (at, staff_id, staff_role, action, subject_type, subject_id, reason, details)
        VALUES (NEW.occurred_at, ${actor}, ${role}, 'redeem.large', 'member', NEW.member_id, NULL,
                json_object('eventId', NEW.id, 'seq', NEW.seq, 'points', -NEW.delta, 'saleId', NEW.sale_id));
      END;

      CREATE TRIGGER audit_program AFTER INSERT ON program BEGIN
        INSERT INTO audit_inbox (at, staff_id, staff_role, action, subject_type, subject_id, reason, details)
        VALUES (NEW.created_at, ${actor}, ${role}, 'program.change', 'program', CAST(NEW.version AS TEXT), NULLIF(NEW.note, ''),
                json_object('version', NEW.version, 'activeFrom', NEW.active_from));
      END;
    `);
  },
};
