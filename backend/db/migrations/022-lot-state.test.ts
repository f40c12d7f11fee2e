import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('022 adds the per-member lot projection, keyed by member, checked JSON', async () => {
  const m = await migratedTo(22);
  try {
    assert.deepEqual(added(m.before, m.after), ['table:loyalty_lot_state']);
    const ins = m.db.prepare('INSERT INTO loyalty_lot_state (member_id, through_seq, debt, lots) VALUES (?, ?, ?, ?)');
    ins.run('m1', 5, 0, '[["e1",3,10,4,"2026-01-01T00:00:00Z",null]]');
    assert.throws(() => ins.run('m1', 6, 0, '[]'), /UNIQUE|PRIMARY/);
    assert.throws(() => ins.run('m2', 1, 0, 'not json'), /CHECK/);
    assert.throws(() => ins.run('m3', 1, -1, '[]'), /CHECK/);
    assert.throws(() => ins.run('m4', -1, 0, '[]'), /CHECK/);
    assert.equal(m.db.prepare("SELECT wr FROM pragma_table_list WHERE name = 'loyalty_lot_state'").pluck().get(), 1);
  } finally {
    m.cleanup();
  }
});
