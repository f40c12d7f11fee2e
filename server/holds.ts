import { fail } from '../core/util/errors';
import type { HoldRequest, HoldResponse } from '../core/sync/protocol';
import { takePosition } from './changes';
import { num, type ServerDb, type Sql } from './db/database';
import { computeLoyalty, loadProgramBook, loyaltyWire, projectable } from './projections';
import { loadSettings } from './settings';

/**
 * Online redemption holds (TigerBeetle two-phase): pending → posted (by the redeem event that
 * carries payload.holdId) | voided | expired, each at most once. Placing a hold is one
 * conditional UPDATE (`balance − held ≥ points`), so two online tills cannot spend the same points.
 */
async function bumpPosition(sql: Sql, memberId: string): Promise<void> {
  await sql.query('UPDATE member_account SET pos = $2, updated_at = now() WHERE member_id = $1', [memberId, await takePosition(sql, memberId)]);
}

/** Release this member's expired holds (server clock only: holds live on one clock). */
export async function expireHolds(sql: Sql, memberId: string, nowMs: number): Promise<number> {
  const r = await sql.query<{ points: string }>(
    `UPDATE hold SET status = 'expired', resolved_at = to_timestamp($2::bigint / 1000.0)
      WHERE member_id = $1 AND status = 'pending' AND expires_at <= to_timestamp($2::bigint / 1000.0) RETURNING points`,
    [memberId, nowMs],
  );
  const released = r.rows.reduce((s, x) => s + num(x.points), 0);
  if (released > 0) {
    await sql.query('UPDATE member_account SET held = held - $2 WHERE member_id = $1', [memberId, released]);
    await bumpPosition(sql, memberId);
  }
  return released;
}

/** The member's points still pending at `nowMs` across the chain (0 when no program has a pending period). */
async function pendingPoints(sql: Sql, memberId: string, nowMs: number): Promise<number> {
  const book = await loadProgramBook(sql);
  if (!projectable(book)) return 0;
  const asOf = new Date(nowMs).toISOString();
  const loyalty = (await computeLoyalty(sql, [memberId], asOf, book)).get(memberId);
  return loyalty ? loyaltyWire(loyalty, asOf).pending : 0;
}

