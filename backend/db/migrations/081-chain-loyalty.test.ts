import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('081 adds pending points and the chain loyalty projection to pulled member snapshots', async () => {
  const m = await migratedTo(81);
  try {
    assert.deepEqual(added(m.before, m.after), []);
    const cols = (m.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('sync_member_snapshot') as string[]).slice(-2);
    assert.deepEqual(cols, ['pending', 'loyalty']);
    const ins = m.db.prepare(
      `INSERT INTO sync_member_snapshot (member_id, balance, held, debt, tier, stamps, blocked, offline_redeem_allowed, offline_allowance, version, as_of_seq, pulled_at, pending, loyalty)
       VALUES (?, 10, 0, 0, NULL, 0, 0, 1, 5, '0:1', 0, 't', ?, ?)`,
    );
    ins.run('m1', 3, '{"asOfSeq": 0}');
    // A row written by a till that does not know the columns yet: nothing pending, no projection.
    m.db.prepare(
      `INSERT INTO sync_member_snapshot (member_id, balance, held, debt, tier, stamps, blocked, offline_redeem_allowed, offline_allowance, version, as_of_seq, pulled_at)
       VALUES ('m2', 1, 0, 0, NULL, 0, 0, 1, 0, '0:2', 0, 't')`,
    ).run();
    assert.deepEqual(m.db.prepare("SELECT pending, loyalty FROM sync_member_snapshot WHERE member_id = 'm2'").get(), { pending: 0, loyalty: null });
    assert.throws(() => ins.run('m3', -1, null), /CHECK/);
    assert.throws(() => ins.run('m4', 0, 'not json'), /CHECK/);
  } finally {
    m.cleanup();
  }
});
