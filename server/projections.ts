import { epoch, plusDays } from '../core/loyalty/calendar';
import { replayLots, type LedgerMove } from '../core/loyalty/lots';
import { parseProgram, type Program } from '../core/loyalty/program';
import { quote, type StampState } from '../core/loyalty/quote';
import { inScope } from '../core/loyalty/scope';
import { evaluateTier, type TierState } from '../core/loyalty/tiers';
import type { ChainLoyaltyWire } from '../core/sync/protocol';
import { canonicalJson } from '../core/util/canonical-json';
import { createLogger } from '../core/util/logger';
import { takePositions } from './changes';
import { num, type ServerDb, type Sql } from './db/database';
import { cartOfSale } from './earn';

const log = createLogger('server-projections');

/**
 * Chain-wide tier, stamp cards and pending points (issue 7 item 4, issue 3 item 8), projected
 * from every till's facts after ingest, never inside it:
 * - each member's loyalty is a pure fold of its ledger (sale/refund facts from terminal_event,
 *   point movements from ledger_entry) in business-time order, through core/loyalty's own
 *   `quote` (stamp cards, tier state after each sale), `evaluateTier` and `replayLots`, so the
 *   server applies exactly the rules a till does and a re-run gives the same row (idempotent);
 * - `member_loyalty` caches the fold with the member_account.pos it reflects: a pull recomputes
 *   any row whose pos moved since (so a pull never serves a stale projection, whatever the
 *   projector's lag), and the projector fills the cache from `projection_cursor` (per till, the
 *   last seq read), advancing the cursor in the same transaction (restart-safe);
 * - time-driven changes (a pending lot matures, a sale leaves the rolling window, a tier review)
 *   are found by `recheck_at`; a recheck that changes what a till sees takes a new pull position
 *   from log_head inside its transaction, exactly as ingest and member flags do.
 */

export type PendingLot = ChainLoyaltyWire['pendingLots'][number];

export type MemberLoyalty = Readonly<{
  programVersion: number | null;
  tier: TierState | null;
  /** The level at projection time under the newest program (review and grace applied). */
  levelNow: string | null;
  windowSpend: number;
  lifetimeSpend: number;
  stamps: Readonly<Record<string, StampState>>;
  pendingLots: readonly PendingLot[];
  recheckAt: string | null;
}>;

/** One ledger row of a member, with the sale/refund facts when it is one. */
export type LoyaltyFact = Readonly<{
  entryId: string;
  source: 'terminal' | 'server';
  kind: string;
  delta: number;
  terminalId: string | null;
  saleId: string | null;
  refEventId: string | null;
  businessAt: string; // ISO
  programVersion: number | null;
  reason: string | null;
  facts: Readonly<Record<string, unknown>> | null;
}>;

export type ProgramBook = Readonly<{ byVersion: ReadonlyMap<number, Program>; latest: Readonly<{ version: number; program: Program }> | null }>;

const parsedCache = new Map<string, Program | null>();

