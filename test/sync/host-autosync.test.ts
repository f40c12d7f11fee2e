import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../core/util/ids';
import { createProvisioningCode } from '../../server/auth';
import { appendEvents } from '../../backend/db/ledger';
import { createTestStore } from '../../backend/testing/store';
import { registerTerminal, syncStatus } from '../../backend/sync/client';
import { startWebHost } from '../../scripts/web-host';
import { useLoopbackChainServer } from './support';

/** The browser-mode host syncs a registered till on its own and stops syncing when it closes. */
const chain = useLoopbackChainServer();

test('web host starts auto-sync for a registered till: the backlog reaches the server without a sync command', { timeout: 60_000 }, async () => {
  const s = await createTestStore('kopilka-hostsync-');
  chain.track(s);
  const code = await createProvisioningCode(chain.srv().db, 'Host shop');
  await registerTerminal(s.db, { server: chain.url(), code: code.code });
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
  const r = await chain.srv().db.query<{ balance: string }>('SELECT balance FROM member_account WHERE member_id = $1', [m]);
  assert.equal(Number(r.rows[0]!.balance), 50);
});
