import type { Db as Database } from '../db/types';
import { stmt } from '../db/statements';
import { expectedCash } from '../reports/shift-report';
import { assertMinor, formatMoney, MAX_AMOUNT_MINOR } from '../../core/money/money';
import { fail, missingCase } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';
import { recordAudit } from '../audit/audit';
import type { Actor } from '../staff/staff';

/**
 * A cash shift: opened with a float, cash paid in/out with a reason, closed with the counted
 * cash. Sales are only allowed while a shift is open (`requireOpenShift`, called by checkout).
 */
export type ShiftStatus = 'open' | 'closed';
export type Shift = Readonly<{
  id: string;
  number: number;
  status: ShiftStatus;
  openedAt: string;
  openedBy: string;
  openingFloat: number;
  closedAt: string | null;
  closedBy: string | null;
  countedCash: number | null;
  expectedCash: number | null;
  overShort: number | null;
}>;

type Row = {
  id: string;
  number: number;
  status: ShiftStatus;
  opened_at: string;
  opened_by: string;
  opening_float: number;
  closed_at: string | null;
  closed_by: string | null;
  counted_cash: number | null;
  expected_cash: number | null;
  over_short: number | null;
};

function toShift(r: Row): Shift {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    openingFloat: r.opening_float,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    countedCash: r.counted_cash,
    expectedCash: r.expected_cash,
    overShort: r.over_short,
  };
}

export function currentShift(db: Database): Shift | null {
  // On every sale and refund (requireOpenShift): a cached statement, not a prepare per call.
  const r = stmt(db, "SELECT * FROM shift WHERE status = 'open'").get() as Row | undefined;
  return r ? toShift(r) : null;
}

export function getShift(db: Database, idOrNumber: string | number): Shift {
  const r = (typeof idOrNumber === 'number'
    ? db.prepare('SELECT * FROM shift WHERE number = ?').get(idOrNumber)
    : db.prepare('SELECT * FROM shift WHERE id = ?').get(idOrNumber)) as Row | undefined;
  if (!r) fail('NOT_FOUND', `No shift ${idOrNumber}`);
  return toShift(r);
}

export function lastShift(db: Database): Shift | null {
  const r = db.prepare('SELECT * FROM shift ORDER BY number DESC LIMIT 1').get() as Row | undefined;
  return r ? toShift(r) : null;
}

export function listShifts(db: Database, limit = 50): Shift[] {
  return (db.prepare('SELECT * FROM shift ORDER BY number DESC LIMIT ?').all(limit) as Row[]).map(toShift);
}

/** A business time given by a caller (CLI --at, tests): must be a real ISO 8601 date-time. */
export function checkTime(at: string | undefined): string {
  const t = at ?? new Date().toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t) || Number.isNaN(Date.parse(t))) fail('VALIDATION', `"${t}" is not a date-time; use e.g. 2026-11-25T09:00:00+03:00`);
  return t;
}

/** The guard checkout calls before taking money: no open shift, no sale. */
export function requireOpenShift(db: Database): Shift {
  const s = currentShift(db);
  if (!s) fail('CONFLICT', 'No shift is open. Open a shift (with the cash float) before selling');
  return s;
}

export type OpenShiftInput = Readonly<{ openingFloat: number; at?: string }>;

export function openShift(db: Database, actor: Actor, input: OpenShiftInput): Shift {
  assertMinor(input.openingFloat, 'Cash float');
  if (input.openingFloat < 0 || input.openingFloat > MAX_AMOUNT_MINOR) fail('VALIDATION', 'The cash float must be between 0 and 10 000 000 ₽');
  const at = checkTime(input.at);
  return db.transaction(() => {
    const open = currentShift(db);
    if (open) fail('CONFLICT', `Shift №${open.number} is already open; close it first`);
    const number = (lastShift(db)?.number ?? 0) + 1;
    const id = uuidv7();
    db.prepare(
      "INSERT INTO shift (id, number, status, opened_at, opened_by, opening_float) VALUES (?, ?, 'open', ?, ?, ?)",
    ).run(id, number, at, actor.staffId, input.openingFloat);
    recordAudit(db, {
      actor: { staffId: actor.staffId, role: actor.role },
      action: 'shift.open',
      subjectType: 'shift',
      subjectId: id,
      details: { number, openingFloat: input.openingFloat },
      at,
    });
    return getShift(db, id);
  })();
}

