import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('021 adds promo codes and gift certificates with append-only moves', async () => {
  const m = await migratedTo(21);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'index:gift_certificate_move_code', 'index:promo_use_member',
      'table:gift_certificate', 'table:gift_certificate_move', 'table:promo_code', 'table:promo_use',
      'trigger:gift_certificate_move_no_delete', 'trigger:gift_certificate_move_no_update',
    ]);
    m.db.prepare("INSERT INTO promo_code (code, kind, value, created_at) VALUES ('SPRING10', 'percent', 1000, 't')").run();
    assert.throws(() => m.db.prepare("INSERT INTO promo_code (code, kind, value, created_at) VALUES ('bad code', 'percent', 1000, 't')").run(), /CHECK/);
    assert.throws(() => m.db.prepare("INSERT INTO promo_code (code, kind, value, created_at) VALUES ('OVER', 'percent', 10001, 't')").run(), /CHECK/);
    m.db.prepare("INSERT INTO gift_certificate (code, initial, currency, issued_at, created_at) VALUES ('GC-1', 100000, 'RUB', 't', 't')").run();
    m.db.prepare("INSERT INTO gift_certificate_move (code, amount, reason, at) VALUES ('GC-1', 100000, 'issue', 't')").run();
    assert.throws(() => m.db.prepare('UPDATE gift_certificate_move SET amount = 1').run(), /append-only/);
    assert.throws(() => m.db.prepare('DELETE FROM gift_certificate_move').run(), /append-only/);
  } finally {
    m.cleanup();
  }
});
