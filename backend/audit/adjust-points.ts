import { fail } from '../../core/util/errors';
import { appendEvents } from '../db/ledger';
import type { Db } from '../db/types';
import type { LedgerEvent } from '../../core/ledger/event';
import { roleAllows } from '../staff/permissions';
import type { Actor } from '../staff/staff';
import { asActor } from './audit';

export const MAX_ADJUST_POINTS = 1_000_000;

export type AdjustInput = Readonly<{ memberId: string; delta: number; reason: string; at?: string }>;

/**
 * A manual point adjustment is always a signed delta with a reason, appended to the ledger as an
 * `adjust` event (never an overwrite of the balance), on a manager's authority. The audit entry
 * comes from migration 063's trigger, attributed to that manager.
 */
export function adjustPoints(db: Db, actor: Actor, input: AdjustInput): { event: LedgerEvent; balance: number } {
  if (!roleAllows(actor.role, 'points.adjust')) fail('FORBIDDEN', 'Adjusting points needs a manager PIN');
  if (!Number.isSafeInteger(input.delta) || input.delta === 0) fail('VALIDATION', 'The adjustment must be a whole number of points, not zero (e.g. 50 or -50)');
  if (Math.abs(input.delta) > MAX_ADJUST_POINTS) fail('VALIDATION', `An adjustment is at most ${MAX_ADJUST_POINTS} points`);
  const reason = input.reason.trim();
  if (reason.length < 3) fail('VALIDATION', 'Say why the points change (e.g. "compensation for a spilled coffee")');
  if (reason.length > 200) fail('VALIDATION', 'Keep the reason under 200 characters');
  const at = input.at ?? new Date().toISOString();
  return asActor(db, actor.staffId, () => {
    if (!db.prepare('SELECT 1 FROM member WHERE id = ?').get(input.memberId)) fail('NOT_FOUND', `No member with id ${input.memberId}`);
    const before = (db.prepare('SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(input.memberId) as number | undefined) ?? 0;
    if (before + input.delta < 0) fail('INSUFFICIENT_POINTS', `The member has only ${before} points; you can remove at most that many`);
    const [event] = appendEvents(db, [{ kind: 'adjust', memberId: input.memberId, delta: input.delta, occurredAt: at, payload: { reason, staffId: actor.staffId } }]);
    return { event: event!, balance: before + input.delta };
  });
}
