import type { EventSink, Status } from '../../core/contract';
import type { Db } from '../db/types';
import type { SessionRegistry } from './sessions';

/** What the handlers need. Transports (Electron main, the web host, tests) build one of these. */
export type ApiDeps = Readonly<{
  db: Db;
  sessions: SessionRegistry;
  /** Push an event to the UI (validated against the contract before it leaves). */
  emit: EventSink;
  /** Whether this store was seeded with demo data (shown in the UI). */
  demo?: boolean;
  /** Print a receipt after each sale/refund (off in tests that don't exercise printing). */
  autoPrint?: boolean;
  /** Scanner state from whoever owns the scanner sources; default: keyboard wedge only. */
  scannerStatus?: () => Status['scanner'];
  now?: () => Date;
}>;
