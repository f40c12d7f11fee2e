/** The terminal store: open it, migrate it, append to its ledger, verify it. */
export { openStore, openStoreWith, applyPragmas, terminalId, ensureTerminalId } from './connection';
export { loadMigrations, migrate, appliedVersions } from './migrate';
export { startBackgroundCheckpoints } from './checkpointer';
export type { Checkpointer, CheckpointerOptions } from './checkpointer';
export { appendEvents, verifyLedger, ledgerHead, balanceOf, rowToEvent, hashEvent, sha256Hex } from './ledger';
export type { NewEvent, VerifyReport, VerifyProblem, LedgerRow } from './ledger';
export { getSetting, setSetting, readSettings, defineSetting, knownSettings } from './settings';
export type { SettingsSnapshot } from './settings';
export type { Db, Migration } from './types';
