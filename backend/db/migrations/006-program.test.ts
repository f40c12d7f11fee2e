import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('006 keeps every program version and refuses edits', async () => {
  const m = await migratedTo(6);
  try {
    assert.deepEqual(added(m.before, m.after), ['table:program', 'trigger:program_no_delete', 'trigger:program_no_update']);
    m.db.prepare(`INSERT INTO program VALUES (1, '{"name":"x"}', 't', 't', '')`).run();
    assert.throws(() => m.db.prepare(`UPDATE program SET body = '{}'`).run(), /add a new version/);
    assert.throws(() => m.db.prepare(`INSERT INTO program VALUES (2, 'nope', 't', 't', '')`).run(), /CHECK/);
  } finally {
    m.cleanup();
  }
});
