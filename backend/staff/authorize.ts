import type { Database } from 'better-sqlite3';
import { DateTime } from 'luxon';
import { getSetting } from '../db/settings';
import { fail, KopilkaError } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import { recordAudit } from '../audit/audit';
import { roleAllows, minimumRole, type Action } from './permissions';
import { verifyPin } from './pin';
import { activeStaffWithHashes, type Actor } from './staff';

const log = createLogger('staff');

/** Lockout policy: every 5th consecutive wrong PIN locks entry, 5 minutes longer each time, up to an hour. */
export const LOCKOUT = { threshold: 5, baseMinutes: 5, maxMinutes: 60 } as const;
/** Lockout scope for PIN-only entry (we cannot tell whose PIN was mistyped, so the keypad locks). */
export const ANY_STAFF = '*';

type AttemptRow = { scope: string; failures: number; locked_until: string | null };

function attempt(db: Database, scope: string): AttemptRow {
  return (db.prepare('SELECT scope, failures, locked_until FROM pin_attempt WHERE scope = ?').get(scope) as AttemptRow | undefined) ?? {
    scope,
    failures: 0,
    locked_until: null,
  };
}

export function lockedUntil(db: Database, scope: string, at: string): string | null {
  const a = attempt(db, scope);
  return a.locked_until && a.locked_until > at ? a.locked_until : null;
}

function recordFailure(db: Database, scope: string, at: string): string | null {
  const a = attempt(db, scope);
  const failures = a.failures + 1;
  let until: string | null = null;
  if (failures % LOCKOUT.threshold === 0) {
    const minutes = Math.min(LOCKOUT.baseMinutes * (failures / LOCKOUT.threshold), LOCKOUT.maxMinutes);
    until = new Date(Date.parse(at) + minutes * 60_000).toISOString();
  }
  db.prepare(
    `INSERT INTO pin_attempt (scope, failures, locked_until, last_failure_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures, locked_until = COALESCE(excluded.locked_until, pin_attempt.locked_until), last_failure_at = excluded.last_failure_at`,
  ).run(scope, failures, until, at);
  return until;
}

function formatLock(db: Database, until: string): string {
  const zone = getSetting<string>(db, 'shop.timezone');
  const local = DateTime.fromISO(until, { zone: 'utc' }).setZone(zone);
  const when = local.isValid ? local.toFormat('HH:mm') : until.slice(11, 16) + ' UTC';
  return `PIN entry is locked after too many wrong PINs. Try again after ${when} or ask an owner`;
}

export type AuthorizeOptions = Readonly<{
  /** When the person picked their name first: lockout then applies to them alone. */
  staffId?: string;
  at?: string;
}>;

/**
 * Check a PIN and that its owner's role allows `action`. Wrong PINs count towards a lockout
 * (persisted, so restarting the app does not reset it); while locked even the right PIN is
 * refused without being checked. Failures, lockouts and refusals are audited; the failure
 * counters are committed even though the caller sees an error.
 */
export function authorize(db: Database, pin: string, action: Action, opts: AuthorizeOptions = {}): Actor {
  const at = opts.at ?? new Date().toISOString();
  const scope = opts.staffId ?? ANY_STAFF;
  const locked = lockedUntil(db, scope, at);
  if (locked) throw new KopilkaError('LOCKED', formatLock(db, locked), { lockedUntil: locked });

  // Whoever is signed in at the till is the likeliest to type a PIN: check them first (each check is one scrypt run).
  const signedIn = db.prepare('SELECT staff_id FROM staff_session WHERE id = 1').pluck().get() as string | undefined;
  const candidates = activeStaffWithHashes(db)
    .filter((s) => opts.staffId === undefined || s.id === opts.staffId)
    .sort((a, b) => Number(b.id === signedIn) - Number(a.id === signedIn));
  // A malformed PIN still counts as a failed attempt: a wedge scanner or a fat finger looks the same as a guess.
  const who = /^\d{4,8}$/.test(pin) ? candidates.find((s) => verifyPin(pin, s.pinHash)) : undefined;
  if (!who) {
    const until = db.transaction(() => {
      const u = recordFailure(db, scope, at);
      recordAudit(db, {
        actor: { staffId: opts.staffId ?? null, role: null },
        action: u ? 'auth.locked' : 'auth.failed',
        details: { scope, attemptedAction: action, ...(u ? { lockedUntil: u } : {}) },
        at,
      });
      return u;
    })();
    if (until) {
      log.warn(`PIN entry locked for scope ${scope} until ${until}`);
      throw new KopilkaError('LOCKED', formatLock(db, until), { lockedUntil: until });
    }
    fail('UNAUTHENTICATED', 'Wrong PIN. Check it and try again');
  }
  db.transaction(() => {
    db.prepare('DELETE FROM pin_attempt WHERE scope IN (?, ?)').run(scope, who.id);
  })();
  if (!roleAllows(who.role, action)) {
    recordAudit(db, { actor: { staffId: who.id, role: who.role }, action: 'auth.denied', details: { attemptedAction: action }, at });
    fail('FORBIDDEN', `${who.name} (${who.role}) may not do this: it needs a ${minimumRole(action)} PIN`);
  }
  return { staffId: who.id, name: who.name, role: who.role };
}
