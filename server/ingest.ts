import { createHash } from 'node:crypto';
import { chainPreimage, LEDGER_KINDS, type LedgerEvent } from '../core/ledger/event';
import { canonicalJson } from '../core/util/canonical-json';
import { fail, KopilkaError } from '../core/util/errors';
import { uuidv7, isUuid } from '../core/util/ids';
import { MAX_BATCH_EVENTS, type EventResult, type PushRequest, type PushResponse, type ServerEntry } from '../core/sync/protocol';
import { num, pgArray, serializationFailure, type Row, type ServerDb, type Sql } from './db/database';
import { recomputeEarn } from './earn';
import { partitionOf, settingsFrom, SETTINGS_VALUE, type ServerSettings } from './settings';

/**
 * Push ingest (research/sync.md §2.2), one transaction per batch:
 *   1. idempotency key → replay the stored response (same body) or 409 (other body);
 *   2. lock the terminal row, walk events in seq order: dedupe by id, then contiguity and hash
 *      chain; an integrity failure quarantines the till and stops (the valid prefix is kept);
 *   3. append accepted events to terminal_event (terminal-keyed);
 *   4. apply them to the member shard (member-keyed): balances, holds, business checks that add
 *      server entries (corrections, overdraft, settlements) but never refuse a recorded fact;
 *   5. take pull positions, advance the terminal, store the response under the batch id.
 * Steps 3 and 4 touch different distribution keys; on one node they share the transaction.
 */
export type IngestOptions = Readonly<{ now?: () => number }>;
export type IngestOutcome = Readonly<{ statusCode: number; body: PushResponse | { error: { code: string; message: string } }; replayed: boolean; text?: string }>;

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export function validatePush(body: unknown, terminalId: string): PushRequest {
  const b = body as PushRequest;
  if (typeof b !== 'object' || b === null) fail('VALIDATION', 'The batch is not a JSON object');
  if (typeof b.batchId !== 'string' || b.batchId.length < 8 || b.batchId.length > 64) fail('VALIDATION', 'batchId must be a string of 8–64 characters');
  if (!Array.isArray(b.events) || b.events.length === 0) fail('VALIDATION', 'A batch needs at least one event');
  if (b.events.length > MAX_BATCH_EVENTS) fail('LIMIT_EXCEEDED', `A batch carries at most ${MAX_BATCH_EVENTS} events`);
  if (typeof b.clientTime !== 'string') fail('VALIDATION', 'clientTime is required');
  for (const e of b.events) {
    if (typeof e !== 'object' || e === null) fail('VALIDATION', 'Every event must be an object');
    if (!isUuid(e.id)) fail('VALIDATION', 'Event id must be a UUID');
    if (e.terminalId !== terminalId) fail('FORBIDDEN', 'A till may only upload its own events');
    if (!Number.isSafeInteger(e.seq) || e.seq < 1) fail('VALIDATION', `Event ${e.id}: seq must be a positive integer`);
    if (!(LEDGER_KINDS as readonly string[]).includes(e.kind)) fail('VALIDATION', `Event ${e.id}: unknown kind ${String(e.kind)}`);
    if (!Number.isSafeInteger(e.delta)) fail('VALIDATION', `Event ${e.id}: delta must be an integer`);
    if (e.memberId !== null && typeof e.memberId !== 'string') fail('VALIDATION', `Event ${e.id}: memberId must be a string or null`);
    if (typeof e.occurredAt !== 'string' || typeof e.prevHash !== 'string' || typeof e.hash !== 'string') fail('VALIDATION', `Event ${e.id}: occurredAt, prevHash and hash are required`);
    if (typeof e.payload !== 'object' || e.payload === null || Array.isArray(e.payload)) fail('VALIDATION', `Event ${e.id}: payload must be an object`);
    if (e.programVersion !== null && !Number.isSafeInteger(e.programVersion)) fail('VALIDATION', `Event ${e.id}: programVersion must be an integer or null`);
  }
  return b;
}

export function eventHash(e: LedgerEvent): string {
  return sha(envelopePreimage(e) ?? genericPreimage(e));
}

function genericPreimage(e: LedgerEvent): string {
  const { hash: _omit, ...rest } = e;
  return chainPreimage(rest);
}

/** The envelope's fields (LedgerEvent), which is all a till sends; canonical order is these sorted. */
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['delta', 'hash', 'id', 'kind', 'memberId', 'occurredAt', 'payload', 'prevHash', 'programVersion', 'refEventId', 'saleId', 'seq', 'terminalId']);
const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const intOrNull = (v: unknown): v is number | null => v === null || Number.isSafeInteger(v);
const q = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/**
 * chainPreimage written out for the exact envelope shape: the same bytes as the generic
 * canonicalJson (keys sorted, no whitespace, integers only) without sorting keys per event,
 * which was most of ingest's hashing time. Anything else (extra or missing fields, other
 * types) returns null and takes the generic path; a property test holds the two equal.
 */
