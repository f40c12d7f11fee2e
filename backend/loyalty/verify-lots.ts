import { canonicalJson } from '../../core/util/canonical-json';
import type { Db } from '../db/types';
import { memberLots, replayMemberLots } from './snapshot-lots';

export type LotProjectionReport = Readonly<{
  ok: boolean;
  /** Members whose stored lots were checked against a replay of their whole history. */
  members: number;
  problem: Readonly<{ code: 'lot_projection_mismatch'; memberId: string; message: string }> | null;
}>;

/**
 * The lot projection (loyalty_lot_state) is a cache of the replay; `kopilka ledger verify`
 * checks it like the balance cache: for every member it holds, the lots read through it must
 * equal the lots replayed from the member's whole ledger. Read-only, outside any transaction,
 * so nothing is folded into a commit's memo or saved. Stops at the first member that differs.
 */
export function verifyLotProjection(db: Db): LotProjectionReport {
  // all(), not iterate(): the replays below run statements on the same connection.
  const ids = db.prepare('SELECT member_id FROM loyalty_lot_state ORDER BY member_id').pluck().all() as string[];
  let members = 0;
  for (const id of ids) {
    members++;
    const through = memberLots(db, id);
    const replay = replayMemberLots(db, id);
    if (canonicalJson(through) !== canonicalJson(replay)) {
      return {
        ok: false,
        members,
        problem: {
          code: 'lot_projection_mismatch',
          memberId: id,
          message: `Member ${id}: the stored lot projection (${through.lots.length} open lots, debt ${through.debt}) differs from a replay of the ledger (${replay.lots.length} open lots, debt ${replay.debt}). The ledger is the record: run \`kopilka ledger rebuild-lots\``,
        },
      };
    }
  }
  return { ok: true, members, problem: null };
}

/**
 * Drop the lot projection: it is a cache, never the record. Every answer stays the same (lots
 * are then replayed from the ledger) and each member's next sale stores it again.
 */
export function dropLotProjection(db: Db): number {
  return db.prepare('DELETE FROM loyalty_lot_state').run().changes;
}