export async function placeHold(db: ServerDb, terminalId: string, req: HoldRequest, now: () => number = Date.now): Promise<HoldResponse> {
  if (typeof req.holdId !== 'string' || req.holdId.length < 8) fail('VALIDATION', 'holdId is required');
  if (!Number.isSafeInteger(req.points) || req.points <= 0) fail('VALIDATION', 'Hold a positive whole number of points');
  return db.tx('hold', async (sql) => {
    const nowMs = now();
    const existing = await sql.query<Record<string, unknown>>('SELECT * FROM hold WHERE member_id = $1 AND hold_id = $2', [req.memberId, req.holdId]);
    const settings = await loadSettings(sql);
    await expireHolds(sql, req.memberId, nowMs);
    if (existing.rows[0]) {
      // Idempotent retry of the same hold.
      const h = existing.rows[0];
      if (String(h.terminal_id) !== terminalId || num(h.points) !== req.points) fail('CONFLICT', 'This hold id was used for another hold');
      const m = await sql.query<{ balance: string; held: string }>('SELECT balance, held FROM member_account WHERE member_id = $1', [req.memberId]);
      const cur = await sql.query<{ status: string; expires_at: Date }>('SELECT status, expires_at FROM hold WHERE member_id = $1 AND hold_id = $2', [req.memberId, req.holdId]);
      return { holdId: req.holdId, memberId: req.memberId, points: req.points, status: cur.rows[0]!.status as HoldResponse['status'], expiresAt: new Date(cur.rows[0]!.expires_at).toISOString(), available: num(m.rows[0]?.balance) - num(m.rows[0]?.held) };
    }
    const ttl = Math.max(30, Math.min(3600, req.ttlSeconds ?? settings.holdTtlSeconds));
    // Points earned in any shop but still in their return window are not spendable yet: the
    // till leaves them out, and the server does not take a till's word for it.
    const pending = await pendingPoints(sql, req.memberId, nowMs);
    const upd = await sql.query<{ balance: string; held: string; blocked: boolean }>(
      `UPDATE member_account SET held = held + $2 WHERE member_id = $1 AND NOT blocked AND balance - held - $3 >= $2 RETURNING balance, held, blocked`,
      [req.memberId, req.points, pending],
    );
    if (!upd.rows[0]) {
      const m = await sql.query<{ balance: string; held: string; blocked: boolean }>('SELECT balance, held, blocked FROM member_account WHERE member_id = $1', [req.memberId]);
      const row = m.rows[0];
      if (!row) fail('NOT_FOUND', 'This member is not known to the chain server yet');
      if (row.blocked) fail('FORBIDDEN', 'This member is blocked: points cannot be spent');
      const available = Math.max(0, num(row.balance) - num(row.held) - pending);
      fail('INSUFFICIENT_POINTS', pending > 0 ? `Only ${available} points are available right now (${pending} more are still pending)` : `Only ${available} points are available right now`);
    }
    const expiresAtMs = nowMs + ttl * 1000;
    await sql.query(
      `INSERT INTO hold (member_id, hold_id, terminal_id, points, status, expires_at) VALUES ($1, $2, $3, $4, 'pending', to_timestamp($5::bigint / 1000.0))`,
      [req.memberId, req.holdId, terminalId, req.points, expiresAtMs],
    );
    await bumpPosition(sql, req.memberId);
    return { holdId: req.holdId, memberId: req.memberId, points: req.points, status: 'pending', expiresAt: new Date(expiresAtMs).toISOString(), available: num(upd.rows[0].balance) - num(upd.rows[0].held) - pending };
  });
}

export async function voidHold(db: ServerDb, terminalId: string, memberId: string, holdId: string): Promise<HoldResponse> {
  return db.tx('void hold', async (sql) => {
    const r = await sql.query<{ points: string; status: string; expires_at: Date; terminal_id: string }>(
      'SELECT points, status, expires_at, terminal_id FROM hold WHERE member_id = $1 AND hold_id = $2 FOR UPDATE',
      [memberId, holdId],
    );
    const h = r.rows[0];
    if (!h) fail('NOT_FOUND', 'No such hold');
    if (h.terminal_id !== terminalId) fail('FORBIDDEN', 'Only the till that placed a hold can release it');
    if (h.status === 'pending') {
      await sql.query(`UPDATE hold SET status = 'voided', resolved_at = now() WHERE member_id = $1 AND hold_id = $2`, [memberId, holdId]);
      await sql.query('UPDATE member_account SET held = held - $2 WHERE member_id = $1', [memberId, num(h.points)]);
      await bumpPosition(sql, memberId);
    }
    const m = await sql.query<{ balance: string; held: string }>('SELECT balance, held FROM member_account WHERE member_id = $1', [memberId]);
    const status = (h.status === 'pending' ? 'voided' : h.status) as HoldResponse['status'];
    return { holdId, memberId, points: num(h.points), status, expiresAt: new Date(h.expires_at).toISOString(), available: num(m.rows[0]?.balance) - num(m.rows[0]?.held) };
  });
}

/** Background sweep: release every hold past its expiry, one member transaction each. */
export async function expireDueHolds(db: ServerDb, nowMs: number = Date.now()): Promise<number> {
  const due = await db.query<{ member_id: string }>(
    `SELECT DISTINCT member_id FROM hold WHERE status = 'pending' AND expires_at <= to_timestamp($1::bigint / 1000.0) LIMIT 1000`,
    [nowMs],
  );
  let released = 0;
  for (const d of due.rows) released += await db.tx('expire holds', (sql) => expireHolds(sql, d.member_id, nowMs));
  return released;
}
