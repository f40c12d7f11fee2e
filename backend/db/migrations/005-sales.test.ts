import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('005 creates sales, lines, payments and refunds; sales cannot be edited', async () => {
  const m = await migratedTo(5);
  try {
    const a = added(m.before, m.after);
    for (const t of ['sale', 'sale_line', 'payment', 'refund', 'refund_line']) assert.ok(a.includes('table:' + t), t);
    assert.ok(a.includes('trigger:sale_no_update') && a.includes('trigger:sale_line_no_delete'));
    const db = m.db;
    db.prepare(`INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, effects, created_at)
                VALUES ('s1', 1, 't', 't', 'RUB', 100, 0, 100, 0, 0, 100, 5, '[]', 't')`).run();
    db.prepare(`INSERT INTO sale_line VALUES ('s1', 1, 'p1', 'SKU', 'Чай', 'Напитки', 1, 100, 100, 0, 0, 0, 5, 1, 1)`).run();
    assert.throws(() => db.prepare('UPDATE sale SET total = 1').run(), /never edited/);
    assert.throws(() => db.prepare('DELETE FROM sale_line').run(), /never deleted/);
    db.prepare(`INSERT INTO refund VALUES ('r1', 1, 's1', 'refund', 't', 100, 100, 0, 5, 0, '', 't')`).run();
    db.prepare(`INSERT INTO refund_line VALUES ('r1', 's1', 1, 1, 100, 5, 0)`).run();
    assert.throws(() => db.prepare(`INSERT INTO refund_line VALUES ('r1', 's1', 9, 1, 100, 5, 0)`).run(), /FOREIGN KEY/);
    assert.throws(() => db.prepare(`INSERT INTO payment (sale_id, method, amount) VALUES ('s1', 'cheque', 1)`).run(), /CHECK/);
  } finally {
    m.cleanup();
  }
});
