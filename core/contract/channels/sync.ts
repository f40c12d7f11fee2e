import { z } from 'zod';
import { channel } from '../define';
import { Empty, IsoDateTime, Session } from '../common';

/** Sync with the chain server: state for the status bar/settings, a "sync now" button, registration. */
export const SyncStateSchema = z.object({
  registered: z.boolean(),
  serverUrl: z.string().nullable(),
  terminalId: z.string(),
  shopName: z.string().nullable(),
  ackedThroughSeq: z.number().int().min(0),
  pending: z.number().int().min(0),
  lastPushAt: IsoDateTime.nullable(),
  lastPullAt: IsoDateTime.nullable(),
  lastError: z.string().nullable(),
  failures: z.number().int().min(0),
  terminalStatus: z.string().nullable(),
  clockDrift: z.boolean(),
  clockOffsetMs: z.number().int().nullable(),
});

export const SyncReportSchema = z.object({
  pushed: z.number().int().min(0),
  acknowledged: z.number().int().min(0),
  pulled: z.number().int().min(0),
  corrections: z.number().int().min(0),
  ackedThroughSeq: z.number().int().min(0),
  pending: z.number().int().min(0),
  terminalStatus: z.string(),
  clockDrift: z.boolean(),
});

export const syncChannels = {
  'sync.state': channel(Empty, SyncStateSchema, 'Registration and sync progress: acknowledged seq, events waiting, last push/pull, last error, clock drift.'),
  'sync.now': channel(Empty, SyncReportSchema, 'Push pending events and pull members and rules now; resolves with the counts.'),
  'sync.register': channel(
    z.object({
      session: Session,
      server: z.string().trim().url('Enter the server address, e.g. https://kopilka.example.com'),
      code: z.string().trim().min(6, 'Enter the code the manager got from the server').max(32),
      name: z.string().trim().max(120).default(''),
    }),
    z.object({ terminalId: z.string(), shopName: z.string(), serverUrl: z.string() }),
    'Register this till with a chain server using a one-time code (manager).',
    { manager: true },
  ),
} as const;
