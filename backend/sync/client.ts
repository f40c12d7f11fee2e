import { canonicalJson } from '../../core/util/canonical-json';
import { fail, KopilkaError } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';
import { createLogger } from '../../core/util/logger';
import { parseProgram } from '../../core/loyalty/program';
import {
  MAX_BATCH_EVENTS,
  type HoldResponse,
  type PullResponse,
  type PushResponse,
  type RegisterResponse,
  serverEntriesOf,
} from '../../core/sync/protocol';
import { terminalId as localTerminalId } from '../db/connection';
import type { Db } from '../db/types';
import { storeChainLoyalty } from './chain-loyalty';

const log = createLogger('sync');

/**
 * The till's side of sync (research/sync.md §2.4): drain the outbox in seq order, one batch
 * in flight, ≤ 500 events per batch; the batch is recorded before it is sent, so after a crash
 * the same batch id is resent and the server replays its answer; the acknowledged chain head
 * is checked against our own ledger; then pull member snapshots page by page.
 */
export type FetchFn = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export type SyncOptions = Readonly<{
  fetchFn?: FetchFn;
  now?: () => number;
  maxBatch?: number;
  /** Total attempts per request on retryable failures (network, 5xx, 429). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  timeoutMs?: number;
  pull?: boolean;
  onProgress?: (p: SyncProgress) => void;
  random?: () => number;
}>;

export type SyncProgress = Readonly<{ phase: 'push' | 'pull'; done: number; total: number }>;

export type SyncReport = Readonly<{
  pushed: number; // events sent (including resends)
  acknowledged: number; // events newly acknowledged by the server
  pulled: number; // member snapshots received
  corrections: number; // server entries that flowed back
  ackedThroughSeq: number;
  pending: number; // events still waiting
  terminalStatus: string;
  clockDrift: boolean;
}>;

/** A failure worth retrying later (network down, server busy). */
export class RetryableSyncError extends KopilkaError {
  constructor(message: string, readonly retryAfterMs: number | null) {
    super('OFFLINE', message);
  }
}

type Credential = { server_url: string; terminal_id: string; secret: string; shop_id: string; shop_name: string; registered_at: string };
type State = {
  acked_seq: number; acked_hash: string; pending_batch_id: string | null; pending_from: number | null; pending_to: number | null;
  pending_client_time: string | null; cursor: string | null; policy: string | null; server_status: string | null; last_push_at: string | null;
  last_pull_at: string | null; last_error: string | null; failures: number; clock_offset_ms: number | null; clock_drift: number;
};

export function credential(db: Db): Credential | null {
  return (db.prepare('SELECT * FROM sync_credential WHERE id = 1').get() as Credential | undefined) ?? null;
}
export function syncState(db: Db): State {
  return db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as State;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Full-jitter exponential backoff: rand(0, min(cap, base·2^n)). */
export function backoffMs(attempt: number, base: number, cap: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(cap, base * 2 ** attempt));
}

async function request<T>(
  opts: SyncOptions,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: T }> {
  const f = opts.fetchFn ?? (globalThis.fetch as unknown as FetchFn);
  const attempts = opts.attempts ?? 3;
  const sleep = opts.sleep ?? defaultSleep;
  for (let n = 0; ; n++) {
    let retryAfter: number | null = null;
    let message: string;
    try {
      const res = await f(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
      const text = await res.text();
      const body = (text ? JSON.parse(text) : null) as T;
      if (res.status === 429 || res.status === 503 || res.status >= 500) {
        const ra = res.headers.get('retry-after');
        retryAfter = ra !== null && /^\d+$/.test(ra) ? Number(ra) * 1000 : null;
        message = `server answered ${res.status}`;
      } else {
        return { status: res.status, body };
      }
    } catch (err) {
      message = 'cannot reach the sync server: ' + (err instanceof Error ? err.message : String(err));
    }
    if (n + 1 >= attempts) throw new RetryableSyncError(`Sync is waiting: ${message}. Sales continue offline; it will retry.`, retryAfter);
    await sleep(retryAfter ?? backoffMs(n, opts.backoffBaseMs ?? 1000, opts.backoffCapMs ?? 300_000, opts.random));
  }
}

function errorOf(body: unknown): { code: string; message: string } {
  const e = (body as { error?: { code: string; message: string } } | null)?.error;
  return e ?? { code: 'INTERNAL', message: 'unexpected server answer' };
}

/** Register this till with a chain server using the manager's one-time code. */
export async function registerTerminal(db: Db, input: Readonly<{ server: string; code: string; name?: string }>, opts: SyncOptions = {}): Promise<RegisterResponse & { serverUrl: string }> {
  const existing = credential(db);
  if (existing) fail('CONFLICT', `This till is already registered with ${existing.server_url} (shop ${existing.shop_name})`);
  let url: URL;
  try {
    url = new URL(input.server);
  } catch {
    return fail('VALIDATION', 'The server address must be a URL such as https://kopilka.example.com');
  }
  const serverUrl = url.toString().replace(/\/$/, '');
  const terminalId = localTerminalId(db);
  let r: { status: number; body: RegisterResponse };
  try {
    r = await request<RegisterResponse>({ attempts: 1, ...opts }, `${serverUrl}/v1/terminals/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: input.code, terminalId, name: input.name ?? '' }),
    });
  } catch (err) {
    if (err instanceof RetryableSyncError) fail('OFFLINE', `Cannot reach the chain server at ${serverUrl}: check the address and the network, then try again`);
    throw err;
  }
  if (r.status !== 201) {
    const e = errorOf(r.body);
    throw new KopilkaError(e.code === 'UNAUTHENTICATED' ? 'UNAUTHENTICATED' : e.code === 'CONFLICT' ? 'CONFLICT' : 'VALIDATION', e.message);
  }
  db.prepare('INSERT INTO sync_credential (id, server_url, terminal_id, secret, shop_id, shop_name, registered_at) VALUES (1, ?, ?, ?, ?, ?, ?)').run(
    serverUrl, r.body.terminalId, r.body.secret, r.body.shopId, r.body.shopName, new Date().toISOString(),
  );
  return { ...r.body, serverUrl };
}

function auth(c: Credential): Record<string, string> {
  return { authorization: `Bearer ${c.terminal_id}.${c.secret}` };
}

type OutboxBatch = { batchId: string; from: number; to: number; clientTime: string };

/**
 * The next run of unacknowledged events (≤ max), recorded as the batch in flight before it is
 * sent, so a crash resends the same batch id. Null when nothing waits.
 */
function recordNextBatch(db: Db, max: number, now: () => number): OutboxBatch | null {
  const next = db.prepare('SELECT seq FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?').pluck().all(syncState(db).acked_seq, max) as number[];
  if (next.length === 0) return null;
  const b: OutboxBatch = { batchId: uuidv7(), from: next[0]!, to: next[next.length - 1]!, clientTime: new Date(now()).toISOString() };
  db.prepare('UPDATE sync_state SET pending_batch_id = ?, pending_from = ?, pending_to = ?, pending_client_time = ? WHERE id = 1').run(b.batchId, b.from, b.to, b.clientTime);
  return b;
}

const q = (v: string | number | null): string => JSON.stringify(v);

/**
 * The request body, with each event's JSON written by SQLite's json_object from the ledger row
 * (the payload column already is the payload's JSON): about 2 µs per event where reading rows
 * into objects and JSON.stringify took 5–6. Same keys and values as rowToEvent gives.
 */
function batchBody(db: Db, b: OutboxBatch): { json: string; count: number } {
  const rows = db
    .prepare(
      `SELECT e.prev_hash, json_object('id', e.id, 'terminalId', e.terminal_id, 'seq', e.seq, 'kind', e.kind, 'memberId', e.member_id,
              'delta', e.delta, 'saleId', e.sale_id, 'refEventId', e.ref_event_id, 'occurredAt', e.occurred_at,
              'programVersion', e.program_version, 'payload', json(e.payload), 'prevHash', e.prev_hash, 'hash', e.hash)
         FROM outbox o JOIN ledger_event e ON e.seq = o.seq WHERE o.seq BETWEEN ? AND ? ORDER BY o.seq`,
    )
    .raw(true)
    .all(b.from, b.to) as [string, string][];
  if (rows.length === 0) return { json: '', count: 0 };
  const events = rows.map((r) => r[1]).join(',');
  const json = `{"batchId":${q(b.batchId)},"fromSeq":${q(b.from)},"toSeq":${q(b.to)},"prevHash":${q(rows[0]![0])},"events":[${events}],"clientTime":${q(b.clientTime)}}`;
  return { json, count: rows.length };
}

/** Push everything not yet acknowledged, batch by batch. */
async function pushAll(db: Db, c: Credential, opts: SyncOptions): Promise<{ pushed: number; acknowledged: number; corrections: number; status: string; drift: boolean }> {
  const max = Math.min(MAX_BATCH_EVENTS, opts.maxBatch ?? MAX_BATCH_EVENTS);
  const now = opts.now ?? Date.now;
  let pushed = 0;
  let acknowledged = 0;
  let corrections = 0;
  let status = syncState(db).server_status ?? 'active';
  let drift = false;
  const total = (db.prepare('SELECT COUNT(*) FROM outbox WHERE seq > ?').pluck().get(syncState(db).acked_seq) as number) || 0;
  const st0 = syncState(db);
  // A batch was sent and not acknowledged (crash, timeout): resend it exactly.
  let batch: OutboxBatch | null =
    st0.pending_batch_id && st0.pending_from !== null && st0.pending_to !== null && st0.pending_client_time
      ? { batchId: st0.pending_batch_id, from: st0.pending_from, to: st0.pending_to, clientTime: st0.pending_client_time }
      : recordNextBatch(db, max, now);
  while (batch) {
    const { batchId, to } = batch;
    const body = batchBody(db, batch);
    if (body.count === 0) {
      db.prepare('UPDATE sync_state SET pending_batch_id = NULL, pending_from = NULL, pending_to = NULL, pending_client_time = NULL WHERE id = 1').run();
      break;
    }
    pushed += body.count;
    const r = await request<PushResponse>(opts, `${c.server_url}/v1/terminals/${c.terminal_id}/events:batch`, {
      method: 'POST',
      headers: { ...auth(c), 'content-type': 'application/json', 'idempotency-key': batchId },
      body: body.json,
    });
    if (r.status === 409) {
      // The key was used for another body (should not happen): forget it and build a fresh batch.
      log.warn('batch id refused as reused; retrying with a new one');
      db.prepare('UPDATE sync_state SET pending_batch_id = NULL, pending_from = NULL, pending_to = NULL, pending_client_time = NULL WHERE id = 1').run();
      batch = recordNextBatch(db, max, now);
      continue;
    }
    if (r.status === 401) fail('UNAUTHENTICATED', errorOf(r.body).message);
    if (r.status === 423) {
      db.prepare("UPDATE sync_state SET server_status = 'quarantined' WHERE id = 1").run();
      fail('LOCKED', errorOf(r.body).message);
    }
    if (r.status !== 200) fail('INTERNAL', `Sync refused: ${errorOf(r.body).message}`);
    const resp = r.body;
    // Verify the acknowledged head against our own chain before believing the ack.
    if (resp.ackedThroughSeq > 0) {
      const local = db.prepare('SELECT hash FROM ledger_event WHERE seq = ?').pluck().get(resp.ackedThroughSeq) as string | undefined;
      if (local !== resp.chainHead) {
        db.prepare('UPDATE sync_state SET last_error = ?, last_error_at = ? WHERE id = 1').run('acknowledged chain head does not match this till', new Date(now()).toISOString());
        fail('CONFLICT', `The server's copy of this till's ledger differs at seq ${resp.ackedThroughSeq}: sync stopped, call support`);
      }
    }
    const receivedAt = new Date(now()).toISOString();
    const insertEntry = db.prepare('INSERT OR IGNORE INTO sync_server_entry (entry_id, member_id, kind, delta, ref_event_id, reason, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const clean = resp.terminalStatus === 'active' && resp.ackedThroughSeq >= to;
    // One SQLite transaction (one fsync) marks this batch acknowledged and, when all went well,
    // records the next one as in flight.
    batch = db.transaction((): OutboxBatch | null => {
      for (const e of serverEntriesOf(resp)) {
        corrections += insertEntry.run(e.entryId, e.memberId, e.kind, e.delta, e.refEventId, e.reason, receivedAt).changes;
      }
      const before = syncState(db).acked_seq;
      if (resp.ackedThroughSeq > before) acknowledged += resp.ackedThroughSeq - before;
      db.prepare(
        `UPDATE sync_state SET acked_seq = MAX(acked_seq, ?), acked_hash = CASE WHEN ? >= acked_seq THEN ? ELSE acked_hash END,
                pending_batch_id = NULL, pending_from = NULL, pending_to = NULL, pending_client_time = NULL,
                server_status = ?, last_push_at = ?, clock_offset_ms = ?, clock_drift = ?, failures = 0, last_error = NULL WHERE id = 1`,
      ).run(resp.ackedThroughSeq, resp.ackedThroughSeq, resp.chainHead, resp.terminalStatus, receivedAt, resp.clockOffsetMs, resp.clockDrift ? 1 : 0);
      return clean ? recordNextBatch(db, max, now) : null;
    })();
    status = resp.terminalStatus;
    drift = resp.clockDrift;
    opts.onProgress?.({ phase: 'push', done: acknowledged, total });
    if (resp.terminalStatus !== 'active') {
      const bad = resp.results.find((x) => !['accepted', 'duplicate', 'not_processed'].includes(x.status));
      fail('LOCKED', `The server quarantined this till (${bad?.status ?? 'integrity'} at seq ${bad?.seq ?? '?'}): sales continue, sync needs the manager`);
    }
    if (resp.ackedThroughSeq < to) {
      // The server stopped short without quarantining (should not happen): do not loop forever.
      fail('INTERNAL', `The server acknowledged up to ${resp.ackedThroughSeq} of ${to}`);
    }
  }
  return { pushed, acknowledged, corrections, status, drift };
}

/** Pull member snapshots and the program until the server says there is no more. */
async function pullAll(db: Db, c: Credential, opts: SyncOptions): Promise<number> {
  const now = opts.now ?? Date.now;
  let pulled = 0;
  for (;;) {
    const cursor = syncState(db).cursor;
    const q = new URLSearchParams({ limit: '500', ...(cursor ? { cursor } : {}) });
    const r = await request<PullResponse>(opts, `${c.server_url}/v1/terminals/${c.terminal_id}/changes?${q}`, { method: 'GET', headers: auth(c) });
    if (r.status === 401) fail('UNAUTHENTICATED', errorOf(r.body).message);
    if (r.status === 422) {
      db.prepare('UPDATE sync_state SET cursor = NULL WHERE id = 1').run(); // must refetch from the start
      continue;
    }
    if (r.status !== 200) fail('INTERNAL', `Pull refused: ${errorOf(r.body).message}`);
    applyPull(db, r.body, new Date(now()).toISOString());
    pulled += r.body.members.length;
    opts.onProgress?.({ phase: 'pull', done: pulled, total: pulled + (r.body.hasMore ? 1 : 0) });
    if (!r.body.hasMore) break;
  }
  return pulled;
}

/** One SQLite transaction per page: snapshots, program, cursor move together. */
export function applyPull(db: Db, page: PullResponse, pulledAt: string): void {
  const upsert = db.prepare(
    `INSERT INTO sync_member_snapshot (member_id, balance, held, debt, tier, stamps, blocked, offline_redeem_allowed, offline_allowance, version, as_of_seq, pulled_at)
     VALUES (@memberId, @balance, @held, @debt, @tier, @stamps, @blocked, @offlineRedeemAllowed, @offlineAllowance, @version, @asOf, @pulledAt)
     ON CONFLICT (member_id) DO UPDATE SET balance = excluded.balance, held = excluded.held, debt = excluded.debt, tier = excluded.tier,
       stamps = excluded.stamps, blocked = excluded.blocked, offline_redeem_allowed = excluded.offline_redeem_allowed,
       offline_allowance = excluded.offline_allowance, version = excluded.version, as_of_seq = excluded.as_of_seq, pulled_at = excluded.pulled_at`,
  );
  // Members enrolled at other shops get an id-only row so this till can record their sales
  // (personal data stays where it was collected).
  const stub = db.prepare("INSERT OR IGNORE INTO member (id, name, created_at, updated_at) VALUES (?, '', ?, ?)");
  db.transaction(() => {
    for (const m of page.members) {
      stub.run(m.memberId, pulledAt, pulledAt);
      upsert.run({ ...m, blocked: m.blocked ? 1 : 0, offlineRedeemAllowed: m.offlineRedeemAllowed ? 1 : 0, asOf: page.appliedThroughSeq, pulledAt });
      storeChainLoyalty(db, m, page.appliedThroughSeq);
    }
    if (page.program) {
      db.prepare('INSERT OR IGNORE INTO sync_program (version, body, pulled_at) VALUES (?, ?, ?)').run(page.program.version, canonicalJsonSafe(page.program.program), pulledAt);
      adoptProgram(db, page.program.version, page.program.program, pulledAt);
    }
    db.prepare('UPDATE sync_state SET cursor = ?, policy = ?, last_pull_at = ? WHERE id = 1').run(page.nextCursor, JSON.stringify(page.policy), pulledAt);
  })();
}

function canonicalJsonSafe(v: unknown): string {
  try {
    return canonicalJson(v);
  } catch {
    return JSON.stringify(v);
  }
}

/** The chain's program becomes this till's program under the same version number, unless that number is taken. */
function adoptProgram(db: Db, version: number, body: unknown, at: string): void {
  const local = db.prepare('SELECT body FROM program WHERE version = ?').pluck().get(version) as string | undefined;
  if (local !== undefined) {
    if (canonicalJsonSafe(JSON.parse(local)) !== canonicalJsonSafe(normalizedProgram(body))) log.warn(`chain program v${version} differs from this till's v${version}; keeping the local one`);
    return;
  }
  try {
    const program = parseProgram(body);
    db.prepare("INSERT INTO program (version, body, active_from, created_at, note) VALUES (?, ?, ?, ?, 'from the chain server')").run(version, JSON.stringify(program), at, at);
  } catch (err) {
    log.warn(`chain program v${version} not adopted: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const inFlight = new WeakMap<Db, Promise<SyncReport>>();

/**
 * Push then pull, once. One run at a time per store (a second caller shares the first's run),
 * so there is never more than one batch in flight. Safe to call at shift close.
 */
export function syncNow(db: Db, opts: SyncOptions = {}): Promise<SyncReport> {
  const running = inFlight.get(db);
  if (running) return running;
  const p = runSync(db, opts).finally(() => inFlight.delete(db));
  inFlight.set(db, p);
  return p;
}

async function runSync(db: Db, opts: SyncOptions): Promise<SyncReport> {
  const c = credential(db);
  if (!c) fail('NOT_FOUND', 'This till is not registered with a chain server: run `kopilka terminal register --server URL --code CODE`');
  const now = opts.now ?? Date.now;
  try {
    const p = await pushAll(db, c, opts);
    const pulled = opts.pull === false ? 0 : await pullAll(db, c, opts);
    const st = syncState(db);
    return {
      pushed: p.pushed,
      acknowledged: p.acknowledged,
      pulled,
      corrections: p.corrections,
      ackedThroughSeq: st.acked_seq,
      pending: db.prepare('SELECT COUNT(*) FROM outbox WHERE seq > ?').pluck().get(st.acked_seq) as number,
      terminalStatus: st.server_status ?? p.status,
      clockDrift: st.clock_drift === 1,
    };
  } catch (err) {
    db.prepare('UPDATE sync_state SET last_error = ?, last_error_at = ?, failures = failures + 1 WHERE id = 1').run(err instanceof Error ? err.message : String(err), new Date(now()).toISOString());
    throw err;
  }
}

export type SyncStatus = Readonly<{
  registered: boolean;
  serverUrl: string | null;
  terminalId: string;
  shopName: string | null;
  ackedThroughSeq: number;
  pending: number;
  lastPushAt: string | null;
  lastPullAt: string | null;
  lastError: string | null;
  failures: number;
  terminalStatus: string | null;
  clockDrift: boolean;
  clockOffsetMs: number | null;
  /** Chain program versions whose number this till already used for other rules (kept local; the server's earn recomputation corrects those sales). */
  programConflicts: readonly number[];
}>;

/** Chain versions pulled whose body differs from this till's program of the same number. */
export function programConflicts(db: Db): number[] {
  const rows = db.prepare('SELECT s.version, s.body AS chain, p.body AS local FROM sync_program s JOIN program p ON p.version = s.version ORDER BY s.version').all() as { version: number; chain: string; local: string }[];
  return rows.filter((r) => canonicalJsonSafe(JSON.parse(r.local)) !== canonicalJsonSafe(normalizedProgram(JSON.parse(r.chain)))).map((r) => r.version);
}

function normalizedProgram(body: unknown): unknown {
  try {
    return parseProgram(body);
  } catch {
    return body;
  }
}

export function syncStatus(db: Db): SyncStatus {
  const c = credential(db);
  const st = syncState(db);
  return {
    registered: c !== null,
    serverUrl: c?.server_url ?? null,
    terminalId: localTerminalId(db),
    shopName: c?.shop_name ?? null,
    ackedThroughSeq: st.acked_seq,
    pending: db.prepare('SELECT COUNT(*) FROM outbox WHERE seq > ?').pluck().get(st.acked_seq) as number,
    lastPushAt: st.last_push_at,
    lastPullAt: st.last_pull_at,
    lastError: st.last_error,
    failures: st.failures,
    terminalStatus: st.server_status,
    clockDrift: st.clock_drift === 1,
    clockOffsetMs: st.clock_offset_ms,
    programConflicts: programConflicts(db),
  };
}

/** Online redemption: reserve points on the server before the sale; the redeem event carries payload.holdId. */
export async function placeHold(db: Db, memberId: string, points: number, opts: SyncOptions = {}): Promise<HoldResponse> {
  const c = credential(db);
  if (!c) fail('OFFLINE', 'This till is not connected to a chain server');
  const r = await request<HoldResponse>({ attempts: 1, ...opts }, `${c.server_url}/v1/terminals/${c.terminal_id}/holds`, {
    method: 'POST',
    headers: { ...auth(c), 'content-type': 'application/json' },
    body: JSON.stringify({ holdId: uuidv7(), memberId, points }),
  });
  if (r.status !== 200) {
    const e = errorOf(r.body);
    throw new KopilkaError(e.code === 'INSUFFICIENT_POINTS' ? 'INSUFFICIENT_POINTS' : e.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'CONFLICT', e.message);
  }
  return r.body;
}

export async function voidHold(db: Db, memberId: string, holdId: string, opts: SyncOptions = {}): Promise<HoldResponse> {
  const c = credential(db);
  if (!c) fail('OFFLINE', 'This till is not connected to a chain server');
  const r = await request<HoldResponse>(opts, `${c.server_url}/v1/terminals/${c.terminal_id}/holds/${holdId}/void`, {
    method: 'POST',
    headers: { ...auth(c), 'content-type': 'application/json' },
    body: JSON.stringify({ memberId }),
  });
  if (r.status !== 200) fail('CONFLICT', errorOf(r.body).message);
  return r.body;
}
