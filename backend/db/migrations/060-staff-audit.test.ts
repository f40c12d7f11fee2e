import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('060 creates staff, PIN attempts, the till session and an append-only audit log', async () => {
  const m = await migratedTo(60);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'index:audit_log_action',
      'index:audit_log_subject',
      'table:acting_staff',
      'table:audit_log',
      'table:pin_attempt',
      'table:staff',
      'table:staff_session',
      'trigger:audit_log_no_delete',
      'trigger:audit_log_no_update',
    ]);
    const db = m.db;
    db.prepare("INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('s1', 'Оля', 'cashier', 'h', 't')").run();
    assert.throws(() => db.prepare("INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('s2', 'X', 'boss', 'h', 't')").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO staff_session (id, staff_id, since) VALUES (2, 's1', 't')").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO staff_session (id, staff_id, since) VALUES (1, 'nobody', 't')").run(), /FOREIGN KEY/);
    db.prepare("INSERT INTO audit_log (seq, id, at, action, prev_hash, hash) VALUES (1, 'a1', 't', 'refund', '', 'h1')").run();
    assert.throws(() => db.prepare("UPDATE audit_log SET reason = 'x'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
  } finally {
    m.cleanup();
  }
});
