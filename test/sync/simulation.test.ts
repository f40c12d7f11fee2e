import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chainPreimage, GENESIS_HASH, type LedgerEvent } from '../../core/ledger/event';
import { uuidv7 } from '../../core/util/ids';
import { setLogSink } from '../../core/util/logger';
import { openStore } from '../../backend/db/connection';
import { appendEvents, verifyLedger } from '../../backend/db/ledger';
import type { Db } from '../../backend/db/types';
import { effectiveBalance, offlineRedeemLimit, placeHold, registerTerminal, syncNow, type FetchFn } from '../../backend/sync';
import { createProvisioningCode } from '../../server/auth';
import { serializationFailure } from '../../server/db/database';
import { buildApp } from '../../server/http';
import { createTestServerDb, type TestServerDb } from '../../server/testing';
import { injectFetch } from './support';

/**
 * Deterministic simulation (research/sync.md §3): N tills × M members with real SQLite stores
 * and the real server (fastify inject), random offline periods, requests and responses dropped,
 * duplicated and replayed late, tills crashing between write, send and ack (reopened from
 * disk), injected 40001s and clocks skewed by days. After quiescence every invariant is checked.
 */
const N_TILLS = 3;
const M_MEMBERS = 6;
const STEPS = 140;

function prng(seed: number): () => number {
  // mulberry32: tiny, seedable, reproducible across runs.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Till = { name: string; path: string; db: Db; online: boolean; skewMs: number; fetch: FetchFn };

// On PostgreSQL the run repeats under SERIALIZABLE, which flushes out any missing retry handling.
const modes: readonly ('default' | 'serializable')[] = process.env.TEST_DATABASE_URL ? ['default', 'serializable'] : ['default'];
for (const mode of modes) describe(`simulation (${mode} isolation)`, () => {
let srv: TestServerDb;
let app: FastifyInstance;
let dir: string;
before(async () => {
  setLogSink(() => {});
  srv = await createTestServerDb(mode === 'serializable' ? { isolation: 'serializable' } : {});
  app = await buildApp({ db: srv.db, terminalRate: { perSecond: 1e6, burst: 1e6 } });
  dir = mkdtempSync(join(tmpdir(), 'kopilka-sim-'));
});
after(async () => {
  await app?.close();
  await srv?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('tills × members, faults everywhere, invariants I1–I12 hold after quiescence', { timeout: 240_000 }, async () => {
  const seed = Number(process.env.SIM_SEED ?? 20261125);
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const members = Array.from({ length: M_MEMBERS }, () => uuidv7());
  const late: (() => Promise<unknown>)[] = []; // requests captured to be replayed later (reordered duplicates)
  const stats = { dropReq: 0, dropResp: 0, dup: 0, late: 0, crash: 0, injected40001: 0, offlineRedeems: 0, holds: 0 };

  const inject = injectFetch(() => app);
  const faultyFetch = (till: () => Till): FetchFn => async (url, init) => {
    if (!till().online) throw new Error('network unreachable (simulated)');
    const r = rnd();
    if (r < 0.08) {
      stats.dropReq++;
      throw new Error('request lost (simulated)');
    }
    if (r < 0.14) {
      stats.late++;
      late.push(() => inject(url, init));
    }
    const res = await inject(url, init);
    if (r > 0.92) {
      stats.dropResp++;
      throw new Error('response lost (simulated)');
    }
    if (r > 0.86) {
      stats.dup++;
      await inject(url, init);
    }
    return res;
  };

  // Provision the tills; each knows every member (as after a card scan + pull).
  const tills: Till[] = [];
  for (let i = 0; i < N_TILLS; i++) {
    const path = join(dir, `till${i}.db`);
    const db = await openStore(path);
    const t: Till = { name: `till${i}`, path, db, online: true, skewMs: (i === 0 ? 0 : i === 1 ? 3 : -2) * 86_400_000, fetch: null as never };
    t.fetch = faultyFetch(() => t);
    const code = await createProvisioningCode(srv.db, `Shop ${i}`);
    await registerTerminal(db, { server: 'http://sim.invalid', code: code.code }, { fetchFn: inject });
    const ins = db.prepare("INSERT OR IGNORE INTO member (id, name, created_at, updated_at) VALUES (?, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    for (const m of members) ins.run(m);
    tills.push(t);
  }
  const clock = (t: Till) => Date.now() + t.skewMs;
  const opts = (t: Till) => ({ fetchFn: t.fetch, attempts: 2, sleep: async () => {}, now: () => clock(t) });
  const write = (t: Till, kind: 'earn' | 'redeem', memberId: string, delta: number, payload: Record<string, unknown> = {}) =>
    t.db.transaction(() => appendEvents(t.db, [{ kind, memberId, delta, occurredAt: new Date(clock(t)).toISOString(), payload }]))();

  // 40001 on the first attempt of ~20% of server transactions.
  srv.db.faultHook = (attempt) => {
    if (attempt === 1 && rnd() < 0.2) {
      stats.injected40001++;
      throw serializationFailure();
    }
  };

  for (let step = 0; step < STEPS; step++) {
    const t = pick(tills);
    const m = pick(members);
    const r = rnd();
    if (r < 0.1) t.online = !t.online;
    else if (r < 0.45) write(t, 'earn', m, 1 + Math.floor(rnd() * 200));
    else if (r < 0.65) {
      // Redeem: online through a server hold, offline within the allowance the server pushed.
      const want = 1 + Math.floor(rnd() * 150);
      if (t.online) {
        try {
          const h = await placeHold(t.db, m, want, { fetchFn: inject });
          stats.holds++;
          write(t, 'redeem', m, -want, { holdId: h.holdId });
        } catch {
          /* not enough points on the chain: the cashier takes money instead */
        }
      } else {
        const lim = offlineRedeemLimit(t.db, m, clock(t));
        const pts = Math.min(want, lim.maxPoints);
        if (pts > 0) {
          stats.offlineRedeems++;
          write(t, 'redeem', m, -pts);
        }
      }
    } else if (r < 0.72) {
      // Crash: close without warning (mid-batch state stays on disk), reopen.
      stats.crash++;
      t.db.close();
      t.db = await openStore(t.path);
    } else if (r < 0.95) {
      await syncNow(t.db, opts(t)).catch(() => undefined);
    } else if (late.length) {
      await late.splice(Math.floor(rnd() * late.length), 1)[0]!().catch(() => undefined);
    }
  }

  // Quiescence: faults off, everyone online, stale requests delivered, sync until nothing moves.
  srv.db.faultHook = null;
  for (const l of late.splice(0)) await l().catch(() => undefined);
  for (const t of tills) t.online = true;
  for (let round = 0; round < 2; round++) {
    for (const t of tills) await syncNow(t.db, { fetchFn: inject, now: () => clock(t) });
  }

  const q = async <T extends Record<string, unknown>>(sql: string, p: unknown[] = []) => (await srv.db.query<T>(sql, p)).rows;
  for (const t of tills) {
    const local = verifyLedger(t.db);
    assert.equal(local.ok, true, `${t.name} local ledger intact`);
    const tid = t.db.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").pluck().get() as string;
    // I1 no lost event / I2 no duplicate: the server holds exactly the till's events.
    const localIds = (t.db.prepare('SELECT id FROM ledger_event ORDER BY seq').pluck().all() as string[]);
    const serverRows = await q<{ event_id: string; seq: string; prev_hash: string; hash: string; kind: string; member_id: string | null; delta: string; sale_id: string | null; ref_event_id: string | null; occurred_at: string; program_version: number | null; payload: Record<string, unknown> }>(
      'SELECT * FROM terminal_event WHERE terminal_id = $1 ORDER BY seq', [tid]);
    assert.deepEqual(serverRows.map((x) => x.event_id), localIds, `${t.name}: server has every event once, in order`);
    const st = t.db.prepare('SELECT acked_seq, acked_hash FROM sync_state').get() as { acked_seq: number; acked_hash: string };
    assert.equal(st.acked_seq, local.headSeq);
    assert.equal(st.acked_hash, local.headHash);
    // I3 contiguity and chain, recomputed from what the server stored.
    let prev = GENESIS_HASH;
    serverRows.forEach((x, i) => {
      assert.equal(Number(x.seq), i + 1);
      const ev: Omit<LedgerEvent, 'hash'> = { id: x.event_id, terminalId: tid, seq: Number(x.seq), kind: x.kind as LedgerEvent['kind'], memberId: x.member_id, delta: Number(x.delta), saleId: x.sale_id, refEventId: x.ref_event_id, occurredAt: x.occurred_at, programVersion: x.program_version, payload: x.payload, prevHash: x.prev_hash };
      assert.equal(x.prev_hash, prev);
      assert.equal(createHash('sha256').update(chainPreimage(ev)).digest('hex'), x.hash);
      prev = x.hash;
    });
  }
  // I4 balance == Σ entries; I5 conservation.
  const acc = await q<{ member_id: string; balance: string; debt: string; earned: string; redeemed: string; expired: string; adjusted: string; s: string }>(
    `SELECT a.*, (SELECT COALESCE(SUM(delta), 0) FROM ledger_entry l WHERE l.member_id = a.member_id) AS s FROM member_account a`);
  for (const a of acc) {
    assert.equal(Number(a.balance), Number(a.s), `member ${a.member_id}: balance == Σ entries`);
    assert.equal(Number(a.balance), Number(a.earned) + Number(a.redeemed) + Number(a.expired) + Number(a.adjusted));
    assert.equal(Number(a.debt), Math.max(0, -Number(a.balance)));
  }
  // I6 convergence: every till's view equals the server's.
  for (const t of tills) {
    for (const a of acc) assert.equal(effectiveBalance(t.db, a.member_id), Number(a.balance), `${t.name} sees member ${a.member_id} as the server does`);
  }
  // I8 bounded exposure: per member, overdraft ≤ tills × per-member offline cap.
  const cap = 2_000;
  for (const a of acc) assert.ok(Number(a.debt) <= N_TILLS * cap);
  // I9 holds resolved at most once, none left pending past quiescence that a redeem posted.
  const holds = await q<{ status: string; n: string }>('SELECT status, COUNT(*) AS n FROM hold GROUP BY status');
  assert.ok(holds.every((h) => ['pending', 'posted', 'voided', 'expired'].includes(h.status)));
  // I12 skewed clocks are flagged, not lost.
  const drift = await q<{ n: string }>("SELECT COUNT(*) AS n FROM terminal_alert WHERE kind = 'clock_drift'");
  assert.ok(Number(drift[0]!.n) > 0);
  const quarantined = await q<{ n: string }>("SELECT COUNT(*) AS n FROM terminal WHERE status <> 'active'");
  assert.equal(Number(quarantined[0]!.n), 0, 'faults in transport never look like tampering');
  assert.ok(stats.dropReq + stats.dropResp + stats.dup + stats.late > 0 && stats.crash > 0 && stats.injected40001 > 0, JSON.stringify(stats));
  if (process.env.SIM_VERBOSE) process.stderr.write(JSON.stringify({ seed, stats, members: acc.map((a) => [a.balance, a.debt]) }) + '\n');
  for (const t of tills) t.db.close();
});
});
