import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from '../../core/util/ids';
import { setLogSink } from '../../core/util/logger';
import { createProvisioningCode } from '../../server/auth';
import { buildApp } from '../../server/http';
import { createTestServerDb, type TestServerDb } from '../../server/testing';
import { appendEvents } from '../../backend/db/ledger';
import { createTestStore, type TestStore } from '../../backend/testing/store';
import { registerTerminal, syncStatus } from '../../backend/sync/client';
import { startWebHost } from '../../scripts/web-host';

/** The browser-mode host syncs a registered till on its own and stops syncing when it closes. */
let srv: TestServerDb;
let app: FastifyInstance;
let serverUrl: string;
const stores: TestStore[] = [];
before(async () => {
  setLogSink(() => {});
  srv = await createTestServerDb();
  app = await buildApp({ db: srv.db, terminalRate: { perSecond: 1e6, burst: 1e6 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  serverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
after(async () => {
  for (const s of stores) s.cleanup();
  await app?.close();
  await srv?.cleanup();
});

test('web host starts auto-sync for a registered till: the backlog reaches the server without a sync command', { timeout: 60_000 }, async () => {
  const s = await createTestStore('kopilka-hostsync-');
  stores.push(s);
  const code = await createProvisioningCode(srv.db, 'Host shop');
  await registerTerminal(s.db, { server: serverUrl, code: code.code });
  const m = uuidv7();
  s.db.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(m);
  s.db.transaction(() => appendEvents(s.db, Array.from({ length: 5 }, () => ({ kind: 'earn' as const, memberId: m, delta: 10, occurredAt: new Date().toISOString() }))))();
  assert.equal(syncStatus(s.db).pending, 5);
  s.db.close();

  const host = await startWebHost({ dbPath: s.path, port: 0, demo: false, autoPrint: false, staticDir: s.dir });
  try {
    const deadline = Date.now() + 20_000;
    while (syncStatus(host.db).pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(syncStatus(host.db).pending, 0, 'auto-sync pushed the backlog');
  } finally {
    await host.close();
  }
  const r = await srv.db.query<{ balance: string }>('SELECT balance FROM member_account WHERE member_id = $1', [m]);
  assert.equal(Number(r.rows[0]!.balance), 50);
});
