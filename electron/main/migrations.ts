/**
 * The migration list for the packaged app. The backend discovers migrations by reading its
 * folder at runtime, which a bundle (and an asar without .ts sources) cannot do; so
 * scripts/build-electron.mjs replaces this module at bundle time with static imports of every
 * backend/db/migrations/NNN-*.ts. Unbundled (tests, tsx) it falls back to discovery.
 */
import { loadMigrations } from '../../backend/db/migrate';
import type { Migration } from '../../backend/db/types';

export async function bundledMigrations(): Promise<readonly Migration[]> {
  return loadMigrations();
}
