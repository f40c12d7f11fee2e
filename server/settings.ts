import type { OfflinePolicy } from '../core/sync/protocol';
import type { Sql } from './db/database';

/** Server-wide knobs a manager can change (`server_setting` rows); defaults follow research/sync.md §2.5, §2.7. */
export type ServerSettings = Readonly<{
  policy: OfflinePolicy;
  maxClockDriftMs: number; // beyond this a till's clock is flagged and business time clamped
  holdTtlSeconds: number;
  expiryDays: number | null; // null: points never expire
  webhookUrl: string | null; // CRM endpoint for member.created / member.points_changed
}>;

export const DEFAULT_SETTINGS: ServerSettings = {
  policy: { maxSnapshotAgeSeconds: 72 * 3600, perSaleCap: 1_000, perMemberCap: 2_000, allowanceShareBps: 5_000 },
  maxClockDriftMs: 5 * 60_000,
  holdTtlSeconds: 15 * 60,
  expiryDays: 365,
  webhookUrl: null,
};

export async function loadSettings(sql: Sql): Promise<ServerSettings> {
  const r = await sql.query<{ value: unknown }>(`SELECT ${SETTINGS_VALUE} AS value`);
  return settingsFrom(r.rows[0]?.value);
}

/** The stored settings as a scalar subquery, for statements that read them along with other rows. */
export const SETTINGS_VALUE = "(SELECT value FROM server_setting WHERE key = 'settings')";

/** Settings from the stored `server_setting` value (null when none was saved): defaults filled in. */
export function settingsFrom(value: unknown): ServerSettings {
  const stored = (value ?? {}) as Partial<ServerSettings>;
  return { ...DEFAULT_SETTINGS, ...stored, policy: { ...DEFAULT_SETTINGS.policy, ...(stored.policy ?? {}) } };
}

export async function saveSettings(sql: Sql, patch: Partial<ServerSettings>): Promise<ServerSettings> {
  const next = { ...(await loadSettings(sql)), ...patch };
  await sql.query(
    `INSERT INTO server_setting (key, value) VALUES ('settings', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [JSON.stringify(next)],
  );
  return next;
}

/** What a member may redeem offline until the next pull: a share of what is available, capped, zero when blocked. */
export function offlineAllowance(policy: OfflinePolicy, m: Readonly<{ balance: number; held: number; blocked: boolean; offlineRedeemAllowed: boolean }>): number {
  if (m.blocked || !m.offlineRedeemAllowed) return 0;
  const available = m.balance - m.held;
  if (available <= 0) return 0;
  return Math.min(policy.perMemberCap, Math.floor((available * policy.allowanceShareBps) / 10_000));
}

/** Members spread over this many pull partitions (log_head rows); fixed by migration 002. */
export const PARTITIONS = 16;
export function partitionOf(memberId: string): number {
  // FNV-1a: stable across processes and languages, cheap, good enough spread for ids.
  let h = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i++) {
    h ^= memberId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % PARTITIONS;
}
