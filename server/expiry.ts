import { uuidv7 } from '../core/util/ids';
import { num, type ServerDb } from './db/database';
import { takePosition } from './changes';
import { enqueueWebhooks } from './ingest';
import { loadSettings } from './settings';

/**
 * Expiry is decided here, never on a till (N offline tills would each expire the same lot).
 * FIFO lots: spending consumes the oldest points first, so what is left of the points credited
 * before the cutoff is max(0, Σ old credits − Σ all debits), capped by the balance. The cutoff
 * uses business time, which ingest clamped to the server clock (a till's clock days ahead
 * cannot age points). Each member's expiry is its own single-member transaction.
 */
export async function runExpiry(db: ServerDb, asOf: Date, opts: Readonly<{ chunk?: number }> = {}): Promise<{ members: number; points: number }> {
  const settings = await db.tx('expiry settings', (sql) => loadSettings(sql));
  if (settings.expiryDays === null) return { members: 0, points: 0 };
  const cutoff = new Date(asOf.getTime() - settings.expiryDays * 86_400_000).toISOString();
  const due = await db.query<{ member_id: string; expiring: string }>(
    `SELECT l.member_id,
            LEAST(MAX(m.balance), SUM(CASE WHEN l.delta > 0 AND l.business_at < $1 THEN l.delta ELSE 0 END)
                                 + SUM(CASE WHEN l.delta < 0 THEN l.delta ELSE 0 END)) AS expiring
       FROM ledger_entry l JOIN member_account m ON m.member_id = l.member_id
      WHERE m.balance > 0
      GROUP BY l.member_id
     HAVING LEAST(MAX(m.balance), SUM(CASE WHEN l.delta > 0 AND l.business_at < $1 THEN l.delta ELSE 0 END)
                                 + SUM(CASE WHEN l.delta < 0 THEN l.delta ELSE 0 END)) > 0`,
    [cutoff],
  );
  let members = 0;
  let points = 0;
  for (const d of due.rows) {
    const memberId = d.member_id;
    const expired = await db.tx('expire member', async (sql) => {
      // Recompute under the member's row lock: a push may have landed since the scan.
      const m = await sql.query<{ balance: string }>('SELECT balance FROM member_account WHERE member_id = $1 FOR UPDATE', [memberId]);
      const r = await sql.query<{ old: string; spent: string }>(
        `SELECT COALESCE(SUM(CASE WHEN delta > 0 AND business_at < $2 THEN delta ELSE 0 END), 0) AS old,
                COALESCE(SUM(CASE WHEN delta < 0 THEN delta ELSE 0 END), 0) AS spent
           FROM ledger_entry WHERE member_id = $1`,
        [memberId, cutoff],
      );
      const amount = Math.min(num(m.rows[0]?.balance), num(r.rows[0]!.old) + num(r.rows[0]!.spent));
      if (amount <= 0) return 0;
      await sql.query(
        `INSERT INTO ledger_entry (member_id, entry_id, source, kind, delta, business_at, reason, payload)
         VALUES ($1, $2, 'server', 'expire', $3, $4, 'points_expired', $5::jsonb)`,
        [memberId, uuidv7(), -amount, asOf.toISOString(), JSON.stringify({ cutoff })],
      );
      const u = await sql.query<{ balance: string }>(
        'UPDATE member_account SET balance = balance - $2, expired = expired - $2, pos = $3, updated_at = now() WHERE member_id = $1 RETURNING balance',
        [memberId, amount, await takePosition(sql, memberId)],
      );
      if (settings.webhookUrl) {
        await enqueueWebhooks(sql, [{ member_id: memberId, delivery_id: uuidv7(), event_type: 'member.points_changed', payload: { memberId, delta: -amount, balance: num(u.rows[0]!.balance), reason: 'expired' } }]);
      }
      return amount;
    });
    if (expired > 0) {
      members++;
      points += expired;
    }
  }
  return { members, points };
}
