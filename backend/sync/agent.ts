import { createLogger } from '../../core/util/logger';
import type { Db } from '../db/types';
import { backoffMs, credential, RetryableSyncError, syncNow, type SyncOptions, type SyncProgress, type SyncReport } from './client';

const log = createLogger('sync-agent');

/**
 * Automatic sync while the app runs: every `intervalMs` when idle, right away on `trigger()`
 * (after a sale, on a network-up event), with full-jitter backoff after failures and the
 * server's Retry-After honoured. Integrity stops (quarantine, chain mismatch) are not retried
 * in a loop: they wait for the next trigger or interval.
 */
export type AutoSync = Readonly<{ trigger(): void; stop(): Promise<void>; last(): SyncReport | null }>;

export function startAutoSync(db: Db, opts: SyncOptions & Readonly<{ intervalMs?: number; onReport?: (r: SyncReport) => void; onError?: (e: unknown) => void; onProgress?: (p: SyncProgress) => void }> = {}): AutoSync {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let last: SyncReport | null = null;
  let running: Promise<void> | null = null;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref?.();
  };
  const run = () => {
    if (stopped || running) return;
    if (!credential(db)) return schedule(opts.intervalMs ?? 60_000);
    running = syncNow(db, { attempts: 1, ...opts })
      .then((r) => {
        failures = 0;
        last = r;
        opts.onReport?.(r);
        schedule(opts.intervalMs ?? 60_000);
      })
      .catch((err) => {
        failures++;
        opts.onError?.(err);
        const wait = err instanceof RetryableSyncError && err.retryAfterMs !== null ? err.retryAfterMs : backoffMs(failures, opts.backoffBaseMs ?? 1000, opts.backoffCapMs ?? 300_000, opts.random);
        log.debug(`sync failed (${err instanceof Error ? err.message : String(err)}); next try in ${wait} ms`);
        schedule(Math.max(wait, 250));
      })
      .finally(() => {
        running = null;
      });
  };
  schedule(0);
  return {
    trigger: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    last: () => last,
  };
}

/**
 * Auto-sync for an app host (web host, Electron main): started for every store, it does no
 * network I/O until the till is registered (checked each interval), so a registration made from
 * the UI starts syncing without a restart. Failures are logged, never thrown at the host.
 */
export function startHostAutoSync(db: Db, opts: Readonly<{ intervalMs?: number }> = {}): AutoSync {
  return startAutoSync(db, {
    intervalMs: opts.intervalMs ?? 60_000,
    onError: (e) => log.info(`sync waiting: ${e instanceof Error ? e.message : String(e)}`),
  });
}
