import type { Database } from 'better-sqlite3';
import { fail } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';
import { recordAudit } from '../audit/audit';
import { hashPin, verifyPin } from './pin';
import { isRole, type Role } from './permissions';

export type StaffMember = Readonly<{ id: string; name: string; role: Role; active: boolean; createdAt: string }>;
/** The staff member on whose authority something is done (result of `authorize`). */
export type Actor = Readonly<{ staffId: string; name: string; role: Role }>;

type Row = { id: string; name: string; role: string; pin_hash: string; active: number; created_at: string };

function toStaff(r: Row): StaffMember {
  if (!isRole(r.role)) fail('INTERNAL', `Unknown role ${r.role} stored for staff ${r.id}`);
  return { id: r.id, name: r.name, role: r.role, active: r.active === 1, createdAt: r.created_at };
}

export function staffCount(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM staff WHERE active = 1').get() as { n: number }).n;
}

export function listStaff(db: Database): StaffMember[] {
  return (db.prepare('SELECT * FROM staff ORDER BY active DESC, name, id').all() as Row[]).map(toStaff);
}

export function getStaff(db: Database, id: string): StaffMember {
  const r = db.prepare('SELECT * FROM staff WHERE id = ?').get(id) as Row | undefined;
  if (!r) fail('NOT_FOUND', `No staff member with id ${id}`);
  return toStaff(r);
}

/** Active staff rows with their hashes, for PIN checks. */
export function activeStaffWithHashes(db: Database): Array<StaffMember & { pinHash: string }> {
  return (db.prepare('SELECT * FROM staff WHERE active = 1 ORDER BY created_at, id').all() as Row[]).map((r) => ({
    ...toStaff(r),
    pinHash: r.pin_hash,
  }));
}

export type AddStaffInput = Readonly<{ name: string; role: string; pin: string; at?: string }>;

/**
 * Add a staff member. `by` is the owner authorising it; it may be null only for the very first
 * staff member on a fresh terminal, who must be an owner (someone has to be able to add the rest).
 */
export function addStaff(db: Database, by: Actor | null, input: AddStaffInput): StaffMember {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 80) fail('VALIDATION', 'Staff name must be 1 to 80 characters');
  if (!isRole(input.role)) fail('VALIDATION', `Role must be cashier, manager or owner (got "${input.role}")`);
  const role: Role = input.role;
  const pinHash = hashPin(input.pin);
  const at = input.at ?? new Date().toISOString();
  return db.transaction(() => {
    const existing = activeStaffWithHashes(db);
    if (by === null) {
      if (existing.length > 0) fail('UNAUTHENTICATED', 'Adding staff needs an owner PIN');
      if (role !== 'owner') fail('VALIDATION', 'The first staff member must be an owner');
    } else if (by.role !== 'owner') {
      fail('FORBIDDEN', 'Only an owner can add staff');
    }
    // PINs identify the person at PIN-only entry, so two people must never share one.
    if (existing.some((s) => verifyPin(input.pin, s.pinHash))) {
      fail('CONFLICT', 'That PIN is already used by another staff member; choose a different one');
    }
    const id = uuidv7();
    db.prepare('INSERT INTO staff (id, name, role, pin_hash, active, created_at) VALUES (?, ?, ?, ?, 1, ?)').run(id, name, role, pinHash, at);
    recordAudit(db, {
      actor: { staffId: by?.staffId ?? null, role: by?.role ?? null },
      action: 'staff.add',
      subjectType: 'staff',
      subjectId: id,
      details: { role },
      at,
    });
    return { id, name, role, active: true, createdAt: at };
  })();
}

export function deactivateStaff(db: Database, by: Actor, staffId: string, reason: string, at = new Date().toISOString()): void {
  if (by.role !== 'owner') fail('FORBIDDEN', 'Only an owner can deactivate staff');
  if (by.staffId === staffId) fail('VALIDATION', 'You cannot deactivate yourself; ask another owner');
  if (!reason.trim()) fail('VALIDATION', 'Give a reason for deactivating this staff member');
  db.transaction(() => {
    const r = db.prepare('UPDATE staff SET active = 0 WHERE id = ? AND active = 1').run(staffId);
    if (r.changes !== 1) fail('NOT_FOUND', 'No active staff member with that id');
    db.prepare('DELETE FROM staff_session WHERE staff_id = ?').run(staffId);
    recordAudit(db, { actor: { staffId: by.staffId, role: by.role }, action: 'staff.deactivate', subjectType: 'staff', subjectId: staffId, reason, at });
  })();
}

/** Make `actor` the staff member at the till: subsequent sales and ledger events are attributed to them. */
export function setSession(db: Database, actor: Actor, at = new Date().toISOString()): void {
  db.prepare('INSERT INTO staff_session (id, staff_id, since) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET staff_id = excluded.staff_id, since = excluded.since').run(
    actor.staffId,
    at,
  );
}

export function clearSession(db: Database): void {
  db.prepare('DELETE FROM staff_session').run();
}

export function currentSession(db: Database): Actor | null {
  const r = db.prepare('SELECT s.id, s.name, s.role FROM staff_session x JOIN staff s ON s.id = x.staff_id WHERE s.active = 1').get() as
    | { id: string; name: string; role: string }
    | undefined;
  if (!r || !isRole(r.role)) return null;
  return { staffId: r.id, name: r.name, role: r.role };
}
