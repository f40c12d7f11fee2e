import { fail } from '../core/util/errors';
import type { MemberSnapshotWire, PullResponse } from '../core/sync/protocol';
import { num, type ServerDb } from './db/database';
import { loadSettings, offlineAllowance, PARTITIONS } from './settings';

/**
 * Pull (research/sync.md §2.3). The cursor is an opaque map partition → position. Positions come
 * from the partition's log_head row, locked by the writing transaction until it commits, so
 * within a partition positions become visible in order and `pos > cursor` never skips a row
 * (unlike a bigserial, whose values commit out of order).
 */
type Cursor = { v: 1; p: number[] };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}
export function decodeCursor(s: string | undefined | null): Cursor {
  if (!s) return { v: 1, p: new Array<number>(PARTITIONS).fill(0) };
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    if (c.v !== 1 || !Array.isArray(c.p) || c.p.length !== PARTITIONS || !c.p.every((x) => Number.isSafeInteger(x) && x >= 0)) throw new Error('shape');
    return c;
  } catch {
    return fail('VALIDATION', 'The sync cursor is not valid: the till should start over with an empty cursor');
  }
}

export type MemberRow = Record<string, unknown>;

export function toSnapshot(r: MemberRow, policy: Parameters<typeof offlineAllowance>[0]): MemberSnapshotWire {
  const balance = num(r.balance);
  const held = num(r.held);
  const blocked = Boolean(r.blocked);
  const offlineRedeemAllowed = Boolean(r.offline_redeem_allowed);
  return {
    memberId: String(r.member_id),
    balance,
    held,
    available: balance - held,
    debt: num(r.debt),
    tier: (r.tier as string | null) ?? null,
    stamps: num(r.stamps),
    blocked,
    offlineRedeemAllowed: offlineRedeemAllowed && !blocked,
    offlineAllowance: offlineAllowance(policy, { balance, held, blocked, offlineRedeemAllowed }),
    version: `${num(r.part)}:${num(r.pos)}`,
  };
}

export async function pullChanges(db: ServerDb, terminalId: string, cursorText: string | undefined, limitIn = 500, now: () => number = Date.now): Promise<PullResponse> {
  const cursor = decodeCursor(cursorText);
  const limit = Math.max(1, Math.min(5_000, Math.floor(limitIn)));
  // One read-only transaction: the snapshot of members, program and terminal state agree.
  return db.tx('pull', async (sql) => {
    // Partition by partition, always a prefix of each in position order, so nothing is skipped;
    // each query asks only for what still fits in the page.
    const taken: MemberRow[] = [];
    let hasMore = false;
    for (let part = 0; part < PARTITIONS && !hasMore; part++) {
      const remaining = limit - taken.length;
      if (remaining === 0) {
        hasMore = true;
        break;
      }
      const r = await sql.query<MemberRow>(
        `SELECT member_id, part, pos, balance, held, debt, tier, stamps, blocked, offline_redeem_allowed
           FROM member_account WHERE part = $1 AND pos > $2 ORDER BY pos LIMIT $3`,
        [part, cursor.p[part], remaining + 1],
      );
      if (r.rows.length > remaining) hasMore = true;
      taken.push(...r.rows.slice(0, remaining));
    }
    const next = [...cursor.p];
    for (const r of taken) next[num(r.part)] = Math.max(next[num(r.part)]!, num(r.pos));
    const settings = await loadSettings(sql);
    const prog = await sql.query<{ version: number; program: unknown }>('SELECT version, program FROM program_version ORDER BY version DESC LIMIT 1');
    const t = await sql.query<{ last_seq: string }>('SELECT last_seq FROM terminal WHERE terminal_id = $1', [terminalId]);
    const acked = num(t.rows[0]?.last_seq ?? 0);
    return {
      members: taken.map((r) => toSnapshot(r, settings.policy)),
      program: prog.rows[0] ? { version: num(prog.rows[0].version), program: prog.rows[0].program } : null,
      policy: settings.policy,
      ackedThroughSeq: acked,
      appliedThroughSeq: acked,
      nextCursor: encodeCursor({ v: 1, p: next }),
      hasMore,
      serverTime: new Date(now()).toISOString(),
    };
  });
}

export async function memberSnapshot(db: ServerDb, memberId: string): Promise<MemberSnapshotWire> {
  const r = await db.tx('member', async (sql) => {
    const settings = await loadSettings(sql);
    const m = await sql.query<MemberRow>('SELECT * FROM member_account WHERE member_id = $1', [memberId]);
    return m.rows[0] ? toSnapshot(m.rows[0], settings.policy) : null;
  });
  if (!r) fail('NOT_FOUND', 'This member is not known to the chain server yet');
  return r;
}