/** Every stored version, parsed once; a version that no longer parses (older schema, hand-edited) is skipped with a warning. */
export async function loadProgramBook(sql: Sql): Promise<ProgramBook> {
  const rows = (await sql.query<{ version: number; program: unknown }>('SELECT version, program FROM program_version ORDER BY version')).rows;
  const byVersion = new Map<number, Program>();
  let latest: { version: number; program: Program } | null = null;
  for (const r of rows) {
    const key = `${num(r.version)}:${JSON.stringify(r.program)}`;
    let p = parsedCache.get(key);
    if (p === undefined) {
      try {
        p = parseProgram(r.program);
      } catch (err) {
        log.warn(`program v${num(r.version)} is not readable and is ignored by the projection: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
        p = null;
      }
      if (parsedCache.size > 1000) parsedCache.clear();
      parsedCache.set(key, p);
    }
    if (p) {
      byVersion.set(num(r.version), p);
      latest = { version: num(r.version), program: p };
    }
  }
  return { byVersion, latest };
}

/** The version a fact names when the server has it readable; otherwise the newest readable one (a till's unknown version still counts). */
function programFor(book: ProgramBook, version: number | null): Program | null {
  return (version !== null ? book.byVersion.get(version) : undefined) ?? book.latest?.program ?? null;
}

/** Whether any readable version has something to project; if none does, every projection is EMPTY and no fact is read. */
export function projectable(book: ProgramBook): boolean {
  for (const p of book.byVersion.values()) if (p.tiers || p.stamps.length > 0 || p.points.pendingDays > 0) return true;
  return false;
}

export const EMPTY_LOYALTY: MemberLoyalty = { programVersion: null, tier: null, levelNow: null, windowSpend: 0, lifetimeSpend: 0, stamps: {}, pendingLots: [], recheckAt: null };

const DAY = 86_400_000;
const SPEND_WINDOW_DEFAULT = 365;

/** What a sale counts towards a tier (docs/loyalty.md "Tiers"): its total after discounts, without gift certificates bought. */
function qualifyingAmount(facts: Readonly<Record<string, unknown>>, program: Program | null): number {
  const total = Number.isSafeInteger(facts.total) ? (facts.total as number) : 0;
  const lines = Array.isArray(facts.lines) ? (facts.lines as Record<string, unknown>[]) : [];
  let gifts = 0;
  if (program) {
    for (const l of lines) {
      if (typeof l !== 'object' || l === null) continue;
      const line = { productId: String(l.productId ?? ''), sku: String(l.sku ?? ''), category: String(l.category ?? '') };
      const gs = program.giftCertificates.scope;
      if (gs.categories.length + gs.products.length > 0 && inScope(gs, line)) gifts += (Number.isSafeInteger(l.amount) ? (l.amount as number) : 0) - (Number.isSafeInteger(l.discount) ? (l.discount as number) : 0);
    }
  }
  return Math.max(0, total - gifts);
}

/**
 * Qualifying spend as facts arrive in business-time order (docs/loyalty.md "Tiers": sales after
 * discounts, minus their refunds): a running lifetime sum and a rolling-window sum whose left edge
 * only moves forward, so a member with thousands of sales folds in linear time.
 */
class SpendTally {
  private readonly sales: { at: number; net: number }[] = [];
  private readonly index = new Map<string, number>();
  private left = 0; // first sale inside the window
  private from = Number.NEGATIVE_INFINITY; // the window is (from, now]
  private inWindow = 0;
  lifetime = 0;

  addSale(saleId: string, at: number, amount: number): void {
    this.index.set(saleId, this.sales.length);
    this.sales.push({ at, net: amount });
    this.lifetime += amount;
    if (at > this.from) this.inWindow += amount;
  }

  addRefund(saleId: string, amount: number): void {
    const i = this.index.get(saleId);
    if (i === undefined) return;
    this.sales[i]!.net -= amount;
    this.lifetime -= amount;
    if (i >= this.left) this.inWindow -= amount;
  }

  /** Spend of the sales after `fromMs` (all recorded so far are at or before the current fact). */
  window(fromMs: number): number {
    if (fromMs < this.from) {
      // A later version with a longer window: count again from the start (rare).
      this.left = 0;
      this.inWindow = 0;
      while (this.left < this.sales.length && this.sales[this.left]!.at <= fromMs) this.left++;
      for (let i = this.left; i < this.sales.length; i++) this.inWindow += this.sales[i]!.net;
    } else {
      while (this.left < this.sales.length && this.sales[this.left]!.at <= fromMs) this.inWindow -= this.sales[this.left++]!.net;
    }
    this.from = fromMs;
    return Math.max(0, this.inWindow);
  }

  /** When the oldest sale still in the window leaves it (null: none in it). */
  firstInWindowAt(): number | null {
    return this.left < this.sales.length ? this.sales[this.left]!.at : null;
  }
}

/**
 * The fold. `facts` are one member's ledger rows in business-time order (ties by entry id);
 * `now` is the server clock. Pure: same facts, programs and time → same result.
 */
export function foldMemberLoyalty(memberId: string, facts: readonly LoyaltyFact[], book: ProgramBook, nowIso: string): MemberLoyalty {
  const nowMs = epoch(nowIso)!;
  const current = book.latest?.program ?? null;
  let tier: TierState | null = null;
  const stamps: Record<string, StampState> = {};
  const spend = new SpendTally();
  const sales = new Map<string, { lines: readonly Record<string, unknown>[]; program: Program | null }>();
  const moves: LedgerMove[] = [];
  const lotOrigin = new Map<string, { terminalId: string | null; fromTill: boolean }>();

  facts.forEach((f, i) => {
    const program = programFor(book, f.programVersion);
    const atMs = epoch(f.businessAt)!;
    if (f.delta !== 0) {
      // Earned points (the till's earn and bonus, and the server's upward recomputation of an earn)
      // are pending for the program's pendingDays from business time, fixed when earned.
      const earned = f.delta > 0 && ((f.source === 'terminal' && (f.kind === 'earn' || f.kind === 'bonus')) || (f.source === 'server' && f.reason === 'earn_recomputed'));
      const days = earned && program ? program.points.pendingDays : 0;
      moves.push({
        seq: i + 1,
        eventId: f.entryId,
        kind: f.kind,
        delta: f.delta,
        refEventId: f.refEventId,
        occurredAt: f.businessAt,
        availableAt: days > 0 ? plusDays(f.businessAt, days, program!.timezone) : f.businessAt,
        expiresAt: null, // expiry is the server's own run (server/expiry.ts), recorded as entries
      });
      lotOrigin.set(f.entryId, { terminalId: f.terminalId, fromTill: f.source === 'terminal' });
    }
    if (f.kind === 'sale' && f.facts && f.saleId) {
      const lines = Array.isArray(f.facts.lines) ? (f.facts.lines as Record<string, unknown>[]) : [];
      sales.set(f.saleId, { lines, program });
      const cart = cartOfSale(f.facts);
      if (program && cart) {
        const windowDays = program.tiers?.windowDays ?? SPEND_WINDOW_DEFAULT;
        try {
          // The till's own engine replays the sale: stamps given and rewards taken, tier state after it.
          const q = quote({
            program,
            programVersion: f.programVersion,
            lines: cart,
            member: {
              id: memberId,
              balance: 0,
              tier,
              // Spend *before* this sale judges its level (docs/loyalty.md): it is not in the tally yet.
              windowSpend: spend.window(epoch(plusDays(f.businessAt, -windowDays, program.timezone))!),
              lifetimeSpend: Math.max(0, spend.lifetime),
              stamps,
            },
            redeem: { mode: 'none' },
            at: f.businessAt,
          });
          if (q.tier) tier = q.tier.stateAfter;
          for (const s of q.stamps) stamps[s.cardId] = { count: s.count, lastAt: s.lastAt };
        } catch (err) {
          log.debug(`sale ${f.saleId} not replayable for tier/stamps: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      spend.addSale(f.saleId, atMs, qualifyingAmount(f.facts, program));
    } else if (f.kind === 'refund' && f.facts && f.saleId) {
      const sale = sales.get(f.saleId);
      const amount = Number.isSafeInteger(f.facts.amount) ? (f.facts.amount as number) : 0;
      if (sale) {
        spend.addRefund(f.saleId, amount);
        // Stamps the returned items earned come off the card, never below zero (as backend/loyalty/refund.ts).
        const returned = Array.isArray(f.facts.lines) ? (f.facts.lines as Record<string, unknown>[]) : [];
        for (const card of sale.program?.stamps ?? []) {
          let units = 0;
          for (const r of returned) {
            const line = sale.lines.find((l) => l && l.lineNo === r?.lineNo);
            if (line && Number.isSafeInteger(r.qty) && inScope(card.scope, { productId: String(line.productId ?? ''), sku: String(line.sku ?? ''), category: String(line.category ?? '') })) units += r.qty as number;
          }
          const s = stamps[card.id];
          if (units > 0 && s) stamps[card.id] = { count: Math.max(0, s.count - units), lastAt: s.lastAt };
        }
      }
    }
  });

  // Assigned inside the loop's closure, which TypeScript's narrowing does not see.
  const tierAfter = tier as TierState | null;
  const windowDays = current?.tiers?.windowDays ?? SPEND_WINDOW_DEFAULT;
  const windowStart = current ? epoch(plusDays(nowIso, -windowDays, current.timezone))! : nowMs - windowDays * DAY;
  const lots = replayLots(moves).lots;
  const pendingLots: PendingLot[] = lots
    .filter((l) => epoch(l.availableAt)! > nowMs)
    .map((l) => ({ points: l.remaining, availableAt: new Date(epoch(l.availableAt)!).toISOString(), ...(lotOrigin.get(l.eventId) ?? { terminalId: null, fromTill: false }) }));

  // The earliest moment something a till sees changes by itself.
  const times: number[] = pendingLots.map((l) => epoch(l.availableAt)!);
  const windowSpend = spend.window(windowStart);
  const lifetimeSpend = Math.max(0, spend.lifetime);
  const leaves = spend.firstInWindowAt();
  if (leaves !== null) times.push(leaves + windowDays * DAY);
  if (tierAfter && current?.tiers) {
    times.push(epoch(tierAfter.reviewAt)!);
    times.push(epoch(plusDays(tierAfter.reviewAt, current.tiers.graceDays, current.timezone))!);
  }
  for (const card of current?.stamps ?? []) {
    const s = stamps[card.id];
    if (card.expiryDays && s?.lastAt && s.count > 0) times.push(epoch(s.lastAt)! + card.expiryDays * DAY + 1);
  }
  const future = times.filter((t) => t > nowMs);
  return {
    programVersion: book.latest?.version ?? null,
    tier: tierAfter,
    levelNow: levelAt(book, tierAfter, windowSpend, lifetimeSpend, nowIso),
    windowSpend,
    lifetimeSpend,
    stamps,
    pendingLots,
    recheckAt: future.length ? new Date(Math.min(...future)).toISOString() : null,
  };
}

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

/** One query for the facts of many members (member-keyed rows joined to their terminal facts). */
export async function loadFacts(sql: Sql, memberIds: readonly string[]): Promise<Map<string, LoyaltyFact[]>> {
  const out = new Map<string, LoyaltyFact[]>();
  for (const m of memberIds) out.set(m, []);
  if (memberIds.length === 0) return out;
  const r = await sql.query<Record<string, unknown>>(
    `SELECT l.member_id, l.entry_id, l.source, l.kind, l.delta, l.terminal_id, l.sale_id, l.ref_event_id, l.business_at, l.program_version, l.reason,
            t.payload AS facts
       FROM ledger_entry l
       LEFT JOIN terminal_event t ON l.kind IN ('sale', 'refund') AND l.source = 'terminal' AND t.terminal_id = l.terminal_id AND t.seq = l.terminal_seq
      WHERE l.member_id IN (SELECT jsonb_array_elements_text($1::jsonb))
      ORDER BY l.member_id, l.business_at, l.entry_id`,
    [JSON.stringify(memberIds)],
  );
  for (const x of r.rows) {
    out.get(String(x.member_id))?.push({
      entryId: String(x.entry_id),
      source: x.source === 'server' ? 'server' : 'terminal',
      kind: String(x.kind),
      delta: num(x.delta),
      terminalId: (x.terminal_id as string | null) ?? null,
      saleId: (x.sale_id as string | null) ?? null,
      refEventId: (x.ref_event_id as string | null) ?? null,
      businessAt: iso(x.business_at),
      programVersion: x.program_version === null || x.program_version === undefined ? null : num(x.program_version),
      reason: (x.reason as string | null) ?? null,
      facts: x.facts && typeof x.facts === 'object' ? (x.facts as Record<string, unknown>) : null,
    });
  }
  return out;
}

/** Compute members' loyalty now (no writes). */
export async function computeLoyalty(sql: Sql, memberIds: readonly string[], nowIso: string, book?: ProgramBook): Promise<Map<string, MemberLoyalty>> {
  const programs = book ?? (await loadProgramBook(sql));
  if (!projectable(programs)) return new Map(memberIds.map((m) => [m, { ...EMPTY_LOYALTY, programVersion: programs.latest?.version ?? null }]));
  const facts = await loadFacts(sql, memberIds);
  const out = new Map<string, MemberLoyalty>();
  for (const [m, f] of facts) out.set(m, foldMemberLoyalty(m, f, programs, nowIso));
  return out;
}

/** What a till sees of a projection; a recheck that changes this moves the member's pull position. */
function visible(l: MemberLoyalty): string {
  // Not the program version: a new version that changes nobody's figures must not re-send every member.
  // Canonical (sorted keys): a row read back from jsonb has its keys in jsonb's order, not ours.
  return canonicalJson([l.tier, l.levelNow, l.windowSpend, l.lifetimeSpend, l.stamps, l.pendingLots]);
}

export function rowToLoyalty(r: Record<string, unknown>): MemberLoyalty {
  return {
    programVersion: r.program_version === null || r.program_version === undefined ? null : num(r.program_version),
    tier: r.tier_level_id ? { levelId: String(r.tier_level_id), reviewAt: String(r.tier_review_at) } : null,
    levelNow: (r.level_now as string | null | undefined) ?? null,
    windowSpend: num(r.window_spend),
    lifetimeSpend: num(r.lifetime_spend),
    stamps: (r.stamps ?? {}) as Record<string, StampState>,
    pendingLots: (r.pending_lots ?? []) as PendingLot[],
    recheckAt: r.recheck_at ? iso(r.recheck_at) : null,
  };
}

/** Store projections as reflecting `pos`; an older position never overwrites a newer one. */
export async function storeLoyalty(sql: Sql, rows: readonly Readonly<{ memberId: string; pos: number; loyalty: MemberLoyalty }>[], nowIso: string): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO member_loyalty (member_id, account_pos, tier_level_id, tier_review_at, level_now, window_spend, lifetime_spend, stamps, pending_lots, program_version, recheck_at, projected_at)
     SELECT x.member_id, x.pos, x.tier_level_id, x.tier_review_at, x.level_now, x.window_spend, x.lifetime_spend, x.stamps, x.pending_lots, x.program_version, x.recheck_at, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(member_id text, pos bigint, tier_level_id text, tier_review_at text, level_now text, window_spend bigint, lifetime_spend bigint,
            stamps jsonb, pending_lots jsonb, program_version integer, recheck_at timestamptz)
      ORDER BY x.member_id
     ON CONFLICT (member_id) DO UPDATE SET account_pos = excluded.account_pos, tier_level_id = excluded.tier_level_id, tier_review_at = excluded.tier_review_at,
            level_now = excluded.level_now,
            window_spend = excluded.window_spend, lifetime_spend = excluded.lifetime_spend, stamps = excluded.stamps, pending_lots = excluded.pending_lots,
            program_version = excluded.program_version, recheck_at = excluded.recheck_at, projected_at = excluded.projected_at
      WHERE member_loyalty.account_pos <= excluded.account_pos`,
    [
      JSON.stringify(rows.map((r) => ({
        member_id: r.memberId, pos: r.pos, tier_level_id: r.loyalty.tier?.levelId ?? null, tier_review_at: r.loyalty.tier?.reviewAt ?? null, level_now: r.loyalty.levelNow,
        window_spend: r.loyalty.windowSpend, lifetime_spend: r.loyalty.lifetimeSpend, stamps: r.loyalty.stamps, pending_lots: r.loyalty.pendingLots,
        program_version: r.loyalty.programVersion, recheck_at: r.loyalty.recheckAt,
      }))),
      nowIso,
    ],
  );
}

/**
 * Recompute members whose cached row is not at their current position (a pull or another till's
 * stream may have done it already) and cache the result at the position read *before* the facts,
 * so a later write always shows as stale.
 */
async function projectMembers(sql: Sql, memberIds: readonly string[], nowIso: string, book: ProgramBook): Promise<number> {
  if (memberIds.length === 0) return 0;
  const pos = await sql.query<{ member_id: string; pos: string }>(
    `SELECT m.member_id, m.pos FROM member_account m LEFT JOIN member_loyalty ml ON ml.member_id = m.member_id
      WHERE m.member_id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND ml.account_pos IS DISTINCT FROM m.pos`,
    [JSON.stringify(memberIds)],
  );
  const ids = pos.rows.map((r) => r.member_id);
  const computed = await computeLoyalty(sql, ids, nowIso, book);
  await storeLoyalty(sql, pos.rows.map((r) => ({ memberId: r.member_id, pos: num(r.pos), loyalty: computed.get(r.member_id)! })), nowIso);
  return ids.length;
}

export type CatchUpReport = Readonly<{ members: number; terminals: number; swept: number; rechecked: number; moved: number }>;

/**
 * Bring the cache up to every till's stream, sweep members after a program change, then
 * re-check members whose projection changes with time. At most `maxMembers` members per call (a
 * pull calls this and must stay bounded); what is left is done by the next call. Safe to run
 * concurrently and to interrupt: each cursor moves in the transaction that stores what it covered.
 */
export async function catchUpProjections(db: ServerDb, opts: Readonly<{ now?: () => number; maxMembers?: number; chunkEvents?: number; maxSteps?: number }> = {}): Promise<CatchUpReport> {
  const now = opts.now ?? Date.now;
  const maxMembers = opts.maxMembers ?? 2_000;
  const chunk = opts.chunkEvents ?? 2_000;
  const maxSteps = opts.maxSteps ?? 64;
  const book = await db.tx('project programs', (sql) => loadProgramBook(sql));
  if (!projectable(book)) {
    // Nothing to project under any version: only the cursors move (a later program is swept in full).
    await db.query(
      `INSERT INTO projection_cursor (terminal_id, seq) SELECT terminal_id, last_seq FROM terminal WHERE last_seq > 0 ORDER BY terminal_id
       ON CONFLICT (terminal_id) DO UPDATE SET seq = GREATEST(projection_cursor.seq, excluded.seq) WHERE projection_cursor.seq < excluded.seq`,
    );
    return { members: 0, terminals: 0, swept: 0, rechecked: 0, moved: 0 };
  }
  let members = 0;
  let terminals = 0;
  // Steps are bounded too: a stream whose members pulls already projected costs a step, not a member.
  while (members < maxMembers && terminals < maxSteps) {
    const step = await db.tx('project', async (sql) => {
      await sql.query(
        `INSERT INTO projection_cursor (terminal_id, seq)
         SELECT t.terminal_id, 0 FROM terminal t WHERE NOT EXISTS (SELECT 1 FROM projection_cursor c WHERE c.terminal_id = t.terminal_id)
          ORDER BY t.terminal_id ON CONFLICT (terminal_id) DO NOTHING`,
      );
      // A till's stream another projector is reading right now is skipped, not waited for: the
      // pull that runs this computes its own stale rows anyway.
      const behind = await sql.query<{ terminal_id: string; seq: string; last_seq: string }>(
        `SELECT c.terminal_id, c.seq, t.last_seq FROM projection_cursor c JOIN terminal t ON t.terminal_id = c.terminal_id
          WHERE t.last_seq > c.seq ORDER BY c.terminal_id LIMIT 1 FOR UPDATE OF c SKIP LOCKED`,
      );
      const t = behind.rows[0];
      if (!t) return null;
      const from = num(t.seq);
      const upto = Math.min(num(t.last_seq), from + chunk);
      const touched = await sql.query<{ member_id: string }>(
        'SELECT DISTINCT member_id FROM terminal_event WHERE terminal_id = $1 AND seq > $2 AND seq <= $3 AND member_id IS NOT NULL ORDER BY member_id',
        [t.terminal_id, from, upto],
      );
      const n = await projectMembers(sql, touched.rows.map((r) => r.member_id), new Date(now()).toISOString(), book);
      await sql.query('UPDATE projection_cursor SET seq = $2 WHERE terminal_id = $1', [t.terminal_id, upto]);
      return { members: n };
    });
    if (!step) break;
    terminals++;
    members += step.members;
  }
  let swept = 0;
  while (members + swept < maxMembers) {
    const n = await sweepStep(db, book, new Date(now()).toISOString(), Math.min(500, maxMembers - members - swept));
    if (n === 0) break;
    swept += n;
  }
  const due = members + swept < maxMembers ? await recheckDue(db, new Date(now()).toISOString(), Math.min(500, maxMembers - members - swept)) : { rechecked: 0, moved: 0 };
  return { members, terminals, swept, ...due };
}

/**
 * After a new program version every member is projected again under it, a slice at a time in
 * member_id order (projection_sweep remembers where it stopped). Returns how many it did; 0 once
 * the sweep for the newest version is complete.
 */
async function sweepStep(db: ServerDb, book: ProgramBook, nowIso: string, limit: number): Promise<number> {
  const latest = book.latest?.version ?? null;
  return db.tx('project sweep', async (sql) => {
    // One sweeper at a time; the others go on without waiting.
    const st = (await sql.query<{ target_version: number | null; swept_version: number | null; after_member: string }>('SELECT target_version, swept_version, after_member FROM projection_sweep WHERE id = 1 FOR UPDATE SKIP LOCKED')).rows[0];
    if (!st || st.swept_version === latest) return 0;
    const after = st.target_version === latest ? st.after_member : '';
    const slice = (await sql.query<{ member_id: string; fresh: boolean }>(
      `SELECT m.member_id, (ml.program_version IS NOT DISTINCT FROM $3::integer AND ml.account_pos = m.pos) AS fresh
         FROM member_account m LEFT JOIN member_loyalty ml ON ml.member_id = m.member_id
        WHERE m.member_id > $1 ORDER BY m.member_id LIMIT $2`,
      [after, limit, latest],
    )).rows;
    const ids = slice.map((r) => r.member_id);
    // Rows already projected under this version at the member's current position need nothing.
    await reproject(sql, slice.filter((r) => !r.fresh).map((r) => r.member_id), nowIso, book);
    const done = ids.length < limit;
    await sql.query('UPDATE projection_sweep SET target_version = $1, after_member = $2, swept_version = CASE WHEN $3 THEN $1 ELSE swept_version END WHERE id = 1', [latest, ids.length ? ids[ids.length - 1]! : after, done]);
    return Math.max(ids.length, done ? 0 : 1);
  });
}

/** Members whose projection changes with time (a lot matures, spend leaves the window, a review date). */
export async function recheckDue(db: ServerDb, nowIso: string, limit: number): Promise<{ rechecked: number; moved: number }> {
  return db.tx('project due', async (sql) => {
    const due = await sql.query<{ member_id: string }>('SELECT member_id FROM member_loyalty WHERE recheck_at <= $1 ORDER BY member_id LIMIT $2', [nowIso, limit]);
    if (due.rows.length === 0) return { rechecked: 0, moved: 0 };
    return reproject(sql, due.rows.map((r) => r.member_id), nowIso, await loadProgramBook(sql));
  });
}

/** Recompute members; a change a till can see takes a new pull position (as ingest and member flags do). */
async function reproject(sql: Sql, memberIds: readonly string[], nowIso: string, book: ProgramBook): Promise<{ rechecked: number; moved: number }> {
  if (memberIds.length === 0) return { rechecked: 0, moved: 0 };
  // Same lock order as ingest: member rows (sorted), then the partitions' log_head rows (sorted).
  const acc = await sql.query<{ member_id: string; part: number; pos: string }>(
    'SELECT member_id, part, pos FROM member_account WHERE member_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY member_id FOR UPDATE',
    [JSON.stringify(memberIds)],
  );
  const stored = await sql.query<Record<string, unknown>>('SELECT * FROM member_loyalty WHERE member_id IN (SELECT jsonb_array_elements_text($1::jsonb))', [JSON.stringify(acc.rows.map((r) => r.member_id))]);
  const before = new Map(stored.rows.map((r) => [String(r.member_id), rowToLoyalty(r)]));
  const computed = await computeLoyalty(sql, acc.rows.map((r) => r.member_id), nowIso, book);
  const changed = acc.rows.filter((r) => visible(before.get(r.member_id) ?? EMPTY_LOYALTY) !== visible(computed.get(r.member_id)!));
  const newPos = await takePositions(sql, changed.map((r) => r.member_id));
  await storeLoyalty(sql, acc.rows.map((r) => ({ memberId: r.member_id, pos: newPos.get(r.member_id) ?? num(r.pos), loyalty: computed.get(r.member_id)! })), nowIso);
  return { rechecked: acc.rows.length, moved: newPos.size };
}

/** The wire form at the pull's server time; `pending` counts only lots still pending then. */
export function loyaltyWire(l: MemberLoyalty, asOf: string): Readonly<{ wire: ChainLoyaltyWire; pending: number; levelNow: string | null; stampsTotal: number }> {
  const at = epoch(asOf)!;
  const pendingLots = l.pendingLots.filter((p) => epoch(p.availableAt)! > at);
  return {
    wire: { asOf, programVersion: l.programVersion, tier: l.tier, windowSpend: l.windowSpend, lifetimeSpend: l.lifetimeSpend, stamps: l.stamps, pendingLots },
    pending: pendingLots.reduce((a, p) => a + p.points, 0),
    levelNow: l.tier?.levelId ?? null,
    stampsTotal: Object.values(l.stamps).reduce((a, s) => a + s.count, 0),
  };
}

/** A member's level at `asOf` under the newest program: upgrades at once, downgrades after review and grace (core's evaluateTier). */
function levelAt(book: ProgramBook, tier: TierState | null, windowSpend: number, lifetimeSpend: number, asOf: string): string | null {
  const tiers = book.latest?.program.tiers;
  if (!tiers || !tier) return tier?.levelId ?? null;
  return evaluateTier(tiers, tier, tiers.basis === 'lifetime' ? lifetimeSpend : windowSpend, asOf, book.latest!.program.timezone).level.id;
}

/** The level a pull reports at its own time (the projection may be a little older). */
export function tierLevelAt(book: ProgramBook, l: MemberLoyalty, asOf: string): string | null {
  return levelAt(book, l.tier, l.windowSpend, l.lifetimeSpend, asOf);
}
