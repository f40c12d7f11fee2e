import { CONTRACT_VERSION, type Handlers, type Status } from '../../../core/contract';
import { terminalId } from '../../db/connection';
import { readSettings } from '../../db/settings';
import { effectivePrinterUri, queueStatus } from '../../printing/index';
import { syncStatus } from '../../sync/index';
import type { ApiDeps } from '../deps';

export function currentStatus(deps: ApiDeps): Status {
  const { db } = deps;
  const q = queueStatus(db);
  const printer: Status['printer'] = q.blockedBy
    ? { state: 'error', detail: q.blockedBy.message }
    : { state: q.pending.length > 0 ? 'busy' : 'ready', detail: effectivePrinterUri(db) };
  const s = syncStatus(db);
  const last = [s.lastPushAt, s.lastPullAt].filter((x): x is string => x !== null).sort().pop() ?? null;
  const sync: Status['sync'] = !s.registered
    ? { state: 'disabled', lastSyncAt: null, queuedEvents: s.pending, error: null }
    : { state: s.lastError ? (s.failures > 0 ? 'offline' : 'error') : 'idle', lastSyncAt: last, queuedEvents: s.pending, error: s.lastError };
  return {
    printer,
    scanner: deps.scannerStatus?.() ?? { state: 'ready', detail: 'keyboard wedge' },
    sync,
    // Unregistered terminals work alone by design: that is not "offline".
    online: !s.registered || s.failures === 0,
    queuedReceipts: q.pending.length,
  };
}

export function appHandlers(deps: ApiDeps): Pick<Handlers, 'app.info' | 'status.get'> {
  return {
    'app.info': () => {
      const s = readSettings(deps.db);
      return {
        contractVersion: CONTRACT_VERSION,
        terminalId: terminalId(deps.db),
        shopName: s.shopName,
        currency: s.currency,
        locale: s.locale.toLowerCase().startsWith('en') ? 'en' : 'ru',
        demo: deps.demo ?? false,
      };
    },
    'status.get': () => currentStatus(deps),
  };
}
