import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('080 adds the sync client tables with one state row', async () => {
  const m = await migratedTo(80);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'index:sync_server_entry_member', 'table:sync_credential', 'table:sync_member_snapshot', 'table:sync_program',
      'table:sync_server_entry', 'table:sync_state',
    ]);
    assert.deepEqual(m.db.prepare('SELECT id, acked_seq, acked_hash FROM sync_state').all(), [{ id: 1, acked_seq: 0, acked_hash: '' }]);
    assert.throws(() => m.db.prepare('INSERT INTO sync_state (id) VALUES (2)').run(), /CHECK/);
    assert.throws(() => m.db.prepare("INSERT INTO sync_credential VALUES (2, 'u', 't', 's', 'sh', 'n', 'x')").run(), /CHECK/);
  } finally {
    m.cleanup();
  }
});
