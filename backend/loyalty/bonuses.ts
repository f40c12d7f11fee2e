import type { LedgerEvent } from '../../core/ledger/event';
import { plusDays } from '../../core/loyalty/calendar';
import type { Program } from '../../core/loyalty/program';
import { fail } from '../../core/util/errors';
import { appendEvents } from '../db/ledger';
import type { Db } from '../db/types';
import { messagesFor } from '../../core/loyalty/messages';
import { stmt } from '../db/statements';
import { loadActiveProgram } from './program-store';
import { recordLotPolicy } from './record';

/**
 * Bonuses given outside a sale: staff-recorded actions (left a review, posted about the shop)
 * with a per-member frequency cap, the welcome bonus at enrolment, and referral links.
 * Each is a `bonus` ledger event with payload.reason plus a `loyalty_grant` row.
 */
function memberExists(db: Db, memberId: string): void {
  if (!stmt(db, 'SELECT 1 FROM member WHERE id = ?').get(memberId)) fail('NOT_FOUND', `No member ${memberId}`);
}

function lotFor(program: Program, at: string) {
  return {
    availableAt: program.points.pendingDays > 0 ? plusDays(at, program.points.pendingDays, program.timezone) : at,
    expiresAt: program.points.expiryDays ? plusDays(at, program.points.expiryDays, program.timezone) : null,
  };
}

function grantBonus(db: Db, version: number | null, program: Program, memberId: string, kind: string, key: string, points: number, label: string, at: string, extra: Record<string, unknown> = {}): LedgerEvent {
  const [e] = appendEvents(db, [{ kind: 'bonus', memberId, delta: points, occurredAt: at, programVersion: version, payload: { reason: kind, key, label, ...extra } }]);
  stmt(db, 'INSERT INTO loyalty_grant (member_id, kind, key, event_id, sale_id, granted_at) VALUES (?, ?, ?, ?, NULL, ?)').run(memberId, kind, key, e!.id, at);
  recordLotPolicy(db, e!, lotFor(program, at));
  return e!;
}

export type ActionResult = Readonly<{ event: LedgerEvent; usedInPeriod: number; maxPerPeriod: number }>;

/** A staff member records that the member did something the program rewards. */
export function recordAction(db: Db, memberId: string, actionId: string, at: string, staff = ''): ActionResult {
  return db.transaction((): ActionResult => {
    memberExists(db, memberId);
    const { version, program } = loadActiveProgram(db, at);
    const action = program.bonuses.actions.find((a) => a.id === actionId);
    if (!action) fail('NOT_FOUND', `The program has no action "${actionId}"; known: ${program.bonuses.actions.map((a) => a.id).join(', ') || 'none'}`);
    const since = plusDays(at, -action.periodDays, program.timezone);
    const used = stmt(db, 'SELECT count(*) FROM loyalty_grant WHERE member_id = ? AND kind = ? AND julianday(granted_at) > julianday(?) AND julianday(granted_at) <= julianday(?)')
      .pluck()
      .get(memberId, `action.${action.id}`, since, at) as number;
    if (used >= action.maxPerPeriod) {
      fail('LIMIT_EXCEEDED', `"${action.name}" was already rewarded ${used} time(s) in the last ${action.periodDays} days (limit ${action.maxPerPeriod})`, { used, max: action.maxPerPeriod });
    }
    const key = `${at}#${used + 1}`;
    const event = grantBonus(db, version, program, memberId, `action.${action.id}`, key, action.points, action.name, at, { staff });
    return { event, usedInPeriod: used + 1, maxPerPeriod: action.maxPerPeriod };
  }).immediate();
}

/** Welcome bonus at enrolment (programs that give it "after the first purchase" leave it to checkout). */
export function onMemberEnrolled(db: Db, memberId: string, at: string): LedgerEvent | null {
  const { version, program } = loadActiveProgram(db, at);
  const w = program.bonuses.welcome;
  if (!w || w.afterFirstPurchase) return null;
  if (stmt(db, "SELECT 1 FROM loyalty_grant WHERE member_id = ? AND kind = 'welcome'").get(memberId)) return null;
  const run = () => grantBonus(db, version, program, memberId, 'welcome', '', w.points, messagesFor(program.locale).welcome, at);
  return db.inTransaction ? run() : db.transaction(run).immediate();
}

/** Link a new member to the member who invited them; the bonuses come with the first purchase. */
export function setReferrer(db: Db, memberId: string, referrerId: string, at: string): void {
  db.transaction(() => {
    memberExists(db, memberId);
    memberExists(db, referrerId);
    if (memberId === referrerId) fail('VALIDATION', 'A member cannot refer themselves');
    if (stmt(db, 'SELECT 1 FROM loyalty_referral WHERE member_id = ?').get(memberId)) fail('CONFLICT', 'This member already has a referrer');
    if ((stmt(db, 'SELECT count(*) FROM sale WHERE member_id = ?').pluck().get(memberId) as number) > 0) {
      fail('VALIDATION', 'Referrals are for new members: this member has already bought something');
    }
    stmt(db, 'INSERT INTO loyalty_referral (member_id, referrer_id, created_at) VALUES (?, ?, ?)').run(memberId, referrerId, at);
  }).immediate();
}
