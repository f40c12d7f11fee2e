import type { Handlers } from '../../../core/contract';
import { fail } from '../../../core/util/errors';
import { adjustPoints } from '../../audit/adjust-points';
import { listAudit, verifyAuditChain } from '../../audit/audit';
import { eraseMember, exportMember, consentHistory, setConsent } from '../../privacy/privacy';
import { analyticsCsv, defaultPeriod, loyaltyAnalytics, type Period } from '../../reports/loyalty-analytics';
import { closeShift, getZReport, unsyncedEventCount, xReport } from '../../shifts/close';
import { currentShift, listShifts, openShift, recordCashMovement } from '../../shifts/shift';
import { roleAllows, type Action } from '../../staff/permissions';
import { addStaff, deactivateStaff, listStaff, setSession, type Actor } from '../../staff/staff';
import type { ApiDeps } from '../deps';

type ManagerChannel =
  | 'shift.current' | 'shift.open' | 'shift.cash' | 'shift.close' | 'shift.list'
  | 'report.z' | 'report.print' | 'report.loyalty' | 'report.csv'
  | 'staff.list' | 'staff.add' | 'staff.deactivate' | 'audit.list'
  | 'privacy.consents' | 'privacy.setConsent' | 'privacy.export' | 'privacy.erase' | 'points.adjust';

/** Shifts, reports, staff, audit and privacy over the manager session; each call checks the role for its action. */
export function managerHandlers(deps: ApiDeps): Pick<Handlers, ManagerChannel> {
  const { db } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const as = (session: string, action: Action): Actor => {
    const actor = deps.sessions.require(session);
    if (!roleAllows(actor.role, action)) fail('FORBIDDEN', `${actor.name} (${actor.role}) may not do this: ask an owner`);
    return actor;
  };
  // A period left out is the last twelve months in the shop's time zone (the screen opens that way).
  const periodOf = (from: string | undefined, to: string | undefined): Period => {
    if (from !== undefined && to !== undefined) return { from, to };
    const d = defaultPeriod(db, deps.now ? deps.now() : new Date());
    return { from: from ?? d.from, to: to ?? d.to };
  };
  const names = () => Object.fromEntries((db.prepare('SELECT id, name FROM staff').all() as { id: string; name: string }[]).map((s) => [s.id, s.name]));

  return {
    'shift.current': ({ session }) => {
      as(session, 'report.x');
      const shift = currentShift(db);
      return { shift, report: shift ? xReport(db, now()) : null, unsyncedEvents: unsyncedEventCount(db) };
    },
    'shift.open': ({ session, openingFloat }) => {
      const actor = as(session, 'shift.open');
      const s = openShift(db, actor, { openingFloat, at: now() });
      setSession(db, actor);
      return s;
    },
    'shift.cash': ({ session, kind, amount, reason }) => {
      const m = recordCashMovement(db, as(session, 'shift.cash'), { kind, amount, reason, at: now() });
      return { id: m.id, kind: m.kind, amount: m.amount, reason: m.reason, at: m.at };
    },
    'shift.close': async ({ session, countedCash, note, syncFirst }) => {
      const actor = as(session, 'shift.close');
      const notes: string[] = [];
      if (syncFirst && unsyncedEventCount(db) > 0) {
        try {
          const { syncNow } = await import('../../sync/index');
          const r = await syncNow(db);
          notes.push(`synced: ${r.acknowledged} acknowledged, ${r.pending} waiting`);
        } catch (err) {
          notes.push(`sync failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const { shift, z } = closeShift(db, actor, { countedCash, note, at: now() });
      return { shift, z, notes };
    },
    'shift.list': ({ session }) => {
      as(session, 'report.z');
      return listShifts(db, 60);
    },
    'report.z': ({ session, shift }) => {
      as(session, 'report.z');
      return getZReport(db, shift);
    },
    'report.print': async ({ session, kind, shift }) => {
      as(session, kind === 'x' ? 'report.x' : 'report.z');
      const { printX, printZ } = await import('../../printing/service');
      let number = shift;
      if (kind === 'z' && number === undefined) {
        number = (db.prepare('SELECT max(shift_number) FROM z_report').pluck().get() as number | null) ?? undefined;
        if (number === undefined) fail('NOT_FOUND', 'No shift has been closed yet');
      }
      const o = kind === 'x' ? await printX(db) : await printZ(db, number!);
      return { printed: o.printed, message: o.printed ? 'Printed' : o.result.message ?? 'The printer is not ready: the report waits in the queue' };
    },
    'report.loyalty': ({ session, from, to }) => {
      as(session, 'report.loyalty');
      return loyaltyAnalytics(db, periodOf(from, to), now());
    },
    'report.csv': ({ session, from, to, table }) => {
      as(session, 'report.loyalty');
      const p = periodOf(from, to);
      return { filename: `kopilka-${table}-${p.from}-${p.to}.csv`, csv: analyticsCsv(loyaltyAnalytics(db, p, now()), table) };
    },
    'staff.list': ({ session }) => {
      as(session, 'report.z');
      return listStaff(db);
    },
    'staff.add': ({ session, name, role, pin }) => addStaff(db, as(session, 'staff.manage'), { name, role, pin, at: now() }),
    'staff.deactivate': ({ session, id, reason }) => {
      deactivateStaff(db, as(session, 'staff.manage'), id, reason, now());
      return { ok: true as const };
    },
    'audit.list': ({ session, action, limit }) => {
      as(session, 'report.z');
      const n = names();
      const entries = listAudit(db, { ...(action ? { action } : {}), limit }).map((e) => ({
        seq: e.seq,
        at: e.at,
        staffId: e.staffId,
        staffName: e.staffId ? n[e.staffId] ?? null : null,
        staffRole: e.staffRole,
        action: e.action,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        reason: e.reason,
        details: { ...e.details },
      }));
      return { entries, chainIntact: verifyAuditChain(db) === null };
    },
    'privacy.consents': ({ session, memberId }) => {
      as(session, 'member.view_phone');
      return consentHistory(db, memberId);
    },
    'privacy.setConsent': ({ session, memberId, kind, granted }) => setConsent(db, as(session, 'member.enrol'), memberId, kind, granted, now()),
    'privacy.export': ({ session, memberId }) => {
      const data = exportMember(db, as(session, 'member.export'), memberId, now());
      return { filename: `kopilka-member-${memberId}.json`, json: JSON.stringify(data, null, 2) };
    },
    'privacy.erase': ({ session, memberId, reason }) => eraseMember(db, as(session, 'member.erase'), memberId, reason, now()),
    'points.adjust': ({ session, memberId, delta, reason }) => {
      const r = adjustPoints(db, as(session, 'points.adjust'), { memberId, delta, reason, at: now() });
      return { balance: r.balance, eventId: r.event.id };
    },
  };
}
