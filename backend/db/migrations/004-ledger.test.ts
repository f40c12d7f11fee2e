import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('004 creates the append-only ledger, balance cache and outbox', async () => {
  const m = await migratedTo(4);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'index:ledger_event_member', 'index:ledger_event_ref', 'index:ledger_event_sale',
      'table:ledger_event', 'table:member_balance', 'table:outbox',
      'trigger:ledger_event_no_delete', 'trigger:ledger_event_no_update',
    ]);
    m.db.prepare(`INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, occurred_at, payload, prev_hash, hash)
                  VALUES (1, 'e1', 't', 'bonus', NULL, 0, '2026-01-01T00:00:00Z', '{}', '', 'h')`).run();
    assert.throws(() => m.db.prepare('UPDATE ledger_event SET delta = 5').run(), /append-only/);
    assert.throws(() => m.db.prepare('DELETE FROM ledger_event').run(), /append-only/);
    assert.throws(() => m.db.prepare("INSERT INTO ledger_event (seq, id, terminal_id, kind, delta, occurred_at, payload, prev_hash, hash) VALUES (2, 'e2', 't', 'x', 0, 't', 'nope', '', 'h')").run(), /CHECK/);
    assert.equal(m.db.prepare('SELECT delta FROM ledger_event').pluck().get(), 0);
  } finally {
    m.cleanup();
  }
});
