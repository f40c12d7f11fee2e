import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('064 records stamps given and rewards per sale and card, immutably', async () => {
  const m = await migratedTo(64);
  try {
    assert.deepEqual(added(m.before, m.after), ['table:sale_stamp', 'trigger:sale_stamp_no_delete', 'trigger:sale_stamp_no_update']);
    const db = m.db;
    db.prepare(
      `INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, effects, created_at)
       VALUES ('s1', 1, 'T', 't', 'RUB', 100, 0, 100, 0, 0, 100, 0, '[]', 't')`,
    ).run();
    const ins = db.prepare('INSERT INTO sale_stamp (sale_id, card_id, added, rewards) VALUES (?, ?, ?, ?)');
    ins.run('s1', 'coffee', 2, 1);
    assert.throws(() => ins.run('s1', 'coffee', 1, 0), /UNIQUE|PRIMARY/);
    assert.throws(() => ins.run('s1', 'tea', -1, 0), /CHECK/);
    assert.throws(() => ins.run('nope', 'tea', 1, 0), /FOREIGN KEY/);
    assert.throws(() => db.prepare('UPDATE sale_stamp SET added = 5').run(), /never edited/);
    assert.throws(() => db.prepare('DELETE FROM sale_stamp').run(), /never deleted/);
  } finally {
    m.cleanup();
  }
});
