import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from '../../core/util/ids';
import { setLogSink } from '../../core/util/logger';
import { createProvisioningCode } from '../../server/auth';
import { buildApp } from '../../server/http';
import { createTestServerDb, type TestServerDb } from '../../server/testing';
import { appendEvents } from '../../backend/db/ledger';
import type { Db } from '../../backend/db/types';
import { createTestStore, type TestStore } from '../../backend/testing/store';
import { backoffMs, registerTerminal, syncNow, syncStatus, type FetchFn } from '../../backend/sync/client';
import { effectiveBalance, offlineRedeemLimit } from '../../backend/sync/offline';
import { startAutoSync } from '../../backend/sync/agent';
import { injectFetch } from './support';

let srv: TestServerDb;
let app: FastifyInstance;
const stores: TestStore[] = [];
before(async () => {
  setLogSink(() => {});
  srv = await createTestServerDb();
  app = await buildApp({ db: srv.db, terminalRate: { perSecond: 1e6, burst: 1e6 } });
});
after(async () => {
  for (const s of stores) s.cleanup();
  await app?.close();
  await srv?.cleanup();
});

const inject = injectFetch(() => app);

async function till(): Promise<Db> {
  const s = await createTestStore('kopilka-sync-');
  stores.push(s);
  const code = await createProvisioningCode(srv.db, 'Client shop');
  await registerTerminal(s.db, { server: 'http://server.test', code: code.code }, { fetchFn: inject });
  return s.db;
}
function member(db: Db): string {
  const id = uuidv7();
  db.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(id);
  return id;
}
const write = (db: Db, kind: 'earn' | 'redeem', memberId: string, delta: number, n = 1) =>
  db.transaction(() => appendEvents(db, Array.from({ length: n }, () => ({ kind, memberId, delta, occurredAt: new Date().toISOString() }))))();

test('drains a backlog in order in batches of at most 500, one in flight', async () => {
  const db = await till();
  const m = member(db);
  write(db, 'earn', m, 1, 1203);
  const sizes: number[] = [];
  let inFlight = 0;
  const spy: FetchFn = async (url, init) => {
    inFlight++;
    assert.equal(inFlight, 1, 'never two requests at once');
    try {
      if (init.body) sizes.push((JSON.parse(init.body) as { events: unknown[] }).events.length);
      return await inject(url, init);
    } finally {
      inFlight--;
    }
  };
  const r = await syncNow(db, { fetchFn: spy });
  assert.deepEqual(sizes, [500, 500, 203]);
  assert.equal(r.acknowledged, 1203);
  assert.equal(r.pending, 0);
  assert.equal(effectiveBalance(db, m), 1203);
});

test('a crash after sending (response lost) resends the same batch id; the server replays its answer', async () => {
  const db = await till();
  const m = member(db);
  write(db, 'earn', m, 10, 3);
  const ids: string[] = [];
  let lose = true;
  const lossy: FetchFn = async (url, init) => {
    if (init.body) ids.push((JSON.parse(init.body) as { batchId: string }).batchId);
    const res = await inject(url, init);
    if (lose && init.body) {
      lose = false;
      throw new Error('connection reset');
    }
    return res;
  };
  await assert.rejects(syncNow(db, { fetchFn: lossy, attempts: 1 }), /Sync is waiting/);
  assert.equal(syncStatus(db).ackedThroughSeq, 0);
  assert.ok(db.prepare('SELECT pending_batch_id FROM sync_state').pluck().get(), 'the batch in flight is on disk');
  const r = await syncNow(db, { fetchFn: lossy });
  assert.equal(ids[0], ids[1], 'same batch id after the crash');
  assert.equal(r.acknowledged, 3);
  const n = await srv.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM batch_receipt WHERE batch_id = $1', [ids[0]]);
  assert.equal(Number(n.rows[0]!.n), 1);
});

