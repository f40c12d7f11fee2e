import type { OfflinePolicy } from '../../core/sync/protocol';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { chainPendingElsewhere, localPending } from './chain-loyalty';

/**
 * What the till may show and spend while the server is out of reach (research/sync.md §2.5):
 * balance = server snapshot + Σ our own events the snapshot does not include yet; offline
 * redemption ≤ the allowance the server last pushed, minus what this till already redeemed
 * offline since, ≤ the per-sale cap, and only while the snapshot is younger than the policy's
 * maximum age. Without a snapshot (never synced) offline redemption is refused.
 */
type Snap = { balance: number; held: number; debt: number; blocked: number; offline_redeem_allowed: number; offline_allowance: number; as_of_seq: number; pulled_at: string };

function snapshot(db: Db, memberId: string): Snap | undefined {
  return stmt(db, 'SELECT * FROM sync_member_snapshot WHERE member_id = ?').get(memberId) as Snap | undefined;
}

/** The balance to display: the chain's view plus this till's not-yet-reflected events. */
export function effectiveBalance(db: Db, memberId: string): number {
  const s = snapshot(db, memberId);
  if (!s) return (stmt(db, 'SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(memberId) as number | undefined) ?? 0;
  const local = stmt(db, 'SELECT COALESCE(SUM(delta), 0) FROM ledger_event WHERE member_id = ? AND seq > ?').pluck().get(memberId, s.as_of_seq) as number;
  return s.balance - s.held + local;
}

export type OfflineRedeemLimit = Readonly<{ maxPoints: number; reason: string | null }>;

export function offlineRedeemLimit(db: Db, memberId: string, now: number = Date.now()): OfflineRedeemLimit {
  const s = snapshot(db, memberId);
  if (!s) return { maxPoints: 0, reason: 'No chain balance for this member yet: redeem when the till is online' };
  if (s.blocked) return { maxPoints: 0, reason: 'This member is blocked by the chain' };
  if (!s.offline_redeem_allowed) return { maxPoints: 0, reason: 'The chain requires an online check for this member' };
  const st = db.prepare('SELECT policy, clock_drift FROM sync_state WHERE id = 1').get() as { policy: string | null; clock_drift: number };
  if (!st.policy) return { maxPoints: 0, reason: 'No offline policy from the chain yet' };
  // The snapshot's age is measured on this till's clock; if the server saw that clock is off, the age means nothing.
  if (st.clock_drift === 1) return { maxPoints: 0, reason: "This till's clock differs from the server's: fix the date and time, then sync" };
  const policyText = st.policy;
  const policy = JSON.parse(policyText) as OfflinePolicy;
  const age = now - Date.parse(s.pulled_at);
  // A clock that went backwards (age < 0) proves nothing about freshness: treat as stale.
  if (!(age >= 0 && age <= policy.maxSnapshotAgeSeconds * 1000)) return { maxPoints: 0, reason: 'The chain balance is too old for offline redemption: reconnect the till' };
  const usedOffline = -(db.prepare("SELECT COALESCE(SUM(delta), 0) FROM ledger_event WHERE member_id = ? AND seq > ? AND kind = 'redeem'").pluck().get(memberId, s.as_of_seq) as number);
  const left = Math.max(0, s.offline_allowance - usedOffline);
  // Points still pending (here or at another till) are not spendable offline either.
  const atIso = new Date(now).toISOString();
  const pending = localPending(db, memberId, atIso) + chainPendingElsewhere(db, memberId, atIso);
  const spendable = effectiveBalance(db, memberId) - pending;
  const max = Math.min(left, policy.perSaleCap, Math.max(0, spendable));
  if (max === 0 && left > 0 && pending > 0) return { maxPoints: 0, reason: `${pending} points are still pending (earned recently) and cannot be spent yet` };
  return { maxPoints: max, reason: max === 0 ? 'The offline allowance for this member is used up' : null };
}