export function envelopePreimage(e: LedgerEvent): string | null {
  const keys = Object.keys(e);
  if (keys.length !== ENVELOPE_KEYS.size) return null;
  for (const k of keys) if (!ENVELOPE_KEYS.has(k)) return null;
  const { delta, id, kind, memberId, occurredAt, payload, prevHash, programVersion, refEventId, saleId, seq, terminalId } = e;
  if (!Number.isSafeInteger(delta) || !Number.isSafeInteger(seq) || !intOrNull(programVersion) || payload === undefined) return null;
  if (!str(id) || !str(kind) || !str(occurredAt) || !str(prevHash) || !str(terminalId) || !strOrNull(memberId) || !strOrNull(refEventId) || !strOrNull(saleId)) return null;
  return (
    prevHash +
    '{"delta":' + String(delta) +
    ',"id":' + JSON.stringify(id) +
    ',"kind":' + JSON.stringify(kind) +
    ',"memberId":' + q(memberId) +
    ',"occurredAt":' + JSON.stringify(occurredAt) +
    ',"payload":' + canonicalJson(payload) +
    ',"programVersion":' + (programVersion === null ? 'null' : String(programVersion)) +
    ',"refEventId":' + q(refEventId) +
    ',"saleId":' + q(saleId) +
    ',"seq":' + String(seq) +
    ',"terminalId":' + JSON.stringify(terminalId) +
    '}'
  );
}

type Account = {
  memberId: string;
  part: number;
  balance: number;
  held: number;
  debt: number;
  earned: number;
  redeemed: number;
  expired: number;
  adjusted: number;
  blocked: boolean;
  offlineRedeemAllowed: boolean;
  offlineBlockReason: string | null;
  isNew: boolean;
  delta: number;
  homeShopId: string | null;
};

/** A server entry (correction, settlement) for the member shard; the till's own entries come from its stream. */
type EntryRow = {
  member_id: string;
  entry_id: string;
  kind: string;
  delta: number;
  sale_id: string | null;
  ref_event_id: string | null;
  business_at: string;
  program_version: number | null;
  reason: string;
  payload: unknown;
};

function category(kind: string): 'earned' | 'redeemed' | 'expired' | 'adjusted' {
  switch (kind) {
    case 'earn':
    case 'bonus':
    case 'earn_reversal':
      return 'earned';
    case 'redeem':
    case 'redeem_reversal':
      return 'redeemed';
    case 'expire':
      return 'expired';
    default:
      return 'adjusted';
  }
}

/** SQLSTATE unique_violation: in the fast path, an event id this till already used under another seq. */
const UNIQUE_VIOLATION = '23505';

export async function ingestBatch(db: ServerDb, terminalId: string, shopId: string, raw: unknown, opts: IngestOptions = {}): Promise<IngestOutcome> {
  const body = validatePush(raw, terminalId);
  // Each event's hash is computed once, outside the (retryable) transaction. canonicalJson also
  // refuses fractional numbers, so this is the integer check too.
  let hashes: string[];
  try {
    hashes = body.events.map(eventHash);
  } catch {
    return fail('VALIDATION', 'Events must contain integers only (no fractional numbers)');
  }
  // The body's identity for the idempotency key: its header fields and every event's content hash.
  const requestHash = sha(
    canonicalJson({ batchId: body.batchId, fromSeq: body.fromSeq ?? null, toSeq: body.toSeq ?? null, prevHash: body.prevHash ?? null, clientTime: body.clientTime }) +
      body.events.map((e, i) => `${e.id}:${e.hash}:${hashes[i]}`).join(','),
  );
  const input: BatchInput = { terminalId, shopId, body, hashes, requestHash, now: opts.now ?? Date.now };
  try {
    return await db.tx('ingest', (sql) => ingestInTx(sql, input, 'fast'));
  } catch (err) {
    // The fast path looks up only ids that can be replays; an id reused under a new seq surfaces
    // as a unique violation instead: run again the slow way, which names it a conflict.
    if ((err as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) throw err;
    return db.tx('ingest', (sql) => ingestInTx(sql, input, 'full'));
  }
}

type BatchInput = Readonly<{ terminalId: string; shopId: string; body: PushRequest; hashes: readonly string[]; requestHash: string; now: () => number }>;
type Integrity = { status: EventResult['status']; seq: number; detail: string };
type Walk = { results: EventResult[]; accepted: LedgerEvent[]; lastSeq: number; lastHash: string; integrity: Integrity | null };

/**
 * Dedupe, contiguity and hash chain, in seq order (sync.md §2.2 step 2). `known` maps event ids
 * already stored for this till to their hash; ids repeated inside the batch are handled here.
 * `results` holds only the events not accepted (with their index): the answer lists just those.
 */
function walkEvents(events: readonly LedgerEvent[], hashes: readonly string[], storedKnown: ReadonlyMap<string, string>, lastSeq: number, lastHash: string): Walk {
  const known = new Map(storedKnown);
  const results: EventResult[] = [];
  const accepted: LedgerEvent[] = [];
  let integrity: Integrity | null = null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (integrity) {
      results.push({ eventId: e.id, seq: e.seq, status: 'not_processed', index: i });
      continue;
    }
    const ownHash = hashes[i]!;
    const knownHash = known.get(e.id);
    if (knownHash !== undefined) {
      if (knownHash === e.hash && ownHash === e.hash) results.push({ eventId: e.id, seq: e.seq, status: 'duplicate', index: i });
      else integrity = stopAt(results, e, i, 'conflict', `event ${e.id} was uploaded before with different contents`);
      continue;
    }
    if (ownHash !== e.hash) integrity = stopAt(results, e, i, 'chain_mismatch', `event seq ${e.seq} does not match its own hash (altered)`);
    else if (e.seq <= lastSeq) integrity = stopAt(results, e, i, 'seq_reused', `seq ${e.seq} already used by another event (restored backup or cloned till?)`);
    else if (e.seq > lastSeq + 1) integrity = stopAt(results, e, i, 'gap', `seq ${e.seq} arrived but ${lastSeq + 1} was expected`, lastSeq + 1);
    else if (e.prevHash !== lastHash) integrity = stopAt(results, e, i, 'chain_mismatch', `seq ${e.seq} does not chain to the previous event`);
    else {
      accepted.push(e);
      known.set(e.id, e.hash);
      lastSeq = e.seq;
      lastHash = e.hash;
    }
  }
  return { results, accepted, lastSeq, lastHash, integrity };
}