test('honours Retry-After, otherwise backs off with full jitter', async () => {
  const db = await till();
  write(db, 'earn', member(db), 1);
  const sleeps: number[] = [];
  let busy = 2;
  const f: FetchFn = async (url, init) => {
    if (busy-- > 0) return { status: busy === 1 ? 429 : 503, headers: { get: (n: string) => (n === 'retry-after' && busy === 1 ? '7' : null) }, text: async () => '{}' };
    return inject(url, init);
  };
  const r = await syncNow(db, { fetchFn: f, attempts: 3, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, backoffBaseMs: 1000 });
  assert.equal(r.acknowledged, 1);
  assert.deepEqual(sleeps, [7000, 1000]);
  for (let n = 0; n < 12; n++) {
    assert.ok(backoffMs(n, 1000, 300_000, () => 0.999) <= Math.min(300_000, 1000 * 2 ** n));
    assert.equal(backoffMs(n, 1000, 300_000, () => 0), 0);
  }
});

test('an acknowledged chain head that differs from ours stops sync and acknowledges nothing', async () => {
  const db = await till();
  write(db, 'earn', member(db), 1);
  const liar: FetchFn = async (url, init) => {
    const res = await inject(url, init);
    if (!init.body) return res;
    const body = JSON.parse(await res.text()) as Record<string, unknown>;
    return { ...res, text: async () => JSON.stringify({ ...body, chainHead: 'f'.repeat(64) }) };
  };
  await assert.rejects(syncNow(db, { fetchFn: liar }), /differs at seq 1/);
  assert.equal(syncStatus(db).ackedThroughSeq, 0);
});

test('offline redemption is bounded by the pushed allowance, the per-sale cap and the snapshot age', async () => {
  const db = await till();
  const m = member(db);
  write(db, 'earn', m, 900);
  await syncNow(db, { fetchFn: inject });
  const now = Date.now();
  // allowance = min(2000, 50% of 900) = 450
  assert.deepEqual(offlineRedeemLimit(db, m, now), { maxPoints: 450, reason: null });
  write(db, 'redeem', m, -400);
  assert.equal(offlineRedeemLimit(db, m, now).maxPoints, 50);
  assert.equal(effectiveBalance(db, m), 500);
  assert.equal(offlineRedeemLimit(db, m, now + 73 * 3600_000).maxPoints, 0, 'snapshot older than 72 h');
  assert.equal(offlineRedeemLimit(db, m, now - 60_000).maxPoints, 0, 'clock went backwards: treated as stale');
  assert.equal(offlineRedeemLimit(db, member(db), now).maxPoints, 0, 'never synced: online only');
  db.prepare('UPDATE sync_state SET clock_drift = 1').run();
  assert.match(offlineRedeemLimit(db, m, now).reason ?? '', /clock/, 'a till with a wrong clock cannot judge snapshot age');
});

test('a quarantined till reports LOCKED and keeps its events', async () => {
  const db = await till();
  const m = member(db);
  write(db, 'earn', m, 1);
  await syncNow(db, { fetchFn: inject });
  const tid = db.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").pluck().get() as string;
  await srv.db.query("UPDATE terminal SET status = 'quarantined' WHERE terminal_id = $1", [tid]);
  write(db, 'earn', m, 1);
  await assert.rejects(syncNow(db, { fetchFn: inject }), /quarantined/);
  assert.equal(syncStatus(db).pending, 1);
  assert.equal(syncStatus(db).terminalStatus, 'quarantined');
});

test('auto sync: pushes on its own, backs off while offline, catches up when back, stops cleanly', async () => {
  const db = await till();
  const m = member(db);
  let online = true;
  const net: FetchFn = async (url, init) => {
    if (!online) throw new Error('network down');
    return inject(url, init);
  };
  const reports: number[] = [];
  const errors: string[] = [];
  const agent = startAutoSync(db, { fetchFn: net, intervalMs: 40, backoffBaseMs: 5, backoffCapMs: 20, onReport: (r) => reports.push(r.ackedThroughSeq), onError: (e) => errors.push(String(e)) });
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(cond());
  };
  try {
    write(db, 'earn', m, 5);
    agent.trigger();
    await until(() => syncStatus(db).ackedThroughSeq === 1);
    online = false;
    write(db, 'earn', m, 5);
    agent.trigger();
    await until(() => errors.length >= 2);
    assert.equal(syncStatus(db).pending, 1, 'the sale waits while offline');
    online = true;
    await until(() => syncStatus(db).ackedThroughSeq === 2);
  } finally {
    await agent.stop();
  }
  const n = reports.length;
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(reports.length, n, 'no runs after stop()');
});
