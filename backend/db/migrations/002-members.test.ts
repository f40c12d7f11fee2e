import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('002 creates member and member_card with E.164 and last-4 lookup', async () => {
  const m = await migratedTo(2);
  try {
    assert.deepEqual(added(m.before, m.after), ['index:member_card_member', 'index:member_phone_last4', 'table:member', 'table:member_card']);
    const ins = m.db.prepare("INSERT INTO member (id, phone, name, created_at, updated_at) VALUES (?, ?, 'Анна', 't', 't')");
    ins.run('m1', '+79161234567');
    assert.equal(m.db.prepare("SELECT id FROM member WHERE phone_last4 = '4567'").pluck().get(), 'm1');
    assert.throws(() => ins.run('m2', '+79161234567'), /UNIQUE/);
    assert.throws(() => ins.run('m3', '89161234567'), /CHECK/);
    m.db.prepare("INSERT INTO member_card (code, member_id, kind, created_at) VALUES ('4600000000003', 'm1', 'ean13', 't')").run();
    assert.throws(() => m.db.prepare("INSERT INTO member_card (code, member_id, kind, created_at) VALUES ('X1', 'nobody', 'qr', 't')").run(), /FOREIGN KEY/);
    assert.throws(() => m.db.prepare("INSERT INTO member_card (code, member_id, kind, created_at) VALUES ('X2', 'm1', 'magstripe', 't')").run(), /CHECK/);
  } finally {
    m.cleanup();
  }
});
