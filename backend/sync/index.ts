/** Sync with the chain server: registration, push/pull, automatic sync, offline redemption limits. */
export { registerTerminal, syncNow, syncStatus, placeHold, voidHold, backoffMs, applyPull, RetryableSyncError } from './client';
export type { SyncOptions, SyncReport, SyncStatus, SyncProgress, FetchFn } from './client';
export { startAutoSync, startHostAutoSync } from './agent';
export type { AutoSync } from './agent';
export { effectiveBalance, offlineRedeemLimit } from './offline';
export type { OfflineRedeemLimit } from './offline';