/** The integrity failure at `e`: its result, and what quarantines the till. */
function stopAt(results: EventResult[], e: LedgerEvent, index: number, status: EventResult['status'], detail: string, expected?: number): Integrity {
  results.push(expected === undefined ? { eventId: e.id, seq: e.seq, status, index } : { eventId: e.id, seq: e.seq, status, expected, index });
  return { status, seq: e.seq, detail };
}

async function storedHashes(sql: Sql, terminalId: string, ids: readonly string[], into: Map<string, string>): Promise<void> {
  if (ids.length === 0) return;
  const r = await sql.query<{ event_id: string; hash: string }>('SELECT event_id, hash FROM terminal_event WHERE terminal_id = $1 AND event_id = ANY($2::uuid[])', [terminalId, pgArray(ids)]);
  for (const row of r.rows) into.set(row.event_id, row.hash);
}

/**
 * One attempt at one batch, inside its transaction. `fast` looks up stored ids only for events
 * at or below the till's last seq (the only ones that can be replays: an event's hash covers its
 * seq, so a stored id under a higher seq has other contents, i.e. a conflict). Anything else
 * is settled by the unique key on (terminal_id, event_id) and a rerun in `full` mode; any
 * integrity stop in `fast` mode first completes the lookup and walks again, so both modes
 * answer the same.
 */
