import { fail, KopilkaError } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { credential, placeHold, RetryableSyncError, syncNow, voidHold, type SyncOptions } from './client';
import { chainPendingElsewhere, isChainTill } from './chain-loyalty';
import { effectiveBalance, offlineRedeemLimit } from './offline';

const log = createLogger('sync-checkout');

/**
 * The chain's say in a sale on a registered till (research/sync.md §2.5). Checkout stays
 * synchronous: these functions only read SQLite (and an in-memory hold armed by the async
 * pre-commit step `reserveChainRedemption`); the network is touched before the transaction.
 * On a stand-alone till (no credential) every function here is a no-op.
 */

type Snap = { balance: number; held: number; blocked: number };

export { isChainTill };

function snapshotOf(db: Db, memberId: string): Snap | undefined {
  return stmt(db, 'SELECT balance, held, blocked FROM sync_member_snapshot WHERE member_id = ?').get(memberId) as Snap | undefined;
}

/**
 * The spendable balance checkout should quote with: on a chain till with a pulled snapshot,
 * the chain's balance (server snapshot − holds + this till's events since) minus points still
 * pending locally and minus points pending elsewhere in the chain (earned at another till, not
 * spendable before the program's pendingDays pass, issue 3 item 8); otherwise null (keep the
 * local lots' answer). Blocked members are refused.
 */
export function chainSpendable(db: Db, memberId: string, localPending: number, atIso: string = new Date().toISOString()): number | null {
  if (!isChainTill(db)) return null;
  const s = snapshotOf(db, memberId);
  if (!s) return null;
  // A blocked card shows nothing spendable; the sale itself is refused in chainRedeemGuard.
  if (s.blocked) return 0;
  return Math.max(0, effectiveBalance(db, memberId) - localPending - chainPendingElsewhere(db, memberId, atIso));
}

/** A server hold reserved for the very next commit of this store (one sale at a time per till). */
type ArmedHold = { memberId: string; points: number; holdId: string };
const armed = new WeakMap<Db, ArmedHold>();

/**
 * Called inside the checkout transaction of every member sale: a card the chain blocked is
 * refused; a redemption returns the hold id to put on the redeem event when an online hold covers
 * it, otherwise the offline allowance (per member, per sale, snapshot age) limits it. Throws
 * before anything is written.
 */
export function chainRedeemGuard(db: Db, memberId: string | null, points: number): Readonly<{ holdId: string | null }> {
  if (!memberId || !isChainTill(db)) return { holdId: null };
  if (snapshotOf(db, memberId)?.blocked) fail('FORBIDDEN', 'This loyalty card is blocked by the chain: sell without the card and ask the manager to check the member');
  if (points <= 0) return { holdId: null };
  const h = armed.get(db);
  if (h && h.memberId === memberId && h.points === points) {
    armed.delete(db);
    return { holdId: h.holdId };
  }
  const lim = offlineRedeemLimit(db, memberId);
  if (points > lim.maxPoints) {
    fail(
      'INSUFFICIENT_POINTS',
      lim.maxPoints === 0
        ? `Points cannot be redeemed without the chain server right now (${lim.reason ?? 'offline'}). Sell without points or reconnect the till`
        : `Offline, at most ${lim.maxPoints} points can be redeemed for this member on this sale (asked ${points}). Lower the points or reconnect the till`,
    );
  }
  return { holdId: null };
}

/**
 * Async pre-commit step: when the till is registered and the sale redeems points, ask the
 * server for a hold. Reachable server → the hold is armed for the next commit (the server said
 * yes, so the offline allowance does not apply); refused → the server's reason is thrown;
 * unreachable → nothing armed and the offline allowance decides in `chainRedeemGuard`.
 */
export async function reserveChainRedemption(db: Db, memberId: string | null, points: number, opts: SyncOptions = {}): Promise<string | null> {
  armed.delete(db);
  if (!memberId || points <= 0 || !isChainTill(db)) return null;
  // The server can only hold what it knows: push this member's unacknowledged events first
  // (a member enrolled or earning here minutes ago). Failure here is not fatal: the hold decides.
  if (stmt(db, 'SELECT 1 FROM ledger_event e, sync_state s WHERE s.id = 1 AND e.member_id = ? AND e.seq > s.acked_seq LIMIT 1').get(memberId)) {
    try {
      await syncNow(db, { attempts: 1, timeoutMs: 3000, ...opts, pull: false });
    } catch (err) {
      log.info(`push before the hold failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  try {
    const h = await placeHold(db, memberId, points, { attempts: 1, timeoutMs: 3000, ...opts });
    armed.set(db, { memberId, points, holdId: h.holdId });
    return h.holdId;
  } catch (err) {
    if (err instanceof RetryableSyncError) {
      log.info('chain server unreachable: the offline allowance applies to this redemption');
      return null;
    }
    if (err instanceof KopilkaError && err.code === 'INSUFFICIENT_POINTS') {
      fail('INSUFFICIENT_POINTS', `The chain server refused the redemption: ${err.message}`);
    }
    throw err;
  }
}

/** Forget an armed hold (the commit failed or was abandoned) and release it on the server. */
export async function releaseChainRedemption(db: Db, memberId: string, holdId: string, opts: SyncOptions = {}): Promise<void> {
  const h = armed.get(db);
  if (h?.holdId === holdId) armed.delete(db);
  try {
    await voidHold(db, memberId, holdId, { attempts: 1, timeoutMs: 3000, ...opts });
  } catch (err) {
    // The hold expires on the server by itself; nothing was sold.
    log.warn(`hold ${holdId} not released: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * A sale with the chain's online check: quote (to know the points), hold on the server, then
 * the synchronous commit; a failed commit releases the hold. `commit`/`quote` are checkout's
 * functions, passed in so this module does not depend on the sales module.
 */
export async function withChainRedemption<T>(
  db: Db,
  planned: () => Readonly<{ memberId: string | null; redeemPoints: number }> | null,
  commit: () => T,
  opts: SyncOptions = {},
): Promise<T> {
  if (!isChainTill(db)) return commit();
  const plan = planned();
  const holdId = plan ? await reserveChainRedemption(db, plan.memberId, plan.redeemPoints, opts) : null;
  try {
    return commit();
  } catch (err) {
    if (holdId && plan?.memberId) await releaseChainRedemption(db, plan.memberId, holdId, opts);
    throw err;
  } finally {
    armed.delete(db);
  }
}

/** On a registered till the server decides expiry (sync.md §2.5): till-side expiry stays off. */
export function chainDecidesExpiry(db: Db): boolean {
  return isChainTill(db);
}

/**
 * On a registered till the loyalty program comes from the chain (adopted on pull under the
 * chain's version number), so the server can recompute earn with the version a sale names.
 * A local edit would create a version number the chain does not know: refused.
 */
export function assertLocalProgramEditable(db: Db): void {
  const c = credential(db);
  if (c) fail('FORBIDDEN', `This till follows the loyalty program of the chain (${c.shop_name}, ${c.server_url}): change the rules on the chain server; the till picks them up at the next sync`);
}
