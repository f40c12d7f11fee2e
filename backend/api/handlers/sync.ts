import type { Handlers } from '../../../core/contract';
import { toErrorData } from '../../../core/util/errors';
import { registerTerminal, syncNow, syncStatus } from '../../sync/index';
import type { ApiDeps } from '../deps';

/** Sync channels over backend/sync; every run also tells the status bar how it went. */
export function syncHandlers(deps: ApiDeps): Pick<Handlers, 'sync.state' | 'sync.now' | 'sync.register'> {
  const { db } = deps;
  const emitState = (error: string | null, syncing = false) => {
    const s = syncStatus(db);
    deps.emit('sync.status', {
      state: !s.registered ? 'disabled' : syncing ? 'syncing' : error ? 'error' : 'idle',
      lastSyncAt: s.lastPushAt ?? s.lastPullAt,
      queuedEvents: s.pending,
      error,
    });
  };
  return {
    'sync.state': () => syncStatus(db),
    'sync.now': async () => {
      emitState(null, true);
      try {
        const r = await syncNow(db);
        emitState(null);
        return r;
      } catch (err) {
        emitState(toErrorData(err).message);
        throw err;
      }
    },
    'sync.register': async ({ session, server, code, name }) => {
      deps.sessions.require(session);
      const r = await registerTerminal(db, { server, code, name });
      emitState(null);
      return { terminalId: r.terminalId, shopName: r.shopName, serverUrl: r.serverUrl };
    },
  };
}
