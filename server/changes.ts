import { num, pgArray, type ServerDb, type Sql } from './db/database';
import { partitionOf, PARTITIONS } from './settings';

/**
 * Pull positions (research/sync.md §2.3). Every change a till must hear about takes the next
 * position of the member's partition from its log_head row, inside the writing transaction (the
 * row lock makes a partition's positions visible in commit order, so `pos > cursor` never skips
 * one), sets member_account.pos to it and appends (part, pos, member_id) to member_change.
 * Pull walks member_change by position and takes the rows that are still the member's newest
 * (pos = member_account.pos); older ones are superseded and compaction deletes them.
 * Ingest does the same inline, in its last statement (server/ingest.ts).
 */

/** One member's next position, recorded as its newest change; the caller sets member_account.pos to it. */
export async function takePosition(sql: Sql, memberId: string): Promise<number> {
  const r = await sql.query<{ pos: string }>(
    `WITH h AS (UPDATE log_head SET pos = pos + 1 WHERE part = $1 RETURNING part, pos)
     INSERT INTO member_change (part, pos, member_id) SELECT part, pos, $2 FROM h RETURNING pos`,
    [partitionOf(memberId), memberId],
  );
  return num(r.rows[0]!.pos);
}

/**
 * Next positions for several members (their rows already locked, in member order), partition by
 * partition in ascending order as ingest takes them; member_account.pos is set here too.
 */
export async function takePositions(sql: Sql, memberIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const byPart = new Map<number, string[]>();
  for (const m of memberIds) {
    const p = partitionOf(m);
    byPart.set(p, [...(byPart.get(p) ?? []), m]);
  }
  for (const part of [...byPart.keys()].sort((a, b) => a - b)) {
    const ids = byPart.get(part)!;
    const r = await sql.query<{ member_id: string; pos: string }>(
      `WITH h AS (UPDATE log_head SET pos = pos + $2 WHERE part = $1 RETURNING pos - $2 AS base),
            c AS (INSERT INTO member_change (part, pos, member_id)
                  SELECT $1, h.base + u.n, u.member_id FROM h, unnest($3::text[]) WITH ORDINALITY AS u(member_id, n) RETURNING member_id, pos)
       UPDATE member_account m SET pos = c.pos, updated_at = now() FROM c WHERE m.member_id = c.member_id RETURNING m.member_id, m.pos`,
      [part, ids.length, pgArray(ids)],
    );
    for (const row of r.rows) out.set(row.member_id, num(row.pos));
  }
  return out;
}

export type CompactionState = { part: number; after: number };
export const compactionStart = (): CompactionState => ({ part: 0, after: 0 });

/**
 * Deletes superseded change rows, a slice of at most `slice` rows (in position order) per
 * transaction, until `maxRows` were looked at, or (`whileFinding`) until a slice finds nothing
 * to delete; `state` says where the last call stopped and wraps around after the last partition.
 * A row is superseded when the member's committed position is beyond it: positions only grow,
 * so it stays superseded and a newer row of the same member, still ahead of any cursor that has
 * not passed it, brings the member to that till.
 * Safe beside writers, pullers and other compactors: it locks only the rows it deletes.
 */
export async function compactChanges(
  db: ServerDb,
  state: CompactionState,
  opts: Readonly<{ maxRows?: number; slice?: number; whileFinding?: boolean }> = {},
): Promise<{ scanned: number; deleted: number; wrapped: boolean }> {
  const maxRows = opts.maxRows ?? 100_000;
  const slice = opts.slice ?? 5_000;
  let scanned = 0;
  let deleted = 0;
  let wrapped = false;
  for (let found = true; scanned < maxRows && !wrapped && (found || !opts.whileFinding); ) {
    const r = await db.tx('compact changes', (sql) =>
      sql.query<{ last: string | null; scanned: string; deleted: string }>(
        `WITH s AS (SELECT part, pos, member_id FROM member_change WHERE part = $1 AND pos > $2 ORDER BY pos LIMIT $3),
              gone AS (DELETE FROM member_change c USING s, member_account m
                        WHERE c.part = s.part AND c.pos = s.pos AND m.member_id = s.member_id AND m.pos > s.pos RETURNING 1)
         SELECT (SELECT max(pos) FROM s) AS last, (SELECT count(*) FROM s) AS scanned, (SELECT count(*) FROM gone) AS deleted`,
        [state.part, state.after, slice],
      ),
    );
    const row = r.rows[0]!;
    scanned += num(row.scanned);
    deleted += num(row.deleted);
    found = num(row.deleted) > 0;
    if (num(row.scanned) < slice) {
      state.part = (state.part + 1) % PARTITIONS;
      state.after = 0;
      wrapped = state.part === 0;
    } else state.after = num(row.last);
  }
  return { scanned, deleted, wrapped };
}
