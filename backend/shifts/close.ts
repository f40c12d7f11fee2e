import { createHash } from 'node:crypto';
import { assertMinor, MAX_AMOUNT_MINOR } from '../../core/money/money';
import { canonicalJson } from '../../core/util/canonical-json';
import { fail } from '../../core/util/errors';
import { recordAudit } from '../audit/audit';
import type { Db } from '../db/types';
import { computeShiftReport, expectedCash, type ShiftReport } from '../reports/shift-report';
import type { Actor } from '../staff/staff';
import { syncStatus } from '../sync/index';
import { checkTime, getShift, requireOpenShift, type Shift } from './shift';

/** A stored Z report: the shift's report at close, plus how many ledger events were still unsynced. */
export type ZReport = Readonly<{ report: ShiftReport; unsyncedEvents: number; hash: string; createdAt: string }>;

/** Ledger events the sync client has not had acknowledged by the server yet (outbox rows past the acked seq). */
export function unsyncedEventCount(db: Db): number {
  return syncStatus(db).pending;
}

export function xReport(db: Db, at = new Date().toISOString()): ShiftReport {
  const shift = requireOpenShift(db);
  return computeShiftReport(db, shift.id, at);
}

export type CloseShiftInput = Readonly<{ countedCash: number; note?: string; at?: string }>;

/**
 * Close the open shift: record counted vs expected cash, store the Z report (never changed
 * afterwards) and audit the close, all in one transaction. Unsynced events do not block the
 * close (a café must be able to close offline) but are recorded on the Z report; callers warn
 * and offer to sync before calling this.
 */
export function closeShift(db: Db, actor: Actor, input: CloseShiftInput): { shift: Shift; z: ZReport } {
  assertMinor(input.countedCash, 'Counted cash');
  if (input.countedCash < 0 || input.countedCash > MAX_AMOUNT_MINOR) fail('VALIDATION', 'Counted cash must be between 0 and 10 000 000 ₽');
  const note = (input.note ?? '').trim();
  if (note.length > 500) fail('VALIDATION', 'Keep the closing note under 500 characters');
  const at = checkTime(input.at);
  return db.transaction(() => {
    const open = requireOpenShift(db);
    if (Date.parse(at) < Date.parse(open.openedAt)) fail('VALIDATION', 'The closing time is before the shift was opened');
    const expected = expectedCash(db, open.id);
    const overShort = input.countedCash - expected;
    db.prepare(
      "UPDATE shift SET status = 'closed', closed_at = ?, closed_by = ?, counted_cash = ?, expected_cash = ?, over_short = ? WHERE id = ? AND status = 'open'",
    ).run(at, actor.staffId, input.countedCash, expected, overShort, open.id);
    const report = computeShiftReport(db, open.id, at);
    const unsyncedEvents = unsyncedEventCount(db);
    const body = { report, unsyncedEvents };
    const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    db.prepare('INSERT INTO z_report (shift_id, shift_number, created_at, report, hash) VALUES (?, ?, ?, ?, ?)').run(
      open.id,
      open.number,
      at,
      canonicalJson(body),
      hash,
    );
    recordAudit(db, {
      actor: { staffId: actor.staffId, role: actor.role },
      action: 'shift.close',
      subjectType: 'shift',
      subjectId: open.id,
      ...(note ? { reason: note } : {}),
      details: { number: open.number, expected, counted: input.countedCash, overShort, unsyncedEvents, zHash: hash },
      at,
    });
    return { shift: getShift(db, open.id), z: { report, unsyncedEvents, hash, createdAt: at } };
  })();
}

export function getZReport(db: Db, shiftIdOrNumber: string | number): ZReport {
  const row = (typeof shiftIdOrNumber === 'number'
    ? db.prepare('SELECT * FROM z_report WHERE shift_number = ?').get(shiftIdOrNumber)
    : db.prepare('SELECT * FROM z_report WHERE shift_id = ?').get(shiftIdOrNumber)) as
    | { report: string; hash: string; created_at: string }
    | undefined;
  if (!row) fail('NOT_FOUND', `No Z report for shift ${shiftIdOrNumber}: the shift is still open or does not exist`);
  const body = JSON.parse(row.report) as { report: ShiftReport; unsyncedEvents: number };
  return { ...body, hash: row.hash, createdAt: row.created_at };
}

export function lastZReport(db: Db): ZReport | null {
  const row = db.prepare('SELECT shift_number FROM z_report ORDER BY shift_number DESC LIMIT 1').get() as { shift_number: number } | undefined;
  return row ? getZReport(db, row.shift_number) : null;
}