async function ingestInTx(sql: Sql, inp: BatchInput, mode: 'fast' | 'full'): Promise<IngestOutcome> {
  const { terminalId, body } = inp;
  // 1. Idempotency key, read under this till's row lock (a row lock, not an advisory lock), so
  //    a resend racing its own first attempt waits for it instead of applying the batch twice.
  //    The settings come along (one round trip less per batch).
  const t = await sql.query<{ last_seq: string; last_hash: string; status: string; request_hash: string | null; status_code: number | null; response: string | null; settings: unknown }>(
    `SELECT t.last_seq, t.last_hash, t.status, r.request_hash, r.status_code, r.response, ${SETTINGS_VALUE} AS settings
       FROM terminal t LEFT JOIN batch_receipt r ON r.terminal_id = t.terminal_id AND r.batch_id = $2
      WHERE t.terminal_id = $1 FOR UPDATE OF t`,
    [terminalId, body.batchId],
  );
  const term = t.rows[0];
  if (!term) fail('UNAUTHENTICATED', 'Unknown terminal');
  if (term.request_hash !== null) {
    if (term.request_hash !== inp.requestHash) {
      return { statusCode: 409, replayed: false, body: { error: { code: 'CONFLICT', message: 'This batch id was already used for a different batch: the till must use a new batch id' } } };
    }
    return { statusCode: num(term.status_code), body: JSON.parse(term.response!) as PushResponse, replayed: true, text: term.response! };
  }
  if (term.status !== 'active') {
    return {
      statusCode: 423,
      replayed: false,
      body: { error: { code: 'LOCKED', message: `This till is ${term.status} on the server and cannot upload: the manager must review it` } },
    };
  }
  const settings = settingsFrom(term.settings);
  const serverNow = inp.now();
  const clockOffsetMs = Date.parse(body.clientTime) - serverNow;
  const clockDrift = !Number.isFinite(clockOffsetMs) || Math.abs(clockOffsetMs) > settings.maxClockDriftMs;

  // 2. Dedupe, contiguity, chain.
  const startSeq = num(term.last_seq);
  const known = new Map<string, string>();
  const lookedUp = mode === 'full' ? body.events : body.events.filter((e) => e.seq <= startSeq);
  await storedHashes(sql, terminalId, lookedUp.map((e) => e.id), known);
  let walk = walkEvents(body.events, inp.hashes, known, startSeq, term.last_hash);
  if (walk.integrity && lookedUp.length < body.events.length) {
    await storedHashes(sql, terminalId, body.events.filter((e) => e.seq > startSeq).map((e) => e.id), known);
    walk = walkEvents(body.events, inp.hashes, known, startSeq, term.last_hash);
  }
  const { results, accepted, lastSeq, lastHash } = walk;

  // Business time: the till's clock, clamped so a clock days ahead cannot expire or date anything in the future.
  const businessAt: string[] = [];
  const flagged: boolean[] = [];
  for (const e of accepted) {
    const ms = Date.parse(e.occurredAt);
    const clamp = !Number.isFinite(ms) || ms > serverNow + settings.maxClockDriftMs;
    businessAt.push(new Date(clamp ? serverNow : ms).toISOString());
    flagged.push(clamp);
  }

  // 3. The terminal stream, and each member event's entry in the member shard (the part of
  //    step 4 that needs no member state): one statement over one array per column, which also
  //    locks the existing accounts of step 4 in one sorted order (no deadlock between batches)
  //    without writing them. Accounts that do not exist yet are created at the end; if another
  //    batch creates one meanwhile, the whole transaction is retried (it then finds and locks it).
  const memberIds = [...new Set(accepted.filter((e) => e.memberId !== null).map((e) => e.memberId!))].sort();
  let accounts: readonly Row[] = [];
  if (accepted.length > 0) {
    const locked = await sql.query(
      `WITH x AS (
         SELECT * FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[],
                              $10::timestamptz[], $11::boolean[], $12::integer[], $13::jsonb[], $14::text[], $15::text[])
           AS x(seq, event_id, kind, member_id, delta, sale_id, ref_event_id, occurred_at, business_at, drift_flagged, program_version,
                payload, prev_hash, hash)),
       stream AS (
         INSERT INTO terminal_event (terminal_id, seq, event_id, kind, member_id, delta, sale_id, ref_event_id, occurred_at,
                                     business_at, drift_flagged, program_version, payload, prev_hash, hash)
         SELECT $1, x.* FROM x),
       -- the event's payload stays in terminal_event; not stored twice
       entries AS (
         INSERT INTO ledger_entry (member_id, entry_id, source, kind, delta, terminal_id, terminal_seq, shop_id, sale_id, ref_event_id,
                                   business_at, program_version, reason, payload)
         SELECT x.member_id, x.event_id, 'terminal', x.kind, x.delta, $1, x.seq, $16, x.sale_id, x.ref_event_id,
                x.business_at, x.program_version, NULL, '{}'::jsonb
           FROM x WHERE x.member_id IS NOT NULL)
       SELECT member_id, part, balance, held, debt, earned, redeemed, expired, adjusted, blocked, offline_redeem_allowed,
              offline_block_reason, pos, home_shop_id
         FROM member_account WHERE member_id = ANY($17::text[]) ORDER BY member_id FOR UPDATE`,
      [
        terminalId,
        pgArray(accepted.map((e) => e.seq)),
        pgArray(accepted.map((e) => e.id)),
        pgArray(accepted.map((e) => e.kind)),
        pgArray(accepted.map((e) => e.memberId)),
        pgArray(accepted.map((e) => e.delta)),
        pgArray(accepted.map((e) => textOrNull(e.saleId))),
        pgArray(accepted.map((e) => textOrNull(e.refEventId))),
        pgArray(accepted.map((e) => e.occurredAt)),
        pgArray(businessAt),
        pgArray(flagged),
        pgArray(accepted.map((e) => e.programVersion)),
        pgArray(accepted.map((e) => JSON.stringify(e.payload))),
        pgArray(accepted.map((e) => e.prevHash)),
        pgArray(accepted.map((e) => e.hash)),
        inp.shopId,
        pgArray(memberIds),
      ],
    );
    accounts = locked.rows;
  }

  // 4. Member shard.
  const at = new Map<string, string>();
  accepted.forEach((e, i) => at.set(e.id, businessAt[i]!));
  const applied = await applyToMembers(sql, { terminalId, shopId: inp.shopId, accepted, memberIds, accounts, businessAt: at, priorSeq: startSeq, settings, serverNow });

  // 5. Advance the till, quarantine on integrity failure, record alerts and the response.
  const fail0 = walk.integrity;
  const status = fail0 ? 'quarantined' : 'active';
  const alerts: { kind: string; details: unknown }[] = [];
  if (fail0) alerts.push({ kind: fail0.status, details: { seq: fail0.seq, detail: fail0.detail, batchId: body.batchId } });
  if (clockDrift) alerts.push({ kind: 'clock_drift', details: { clockOffsetMs: Number.isFinite(clockOffsetMs) ? clockOffsetMs : null, clientTime: body.clientTime } });
  const flaggedEvents = accepted.filter((_e, i) => flagged[i]).map((e) => e.seq);
  if (flaggedEvents.length) alerts.push({ kind: 'event_time_clamped', details: { seqs: flaggedEvents.slice(0, 50), count: flaggedEvents.length } });
  const response: PushResponse = {
    ackedThroughSeq: lastSeq,
    chainHead: lastHash,
    appliedThroughSeq: lastSeq,
    terminalStatus: status,
    accepted: accepted.length,
    results,
    serverEntries: applied.entries,
    serverTime: new Date(serverNow).toISOString(),
    clockOffsetMs: Number.isFinite(clockOffsetMs) ? clockOffsetMs : 0,
    clockDrift,
  };
  const text = JSON.stringify(response);
  await applied.finish([
    terminalId, lastSeq, lastHash, serverNow, Number.isFinite(clockOffsetMs) ? clockOffsetMs : null, clockDrift, status, fail0 ? `${fail0.status}: ${fail0.detail}` : null,
    body.batchId, inp.requestHash, text, alerts.length ? JSON.stringify(alerts.map((a) => ({ id: uuidv7(), ...a }))) : null,
  ]);
  return { statusCode: 200, body: response, replayed: false, text };
}

/** Wire strings go to text columns as they are; anything else as its JSON (what jsonb → text gave before). */
function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
}

