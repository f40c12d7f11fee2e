import { fail } from '../core/util/errors';
import type { MemberSnapshotWire, PullResponse } from '../core/sync/protocol';
import { createLogger } from '../core/util/logger';
import { num, type ServerDb, type Sql } from './db/database';
import { catchUpProjections, computeLoyalty, loadProgramBook, projectable, loyaltyWire, rowToLoyalty, storeLoyalty, tierLevelAt, type MemberLoyalty, type ProgramBook } from './projections';
import { loadSettings, offlineAllowance, PARTITIONS } from './settings';

const log = createLogger('server-pull');

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

/**
 * A member's snapshot. With a projection (`loyalty`), tier and stamps are the chain's and the
 * points still pending at `asOf` are reported apart and kept out of the offline allowance.
 */
export function toSnapshot(
  r: MemberRow,
  policy: Parameters<typeof offlineAllowance>[0],
  chain?: Readonly<{ loyalty: MemberLoyalty; book: ProgramBook; asOf: string }>,
): MemberSnapshotWire {
  const balance = num(r.balance);
  const held = num(r.held);
  const blocked = Boolean(r.blocked);
  const offlineRedeemAllowed = Boolean(r.offline_redeem_allowed);
  const base = {
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
  if (!chain) return base;
  const w = loyaltyWire(chain.loyalty, chain.asOf);
  return {
    ...base,
    tier: tierLevelAt(chain.book, chain.loyalty, chain.asOf),
    stamps: w.stampsTotal,
    // Pending points are not spendable anywhere: they count like a hold for the allowance.
    offlineAllowance: offlineAllowance(policy, { balance, held: held + w.pending, blocked, offlineRedeemAllowed }),
    pending: w.pending,
    loyalty: w.wire,
  };
}

/**
 * The projections of these member rows, fresh: cached rows that reflect the member's current
 * position are used as they are, the others are recomputed now (and cached) so a pull never
 * serves a projection older than the balance beside it.
 */
async function loyaltyOf(sql: Sql, rows: readonly MemberRow[], asOf: string, book: ProgramBook): Promise<Map<string, MemberLoyalty>> {
  const out = new Map<string, MemberLoyalty>();
  // No version has tiers, stamps or a pending period: nothing to add to the snapshots.
  if (!projectable(book)) return out;
  const stale: MemberRow[] = [];
  for (const r of rows) {
    if (r.ml_account_pos !== null && r.ml_account_pos !== undefined && num(r.ml_account_pos) === num(r.pos)) {
      out.set(String(r.member_id), rowToLoyalty({
        program_version: r.ml_program_version, tier_level_id: r.ml_tier_level_id, tier_review_at: r.ml_tier_review_at, level_now: r.ml_level_now, window_spend: r.ml_window_spend,
        lifetime_spend: r.ml_lifetime_spend, stamps: r.ml_stamps, pending_lots: r.ml_pending_lots, recheck_at: r.ml_recheck_at,
      }));
    } else stale.push(r);
  }
  if (stale.length) {
    const computed = await computeLoyalty(sql, stale.map((r) => String(r.member_id)), asOf, book);
    for (const [m, l] of computed) out.set(m, l);
    await storeLoyalty(sql, stale.map((r) => ({ memberId: String(r.member_id), pos: num(r.pos), loyalty: computed.get(String(r.member_id))! })), asOf);
  }
  return out;
}

const MEMBER_COLUMNS = `m.member_id, m.part, m.pos, m.balance, m.held, m.debt, m.tier, m.stamps, m.blocked, m.offline_redeem_allowed,
       ml.account_pos AS ml_account_pos, ml.program_version AS ml_program_version, ml.tier_level_id AS ml_tier_level_id,
       ml.tier_review_at AS ml_tier_review_at, ml.level_now AS ml_level_now, ml.window_spend AS ml_window_spend, ml.lifetime_spend AS ml_lifetime_spend,
       ml.stamps AS ml_stamps, ml.pending_lots AS ml_pending_lots, ml.recheck_at AS ml_recheck_at`;

export async function pullChanges(db: ServerDb, terminalId: string, cursorText: string | undefined, limitIn = 500, now: () => number = Date.now): Promise<PullResponse> {
  const cursor = decodeCursor(cursorText);
  const limit = Math.max(1, Math.min(5_000, Math.floor(limitIn)));
  // Bounded catch-up of the projector first (cheap when nothing is new); a failure only means
  // this pull computes more projections itself.
  await catchUpProjections(db, { now, maxMembers: 2_000 }).catch((err) => log.warn(`projection catch-up: ${err instanceof Error ? err.message : String(err)}`));
  // One transaction: the snapshot of members, program and terminal state agree.
  return db.tx('pull', async (sql) => {
    // Partition by partition, always a prefix of each in position order, so nothing is skipped;
    // each query reads only as many change rows as still fit in the page. A row that is no
    // longer the member's newest (pos ≠ member_account.pos) comes back without a member: a newer
    // row of the same member lies further on in this partition, so it is passed over and the
    // cursor may move beyond it. Positions, not members, are counted against the page, so a page
    // ends where its last change row does and the next page reads on from there.
    const taken: MemberRow[] = [];
    const next = [...cursor.p];
    let budget = limit;
    let hasMore = false;
    for (let part = 0; part < PARTITIONS && !hasMore; part++) {
      if (budget === 0) {
        hasMore = true;
        break;
      }
      const r = await sql.query<MemberRow & { change_pos: string }>(
        `SELECT c.pos AS change_pos, ${MEMBER_COLUMNS}
           FROM (SELECT pos, member_id FROM member_change WHERE part = $1 AND pos > $2 ORDER BY pos LIMIT $3) c
                LEFT JOIN member_account m ON m.member_id = c.member_id AND m.pos = c.pos
                LEFT JOIN member_loyalty ml ON ml.member_id = m.member_id
          ORDER BY c.pos`,
        [part, cursor.p[part], budget + 1],
      );
      if (r.rows.length > budget) hasMore = true;
      const rows = r.rows.slice(0, budget);
      budget -= rows.length;
      if (rows.length) next[part] = num(rows[rows.length - 1]!.change_pos);
      for (const row of rows) if (row.member_id !== null) taken.push(row);
    }
    const settings = await loadSettings(sql);
    const prog = await sql.query<{ version: number; program: unknown }>('SELECT version, program FROM program_version ORDER BY version DESC LIMIT 1');
    const t = await sql.query<{ last_seq: string }>('SELECT last_seq FROM terminal WHERE terminal_id = $1', [terminalId]);
    const acked = num(t.rows[0]?.last_seq ?? 0);
    const asOf = new Date(now()).toISOString();
    const book = await loadProgramBook(sql);
    const loyalty = await loyaltyOf(sql, taken, asOf, book);
    return {
      members: taken.map((r) => {
        const l = loyalty.get(String(r.member_id));
        return toSnapshot(r, settings.policy, l ? { loyalty: l, book, asOf } : undefined);
      }),
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

export async function memberSnapshot(db: ServerDb, memberId: string, now: () => number = Date.now): Promise<MemberSnapshotWire> {
  const r = await db.tx('member', async (sql) => {
    const settings = await loadSettings(sql);
    const m = await sql.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM member_account m LEFT JOIN member_loyalty ml ON ml.member_id = m.member_id WHERE m.member_id = $1`, [memberId]);
    if (!m.rows[0]) return null;
    const asOf = new Date(now()).toISOString();
    const book = await loadProgramBook(sql);
    const loyalty = await loyaltyOf(sql, m.rows, asOf, book);
    const l = loyalty.get(memberId);
    return toSnapshot(m.rows[0], settings.policy, l ? { loyalty: l, book, asOf } : undefined);
  });
  if (!r) fail('NOT_FOUND', 'This member is not known to the chain server yet');
  return r;
}
