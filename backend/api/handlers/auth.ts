import type { Handlers } from '../../../core/contract';
import { fail } from '../../../core/util/errors';
import { authorize } from '../../staff/authorize';
import type { ApiDeps } from '../deps';

export function authHandlers(deps: ApiDeps): Pick<Handlers, 'auth.login' | 'auth.logout'> {
  return {
    'auth.login': ({ pin }) => {
      // The manager screens change the program and see phones: a manager PIN at least.
      const actor = authorize(deps.db, pin, 'program.change');
      if (actor.role === 'cashier') fail('FORBIDDEN', 'A manager PIN is needed here');
      const s = deps.sessions.open(actor);
      return { session: s.token, name: actor.name, role: actor.role, expiresAt: s.expiresAt };
    },
    'auth.logout': ({ session }) => {
      deps.sessions.close(session);
      return { ok: true as const };
    },
  };
}
