import type { Database } from 'better-sqlite3';
import { asActor } from '../audit/audit';
import { authorize } from './authorize';
import type { Action } from './permissions';
import { pinFrom } from './pin-source';
import { staffCount, type Actor } from './staff';

/**
 * Runs a sensitive CLI command (refund, void, a program change) the way the counter UI does:
 * the PIN of someone allowed to do it is checked first, and the facts the audit triggers record
 * are attributed to that person rather than to whoever is signed in at the till.
 *
 * A till with no staff at all is being set up: there is nobody whose PIN could be asked for (the
 * first `staff add` needs none either), so the command runs unattributed. Once one staff member
 * exists, a PIN is always required.
 */
export function asAuthorised<T>(db: Database, pinFlag: string | undefined, action: Action, fn: (who: Actor | null) => T): T {
  if (staffCount(db) === 0) return fn(null);
  const who = authorize(db, pinFrom(pinFlag), action);
  return asActor(db, who.staffId, () => fn(who));
}
