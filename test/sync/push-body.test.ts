import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from '../../core/util/ids';
import { setLogSink } from '../../core/util/logger';
import { createProvisioningCode } from '../../server/auth';
import { buildApp } from '../../server/http';
import { createTestServerDb, type TestServerDb } from '../../server/testing';
import { appendEvents, rowToEvent, type LedgerRow } from '../../backend/db/ledger';
import { createTestStore, type TestStore } from '../../backend/testing/store';
import { registerTerminal, syncNow, type FetchFn } from '../../backend/sync/client';
import { injectFetch } from './support';

/**
 * The push body is written straight from the ledger rows (payload text embedded as stored): it
 * must carry exactly the events rowToEvent reads back, and one SQLite transaction marks a batch
 * acknowledged and records the next one as in flight.
 */
let srv: TestServerDb;
let app: FastifyInstance;
let store: TestStore;
before(async () => {
  setLogSink(() => {});
  srv = await createTestServerDb();
  app = await buildApp({ db: srv.db, terminalRate: { perSecond: 1e6, burst: 1e6 } });
  store = await createTestStore('kopilka-push-body-');
});
after(async () => {
  store?.cleanup();
  await app?.close();
  await srv?.cleanup();
});

const inject = injectFetch(() => app);

test('push bodies carry the ledger rows as rowToEvent reads them; the next batch is on disk when a batch is acknowledged', async () => {
  const db = store.db;
  const code = await createProvisioningCode(srv.db, 'Body shop');
  await registerTerminal(db, { server: 'http://server.test', code: code.code }, { fetchFn: inject });
  const m = uuidv7();
  db.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(m);
  const saleId = uuidv7();
  const payloads = [{}, { note: 'Кофе "с собой" \\ ✓ \u2028', lines: [{ qty: 2, unitPrice: 25_000, tags: ['a', null, true] }] }, { holdId: uuidv7(), nested: { z: 1, a: { b: [] } } }];
  db.transaction(() => {
    for (let i = 0; i < 7; i++) {
      appendEvents(db, [
        { kind: 'sale', memberId: m, delta: 0, saleId, occurredAt: '2026-03-01T10:00:00+03:00', programVersion: 1, payload: payloads[i % 3]! },
        { kind: 'earn', memberId: m, delta: 5 + i, saleId, occurredAt: new Date().toISOString(), payload: payloads[(i + 1) % 3]! },
        { kind: 'bonus', memberId: null, delta: 0, refEventId: uuidv7(), occurredAt: new Date().toISOString() },
      ]);
    }
  })();
  const bodies: { events: unknown[]; fromSeq: number; toSeq: number; prevHash: string }[] = [];
  const pendingWhenSent: (string | null)[] = [];
  const spy: FetchFn = async (url, init) => {
    if (init.body) {
      bodies.push(JSON.parse(init.body) as (typeof bodies)[number]);
      pendingWhenSent.push(db.prepare('SELECT pending_batch_id FROM sync_state').pluck().get() as string | null);
    }
    return inject(url, init);
  };
  const r = await syncNow(db, { fetchFn: spy, maxBatch: 5, pull: false });
  assert.equal(r.acknowledged, 21);
  assert.deepEqual(bodies.map((b) => b.events.length), [5, 5, 5, 5, 1]);
  assert.ok(pendingWhenSent.every((id, i) => id !== null && id === (bodies[i] as unknown as { batchId: string }).batchId), 'each batch is recorded before it is sent');
  assert.equal(db.prepare('SELECT pending_batch_id FROM sync_state').pluck().get(), null, 'nothing in flight once drained');
  const rows = (db.prepare('SELECT * FROM ledger_event ORDER BY seq').all() as LedgerRow[]).map(rowToEvent);
  assert.deepEqual(bodies.flatMap((b) => b.events), rows);
  for (const b of bodies) {
    assert.equal(b.prevHash, (b.events[0] as { prevHash: string }).prevHash);
    assert.deepEqual([b.fromSeq, b.toSeq], [(b.events[0] as { seq: number }).seq, (b.events[b.events.length - 1] as { seq: number }).seq]);
  }
});