export type CashMovementKind = 'in' | 'out';
export type CashMovement = Readonly<{ id: string; shiftId: string; kind: CashMovementKind; amount: number; reason: string; staffId: string | null; at: string }>;

export function listCashMovements(db: Database, shiftId: string): CashMovement[] {
  return (
    db.prepare('SELECT id, shift_id, kind, amount, reason, staff_id, at FROM cash_movement WHERE shift_id = ? ORDER BY at, id').all(shiftId) as Array<{
      id: string;
      shift_id: string;
      kind: CashMovementKind;
      amount: number;
      reason: string;
      staff_id: string | null;
      at: string;
    }>
  ).map((r) => ({ id: r.id, shiftId: r.shift_id, kind: r.kind, amount: r.amount, reason: r.reason, staffId: r.staff_id, at: r.at }));
}

export type CashMovementInput = Readonly<{ kind: CashMovementKind; amount: number; reason: string; at?: string }>;

/**
 * Pay cash in or out of the drawer. `expectedCash` is the drawer's expected content now; a
 * cash-out larger than that is refused (the drawer cannot hold less than nothing).
 */
export function recordCashMovement(
  db: Database,
  actor: Actor,
  input: CashMovementInput,
): CashMovement {
  assertMinor(input.amount, 'Amount');
  if (input.amount <= 0 || input.amount > MAX_AMOUNT_MINOR) fail('VALIDATION', 'The amount must be more than 0 and at most 10 000 000 ₽');
  const reason = input.reason.trim();
  if (!reason) fail('VALIDATION', 'Say why the cash goes in or out (e.g. "change from the bank", "paid the courier")');
  if (reason.length > 200) fail('VALIDATION', 'Keep the reason under 200 characters');
  const at = checkTime(input.at);
  return db.transaction(() => {
    const shift = requireOpenShift(db);
    if (input.kind === 'out') {
      const inDrawer = expectedCash(db, shift.id);
      if (input.amount > inDrawer) fail('VALIDATION', `The drawer should hold only ${formatMoney(inDrawer)}; you cannot take out more than that`, { expectedCash: inDrawer });
    }
    const id = uuidv7();
    db.prepare('INSERT INTO cash_movement (id, shift_id, kind, amount, reason, staff_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id,
      shift.id,
      input.kind,
      input.amount,
      reason,
      actor.staffId,
      at,
    );
    const action = input.kind === 'in' ? 'shift.cash_in' : input.kind === 'out' ? 'shift.cash_out' : missingCase(input.kind);
    recordAudit(db, {
      actor: { staffId: actor.staffId, role: actor.role },
      action,
      subjectType: 'shift',
      subjectId: shift.id,
      reason,
      details: { amount: input.amount, movementId: id },
      at,
    });
    return { id, shiftId: shift.id, kind: input.kind, amount: input.amount, reason, staffId: actor.staffId, at };
  })();
}

/**
 * Open a shift with nobody's PIN, for the demo store and test fixtures only (`openedBy` names
 * the reason). A real till opens shifts with `openShift` and a staff PIN. Does nothing when a
 * shift is already open.
 */
export function openUnattendedShift(db: Database, openedBy: 'demo' | 'test', at = new Date().toISOString()): Shift {
  return db.transaction(() => {
    const open = currentShift(db);
    if (open) return open;
    const number = (lastShift(db)?.number ?? 0) + 1;
    const id = uuidv7();
    db.prepare("INSERT INTO shift (id, number, status, opened_at, opened_by, opening_float) VALUES (?, ?, 'open', ?, ?, 0)").run(id, number, at, openedBy);
    recordAudit(db, { actor: { staffId: null, role: null }, action: 'shift.open', subjectType: 'shift', subjectId: id, details: { number, openingFloat: 0, unattended: openedBy }, at });
    return getShift(db, id);
  })();
}