type ApplyInput = Readonly<{
  terminalId: string;
  shopId: string;
  accepted: readonly LedgerEvent[];
  /** The accepted events' members, sorted, and the rows of those that exist (locked FOR UPDATE in step 3). */
  memberIds: readonly string[];
  accounts: readonly Row[];
  businessAt: ReadonlyMap<string, string>;
  /** The till's last seq before this batch: its entries above it are this batch's. */
  priorSeq: number;
  settings: ServerSettings;
  serverNow: number;
}>;

/**
 * Server entries in the order of the events they belong to, and the batch's last statement:
 * member rows, reviews, and the till's side (`TerminalTail`: alerts, advance, stored answer).
 */
type Applied = Readonly<{ entries: ServerEntry[]; finish: (tail: TerminalTail) => Promise<void> }>;
/** terminal id, last seq, last hash, server ms, clock offset, drift, status, status reason, batch id, request hash, answer, alerts JSON. */
type TerminalTail = readonly [string, number, string, number, number | null, boolean, string, string | null, string, string, string, string | null];

/**
 * Step 2 of ingest: everything keyed by member. Appends and business checks run now; `finish`
 * takes the pull positions and writes the member rows, and is called last in the transaction
 * so the partition locks are held for as short a time as possible.
 */
async function applyToMembers(sql: Sql, inp: ApplyInput): Promise<Applied> {
  const out: ServerEntry[] = [];
  const nothing = (tail: TerminalTail) => writeBatchEnd(sql, [], [], new Set(), [], [], inp.shopId, tail);
  const events = inp.accepted.filter((e) => e.memberId !== null);
  if (events.length === 0) return { entries: out, finish: nothing };
  const { memberIds } = inp;
  const acc = new Map<string, Account>();
  const fresh = (memberId: string): Account => ({
    memberId, part: partitionOf(memberId), balance: 0, held: 0, debt: 0, earned: 0, redeemed: 0, expired: 0, adjusted: 0,
    blocked: false, offlineRedeemAllowed: true, offlineBlockReason: null, isNew: true, delta: 0, homeShopId: inp.shopId,
  });
  for (const r of inp.accounts) {
    acc.set(String(r.member_id), {
      memberId: String(r.member_id), part: num(r.part), balance: num(r.balance), held: num(r.held), debt: num(r.debt),
      earned: num(r.earned), redeemed: num(r.redeemed), expired: num(r.expired), adjusted: num(r.adjusted),
      blocked: Boolean(r.blocked), offlineRedeemAllowed: Boolean(r.offline_redeem_allowed),
      offlineBlockReason: (r.offline_block_reason as string | null) ?? null, isNew: num(r.pos) === 0, delta: 0,
      homeShopId: (r.home_shop_id as string | null) ?? null,
    });
  }
  const created = memberIds.filter((m) => !acc.has(m));
  for (const m of created) acc.set(m, fresh(m));

  // Facts the business checks need, fetched in bulk.
  const holdKeys = events.filter((e) => e.kind === 'redeem' && typeof e.payload.holdId === 'string').map((e) => ({ member_id: e.memberId!, hold_id: String(e.payload.holdId) }));
  const holds = new Map<string, { status: string; points: number }>();
  if (holdKeys.length) {
    const hr = await sql.query<{ member_id: string; hold_id: string; status: string; points: string }>(
      `SELECT h.member_id, h.hold_id, h.status, h.points FROM hold h JOIN jsonb_to_recordset($1::jsonb) AS k(member_id text, hold_id text)
         ON h.member_id = k.member_id AND h.hold_id = k.hold_id FOR UPDATE OF h`,
      [JSON.stringify(holdKeys)],
    );
    for (const h of hr.rows) holds.set(`${h.member_id}/${h.hold_id}`, { status: h.status, points: num(h.points) });
  }
  const saleKeys = [...new Set(events.filter((e) => e.saleId && ['earn', 'earn_reversal', 'redeem_reversal', 'redeem'].includes(e.kind)).map((e) => `${e.memberId}\u0000${e.saleId}`))];
  const saleSums = new Map<string, { earned: number; earnReversed: number; redeemed: number; redeemReversed: number; earnCorrected: number }>();
  for (const k of saleKeys) saleSums.set(k, { earned: 0, earnReversed: 0, redeemed: 0, redeemReversed: 0, earnCorrected: 0 });
  if (saleKeys.length) {
    const sr = await sql.query<{ member_id: string; sale_id: string; kind: string; reason: string | null; s: string }>(
      `SELECT l.member_id, l.sale_id, l.kind, l.reason, SUM(l.delta) AS s
         FROM ledger_entry l JOIN jsonb_to_recordset($1::jsonb) AS k(member_id text, sale_id text) ON l.member_id = k.member_id AND l.sale_id = k.sale_id
        -- this batch's own entries are already written (with its stream); the walk below adds them in order
        WHERE NOT (l.source = 'terminal' AND l.terminal_id = $2 AND l.terminal_seq > $3)
        GROUP BY l.member_id, l.sale_id, l.kind, l.reason`,
      [JSON.stringify(saleKeys.map((k) => ({ member_id: k.split('\u0000')[0], sale_id: k.split('\u0000')[1] }))), inp.terminalId, inp.priorSeq],
    );
    for (const r of sr.rows) addSale(saleSums.get(`${r.member_id}\u0000${r.sale_id}`)!, r.kind, num(r.s), r.reason);
  }
  const saleFacts = new Map<string, LedgerEvent>();
  for (const e of inp.accepted) if (e.kind === 'sale' && e.saleId) saleFacts.set(e.saleId, e);
  const needSales = [...new Set(events.filter((e) => e.kind === 'earn' && e.saleId && !saleFacts.has(e.saleId)).map((e) => e.saleId!))];
  if (needSales.length) {
    const fr = await sql.query<{ sale_id: string; payload: Record<string, unknown>; program_version: number | null; occurred_at: string; member_id: string | null }>(
      `SELECT sale_id, payload, program_version, occurred_at, member_id FROM terminal_event
        WHERE terminal_id = $1 AND kind = 'sale' AND sale_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
      [inp.terminalId, JSON.stringify(needSales)],
    );
    for (const r of fr.rows) saleFacts.set(r.sale_id, { payload: r.payload, programVersion: r.program_version, occurredAt: r.occurred_at, memberId: r.member_id } as unknown as LedgerEvent);
  }
  const programs = new Map<number, unknown>();
  if (events.some((e) => e.kind === 'earn' && e.saleId && saleFacts.has(e.saleId))) {
    for (const r of (await sql.query<{ version: number; program: unknown }>('SELECT version, program FROM program_version')).rows) programs.set(num(r.version), r.program);
  }

  const entries: EntryRow[] = [];
  const reviews: { member_id: string; review_id: string; kind: string; details: unknown }[] = [];
  const holdUpdates: { member_id: string; hold_id: string }[] = [];
  const server = (e: LedgerEvent, a: Account, kind: ServerEntry['kind'], delta: number, reason: string, cat: ReturnType<typeof category>, payload: Record<string, unknown> = {}) => {
    const entry: ServerEntry = { entryId: uuidv7(), memberId: a.memberId, kind, delta, refEventId: e.id, reason };
    entries.push({
      member_id: a.memberId, entry_id: entry.entryId, kind, delta, sale_id: e.saleId, ref_event_id: e.id, business_at: inp.businessAt.get(e.id)!,
      program_version: e.programVersion, reason, payload,
    });
    a.balance += delta;
    a.delta += delta;
    a[cat] += delta;
    out.push(entry);
  };
  const review = (a: Account, kind: string, details: Record<string, unknown>) => reviews.push({ member_id: a.memberId, review_id: uuidv7(), kind, details });

  for (const e of events) {
    const a = acc.get(e.memberId!)!;
    a.balance += e.delta;
    a.delta += e.delta;
    a[category(e.kind)] += e.delta;
    const sale = e.saleId ? saleSums.get(`${a.memberId}\u0000${e.saleId}`) : undefined;
    switch (e.kind) {
      case 'earn': {
        if (sale) sale.earned += e.delta;
        const facts = e.saleId ? saleFacts.get(e.saleId) : undefined;
        const expected = facts ? recomputeEarn(facts, programs) : null;
        if (expected !== null && sale) {
          const diff = expected - (sale.earned + sale.earnCorrected);
          if (diff !== 0) {
            server(e, a, 'correction', diff, 'earn_recomputed', 'earned', { expected, claimed: e.delta });
            sale.earnCorrected += diff;
            review(a, 'earn_mismatch', { eventId: e.id, saleId: e.saleId, claimed: e.delta, expected });
          }
        }
        break;
      }
      case 'redeem': {
        if (sale) sale.redeemed += e.delta;
        const holdId = typeof e.payload.holdId === 'string' ? e.payload.holdId : null;
        const h = holdId ? holds.get(`${a.memberId}/${holdId}`) : undefined;
        if (h && h.status === 'pending') {
          h.status = 'posted';
          a.held = Math.max(0, a.held - h.points);
          holdUpdates.push({ member_id: a.memberId, hold_id: holdId! });
        }
        break;
      }
      case 'earn_reversal': {
        if (sale) {
          sale.earnReversed += e.delta;
          // A refund can take back at most what the sale earned (incl. server corrections).
          const excess = -(sale.earnReversed) - (sale.earned + sale.earnCorrected);
          if (sale.earned + sale.earnCorrected > 0 && excess > 0) {
            server(e, a, 'correction', excess, 'reversal_exceeds_earned', 'earned');
            sale.earnReversed += excess;
            review(a, 'refund_excess', { eventId: e.id, saleId: e.saleId, excess });
          }
        }
        break;
      }
      case 'redeem_reversal': {
        if (sale) {
          sale.redeemReversed += e.delta;
          const excess = sale.redeemReversed + sale.redeemed; // redeemed is negative
          if (sale.redeemed < 0 && excess > 0) {
            server(e, a, 'correction', -excess, 'restore_exceeds_redeemed', 'redeemed');
            sale.redeemReversed -= excess;
            review(a, 'refund_excess', { eventId: e.id, saleId: e.saleId, excess });
          }
        }
        break;
      }
      case 'expire':
        // Expiry is decided by the server (FIFO lots); a till's own expiry is recorded and undone.
        if (e.delta !== 0) server(e, a, 'correction', -e.delta, 'expiry_is_server_decided', 'expired');
        break;
      case 'correction':
        review(a, 'terminal_correction', { eventId: e.id, delta: e.delta });
        break;
      case 'sale':
      case 'refund':
      case 'bonus':
      case 'adjust':
      case 'member_create':
        break;
      default: {
        const never: never = e.kind;
        throw new KopilkaError('INTERNAL', `Unhandled kind ${String(never)}`);
      }
    }
    // Overdraft: an authentic offline redemption beyond the balance is kept; the member owes the difference.
    if (a.balance < 0 && -a.balance > a.debt) {
      const grew = -a.balance - a.debt;
      a.debt = -a.balance;
      review(a, 'overdraft', { eventId: e.id, debt: a.debt, grew, terminalId: inp.terminalId });
      if (a.offlineRedeemAllowed) {
        a.offlineRedeemAllowed = false;
        a.offlineBlockReason = 'overdraft';
      }
    } else if (a.debt > 0 && e.delta > 0) {
      // Later earnings settle the debt first (the balance nets it already; this records how much).
      const remaining = Math.max(0, -a.balance);
      const settled = a.debt - remaining;
      if (settled > 0) {
        a.debt = remaining;
        server(e, a, 'overdraft_settle', 0, 'debt_recovered_from_earnings', 'adjusted', { settled, remainingDebt: remaining });
      }
    }
    if (a.debt === 0 && a.offlineBlockReason === 'overdraft') {
      a.offlineRedeemAllowed = true;
      a.offlineBlockReason = null;
    }
  }

  // Server entries (corrections, settlements) are written with the member rows at the end; the
  // till's own entries were written with its stream.
  if (holdUpdates.length) {
    await sql.query(
      `UPDATE hold h SET status = 'posted', resolved_at = now() FROM jsonb_to_recordset($1::jsonb) AS x(member_id text, hold_id text)
        WHERE h.member_id = x.member_id AND h.hold_id = x.hold_id AND h.status = 'pending'`,
      [JSON.stringify(holdUpdates)],
    );
  }
  if (inp.settings.webhookUrl) {
    const hooks: { member_id: string; delivery_id: string; event_type: string; payload: unknown }[] = [];
    for (const a of acc.values()) {
      if (a.isNew) hooks.push({ member_id: a.memberId, delivery_id: uuidv7(), event_type: 'member.created', payload: { memberId: a.memberId, shopId: a.homeShopId, balance: a.balance } });
      if (a.delta !== 0) hooks.push({ member_id: a.memberId, delivery_id: uuidv7(), event_type: 'member.points_changed', payload: { memberId: a.memberId, delta: a.delta, balance: a.balance, debt: a.debt, terminalId: inp.terminalId } });
    }
    if (hooks.length) await enqueueWebhooks(sql, hooks);
  }
  const finish = (tail: TerminalTail): Promise<void> => {
    // Each member gets the next position of its partition in (part, member id) order.
    const touched = [...acc.values()].sort((x, y) => x.part - y.part || (x.memberId < y.memberId ? -1 : 1));
    const rank: number[] = [];
    touched.forEach((a, i) => rank.push(i > 0 && touched[i - 1]!.part === a.part ? rank[i - 1]! + 1 : 1));
    return writeBatchEnd(sql, touched, rank, new Set(created), entries, reviews, inp.shopId, tail);
  };
  return { entries: out, finish };
}

/**
 * The batch's last statement: server entries, review items, the till's alerts, its advance and
 * stored answer, then pull positions and member rows. One round trip, and the partition locks (taken in part
 * order) are held for this statement and the COMMIT only.
 */
async function writeBatchEnd(
  sql: Sql,
  touched: readonly Account[],
  rank: readonly number[],
  created: ReadonlySet<string>,
  entries: readonly EntryRow[],
  reviews: readonly { member_id: string; review_id: string; kind: string; details: unknown }[],
  shopId: string,
  tail: TerminalTail,
): Promise<void> {
  let r: { rows: { inserted: string }[] };
  try {
    r = await sql.query<{ inserted: string }>(
      // A plain INSERT (ON CONFLICT's speculative insertion cost ~5 µs more per new member): a
      // member another batch enrolled since our read is a unique violation, retried below.
      `WITH x AS (
         SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::boolean[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
                              $9::bigint[], $10::bigint[], $11::bigint[], $12::boolean[], $13::text[])
           AS x(member_id, part, rn, is_new, balance, held, debt, earned, redeemed, expired, adjusted, offline_redeem_allowed, offline_block_reason)),
       corrections AS (
         INSERT INTO ledger_entry (member_id, entry_id, source, kind, delta, terminal_id, terminal_seq, shop_id, sale_id, ref_event_id,
                                   business_at, program_version, reason, payload)
         SELECT e.member_id, e.entry_id, 'server', e.kind, e.delta, $16, NULL, $14, e.sale_id, e.ref_event_id, e.business_at, e.program_version, e.reason, e.payload
           FROM unnest($28::text[], $29::uuid[], $30::text[], $31::bigint[], $32::text[], $33::text[], $34::timestamptz[], $35::integer[], $36::text[], $37::jsonb[])
             AS e(member_id, entry_id, kind, delta, sale_id, ref_event_id, business_at, program_version, reason, payload)),
       reviews AS (
         INSERT INTO review_item (member_id, review_id, kind, details) SELECT v.member_id, v.review_id, v.kind, v.details
           FROM jsonb_to_recordset($15::jsonb) AS v(member_id text, review_id text, kind text, details jsonb)),
       alerts AS (
         INSERT INTO terminal_alert (terminal_id, alert_id, kind, details) SELECT $16, a.id, a.kind, a.details
           FROM jsonb_to_recordset($27::jsonb) AS a(id text, kind text, details jsonb)),
       advanced AS (
         UPDATE terminal SET last_seq = $17, last_hash = $18, last_push_at = to_timestamp($19::bigint / 1000.0), clock_offset_ms = $20,
                clock_drift = $21, status = $22, status_reason = COALESCE($23, status_reason)
          WHERE terminal_id = $16),
       receipt AS (
         INSERT INTO batch_receipt (terminal_id, batch_id, request_hash, status_code, response) VALUES ($16, $24, $25, 200, $26)),
       k AS (SELECT part, count(*) AS k FROM x GROUP BY part),
       locked AS (SELECT h.part FROM log_head h WHERE h.part IN (SELECT part FROM k) ORDER BY h.part FOR UPDATE),
       head AS (UPDATE log_head h SET pos = h.pos + k.k FROM k JOIN locked l ON l.part = k.part WHERE h.part = k.part RETURNING h.part, h.pos - k.k AS base),
       changes AS (INSERT INTO member_change (part, pos, member_id) SELECT x.part, head.base + x.rn, x.member_id FROM x JOIN head ON head.part = x.part),
       ins AS (
         INSERT INTO member_account (member_id, part, pos, balance, held, debt, earned, redeemed, expired, adjusted, offline_redeem_allowed,
                                     offline_block_reason, home_shop_id)
         SELECT x.member_id, x.part, head.base + x.rn, x.balance, x.held, x.debt, x.earned, x.redeemed, x.expired, x.adjusted, x.offline_redeem_allowed,
                x.offline_block_reason, $14
           FROM x JOIN head ON head.part = x.part WHERE x.is_new ORDER BY x.member_id
         RETURNING 1),
       upd AS (
         UPDATE member_account m SET pos = head.base + x.rn, balance = x.balance, held = x.held, debt = x.debt, earned = x.earned, redeemed = x.redeemed,
                expired = x.expired, adjusted = x.adjusted, offline_redeem_allowed = x.offline_redeem_allowed,
                offline_block_reason = x.offline_block_reason, updated_at = now()
           FROM x JOIN head ON head.part = x.part WHERE NOT x.is_new AND m.member_id = x.member_id RETURNING 1)
       SELECT (SELECT count(*) FROM ins) AS inserted, (SELECT count(*) FROM upd) AS updated`,
      [
        pgArray(touched.map((a) => a.memberId)),
        pgArray(touched.map((a) => a.part)),
        pgArray(rank),
        pgArray(touched.map((a) => created.has(a.memberId))),
        pgArray(touched.map((a) => a.balance)),
        pgArray(touched.map((a) => a.held)),
        pgArray(touched.map((a) => a.debt)),
        pgArray(touched.map((a) => a.earned)),
        pgArray(touched.map((a) => a.redeemed)),
        pgArray(touched.map((a) => a.expired)),
        pgArray(touched.map((a) => a.adjusted)),
        pgArray(touched.map((a) => a.offlineRedeemAllowed)),
        pgArray(touched.map((a) => a.offlineBlockReason)),
        shopId,
        reviews.length ? JSON.stringify(reviews) : null,
        ...tail,
        pgArray(entries.map((x) => x.member_id)),
        pgArray(entries.map((x) => x.entry_id)),
        pgArray(entries.map((x) => x.kind)),
        pgArray(entries.map((x) => x.delta)),
        pgArray(entries.map((x) => textOrNull(x.sale_id))),
        pgArray(entries.map((x) => textOrNull(x.ref_event_id))),
        pgArray(entries.map((x) => x.business_at)),
        pgArray(entries.map((x) => x.program_version)),
        pgArray(entries.map((x) => x.reason)),
        pgArray(entries.map((x) => JSON.stringify(x.payload))),
      ],
    );
  } catch (err) {
    // Another batch enrolled one of these members since our read: start over (it is locked now).
    const e = err as { code?: unknown; constraint?: unknown };
    if (e.code === UNIQUE_VIOLATION && e.constraint === 'member_account_pkey') throw serializationFailure();
    throw err;
  }
  if (num(r.rows[0]!.inserted) !== created.size) throw serializationFailure();
}

function addSale(s: { earned: number; earnReversed: number; redeemed: number; redeemReversed: number; earnCorrected: number }, kind: string, sum: number, reason: string | null): void {
  if (kind === 'earn') s.earned += sum;
  else if (kind === 'earn_reversal') s.earnReversed += sum;
  else if (kind === 'redeem') s.redeemed += sum;
  else if (kind === 'redeem_reversal') s.redeemReversed += sum;
  else if (kind === 'correction' && reason === 'earn_recomputed') s.earnCorrected += sum;
  else if (kind === 'correction' && reason === 'reversal_exceeds_earned') s.earnReversed += sum;
  else if (kind === 'correction' && reason === 'restore_exceeds_redeemed') s.redeemReversed += sum;
}

export async function enqueueWebhooks(sql: Sql, hooks: readonly { member_id: string; delivery_id: string; event_type: string; payload: unknown }[]): Promise<void> {
  await sql.query(
    `INSERT INTO webhook_outbox (member_id, delivery_id, event_type, payload)
     SELECT x.member_id, x.delivery_id, x.event_type, x.payload FROM jsonb_to_recordset($1::jsonb) AS x(member_id text, delivery_id text, event_type text, payload jsonb)`,
    [JSON.stringify(hooks)],
  );
}
