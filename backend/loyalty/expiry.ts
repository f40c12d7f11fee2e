import type { LedgerEvent } from '../../core/ledger/event';
import { dueExpiries } from '../../core/loyalty/lots';
import { appendEvents } from '../db/ledger';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { memberLots } from './snapshot';
import { chainDecidesExpiry } from '../sync/chain-checkout';

/**
 * Write an `expire` event for every lot whose expiry has passed: the ledger stays append-only
 * and the balance cache follows. Idempotent: an expired lot is consumed by its own event.
 */
export function expirePoints(db: Db, atIso: string): readonly LedgerEvent[] {
  return db.transaction((): LedgerEvent[] => {
    const members = stmt(db, 'SELECT DISTINCT member_id FROM loyalty_lot WHERE expires_at IS NOT NULL AND julianday(expires_at) <= julianday(?) ORDER BY member_id')
      .pluck()
      .all(atIso) as string[];
    return members.flatMap((m) => expireMemberPoints(db, m, atIso));
  }).immediate();
}

/** The same for one member, inside the caller's transaction (checkout does it on every member sale). */
export function expireMemberPoints(db: Db, memberId: string, atIso: string): LedgerEvent[] {
  // A till registered with a chain server leaves expiry to the server (the balance spans shops).
  if (chainDecidesExpiry(db)) return [];
  const any = stmt(db, 'SELECT 1 FROM loyalty_lot WHERE member_id = ? AND expires_at IS NOT NULL AND julianday(expires_at) <= julianday(?) LIMIT 1').get(memberId, atIso);
  if (!any) return [];
  const due = dueExpiries(memberLots(db, memberId), atIso);
  if (due.length === 0) return [];
  return appendEvents(
    db,
    due.map((d) => ({ kind: 'expire' as const, memberId, delta: -d.points, refEventId: d.eventId, occurredAt: atIso, payload: { reason: 'expiry', expiresAt: d.expiresAt } })),
  );
}
