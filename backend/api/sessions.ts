import { randomBytes } from 'node:crypto';
import { fail } from '../../core/util/errors';
import type { Actor } from '../staff/staff';

/**
 * Manager sessions opened by a PIN in the UI. Kept in memory on purpose: restarting the app
 * logs the manager out, and a token never outlives the process that issued it. Idle sessions
 * end after `idleMs` (a manager walking away from the till).
 */
export type SessionRegistry = Readonly<{
  open(actor: Actor): { token: string; expiresAt: string };
  require(token: string): Actor;
  close(token: string): void;
}>;

export function createSessionRegistry(idleMs = 15 * 60_000, now: () => number = Date.now): SessionRegistry {
  const sessions = new Map<string, { actor: Actor; expires: number }>();
  return {
    open(actor) {
      const token = randomBytes(24).toString('hex');
      const expires = now() + idleMs;
      sessions.set(token, { actor, expires });
      return { token, expiresAt: new Date(expires).toISOString() };
    },
    require(token) {
      const s = sessions.get(token);
      if (!s || s.expires <= now()) {
        sessions.delete(token);
        fail('UNAUTHENTICATED', 'The manager session has ended: enter the manager PIN again');
      }
      s.expires = now() + idleMs;
      return s.actor;
    },
    close(token) {
      sessions.delete(token);
    },
  };
}
