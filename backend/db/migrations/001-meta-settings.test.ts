import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('001 creates meta and settings; settings values must be JSON', async () => {
  const m = await migratedTo(1);
  try {
    assert.deepEqual(added(m.before, m.after), ['table:meta', 'table:settings']);
    m.db.prepare("INSERT INTO settings VALUES ('shop.name', '\"Кофейня\"', '2026-01-01T00:00:00Z')").run();
    assert.throws(() => m.db.prepare("INSERT INTO settings VALUES ('x', 'not json', '2026-01-01T00:00:00Z')").run(), /CHECK/);
  } finally {
    m.cleanup();
  }
});
