import { fail } from '../core/util/errors';
import { takePosition } from './changes';
import type { ServerDb } from './db/database';

/**
 * Manager switches per member, pushed to every till on its next pull (like an issuer script
 * blocking a card): `blocked` stops all redemption; `offlineRedeemAllowed = false` requires an
 * online hold for every redemption.
 */
export async function setMemberFlags(db: ServerDb, memberId: string, flags: Readonly<{ blocked?: boolean; offlineRedeemAllowed?: boolean }>): Promise<{ memberId: string; blocked: boolean; offlineRedeemAllowed: boolean }> {
  return db.tx('member flags', async (sql) => {
    const cur = await sql.query<{ blocked: boolean; offline_redeem_allowed: boolean }>('SELECT blocked, offline_redeem_allowed FROM member_account WHERE member_id = $1 FOR UPDATE', [memberId]);
    if (!cur.rows[0]) fail('NOT_FOUND', 'This member is not known to the chain server yet');
    const blocked = flags.blocked ?? cur.rows[0].blocked;
    const offline = flags.offlineRedeemAllowed ?? cur.rows[0].offline_redeem_allowed;
    const pos = await takePosition(sql, memberId);
    await sql.query(
      `UPDATE member_account SET blocked = $2, offline_redeem_allowed = $3,
              offline_block_reason = CASE WHEN $3 THEN NULL ELSE 'manager' END, pos = $4, updated_at = now() WHERE member_id = $1`,
      [memberId, blocked, offline, pos],
    );
    return { memberId, blocked, offlineRedeemAllowed: offline };
  });
}
