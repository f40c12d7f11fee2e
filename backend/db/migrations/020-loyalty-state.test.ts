import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('020 adds loyalty member state; grants are once per key, lot policies are fixed', async () => {
  const m = await migratedTo(20);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'index:loyalty_lot_expiry', 'index:loyalty_lot_member',
      'table:loyalty_campaign_use', 'table:loyalty_grant', 'table:loyalty_lot', 'table:loyalty_referral', 'table:loyalty_stamp', 'table:loyalty_tier',
      'trigger:loyalty_lot_no_update',
    ]);
    m.db.pragma('foreign_keys = OFF');
    m.db.prepare("INSERT INTO loyalty_grant VALUES ('m1', 'birthday', '2026', 'e1', NULL, 't')").run();
    assert.throws(() => m.db.prepare("INSERT INTO loyalty_grant VALUES ('m1', 'birthday', '2026', 'e2', NULL, 't')").run(), /UNIQUE|PRIMARY/);
    m.db.prepare("INSERT INTO loyalty_lot VALUES ('e1', 'm1', '2026-01-01', NULL, 1)").run();
    assert.throws(() => m.db.prepare("UPDATE loyalty_lot SET expires_at = '2026-02-01'").run(), /fixed when the points are earned/);
    assert.throws(() => m.db.prepare("INSERT INTO loyalty_referral VALUES ('m1', 'm1', 't')").run(), /CHECK/);
    assert.throws(() => m.db.prepare("INSERT INTO loyalty_stamp VALUES ('m1', 'c', -1, NULL)").run(), /CHECK/);
  } finally {
    m.cleanup();
  }
});
