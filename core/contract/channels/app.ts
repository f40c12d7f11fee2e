import { z } from 'zod';
import { channel } from '../define';
import { Empty, IsoDateTime } from '../common';

/** Terminal identity and the status bar. */
export const DeviceState = z.enum(['ready', 'busy', 'offline', 'error', 'none']);
export const SyncState = z.enum(['idle', 'syncing', 'offline', 'error', 'disabled']);

export const StatusSchema = z.object({
  printer: z.object({ state: DeviceState, detail: z.string() }),
  scanner: z.object({ state: DeviceState, detail: z.string() }),
  sync: z.object({ state: SyncState, lastSyncAt: IsoDateTime.nullable(), queuedEvents: z.number().int().min(0), error: z.string().nullable() }),
  /** False when the sync server has not answered recently: the till keeps working. */
  online: z.boolean(),
  /** Receipts waiting in the print queue. */
  queuedReceipts: z.number().int().min(0),
});
export type Status = z.output<typeof StatusSchema>;

export const appChannels = {
  'app.info': channel(
    Empty,
    z.object({
      contractVersion: z.number().int(),
      terminalId: z.string(),
      shopName: z.string(),
      currency: z.string(),
      /** Preferred UI language from settings; the UI may override per session. */
      locale: z.enum(['ru', 'en']),
      demo: z.boolean(),
    }),
    'Who this terminal is and which contract it speaks; the renderer compares contractVersion at start.',
  ),
  'status.get': channel(Empty, StatusSchema, 'Printer, scanner and sync state plus queued receipts, for the status bar.'),
} as const;

export const appEvents = {
  /** A code read by a device scanner (serial/HID) or the virtual scanner; wedge scans stay in the renderer. */
  'device.scanned': z.object({ code: z.string().min(1).max(512), source: z.string(), at: IsoDateTime }),
  'printer.status': z.object({ state: DeviceState, detail: z.string(), queuedReceipts: z.number().int().min(0) }),
  'sync.status': StatusSchema.shape.sync,
  'status.changed': StatusSchema,
} as const;
