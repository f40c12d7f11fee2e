import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('061 creates shifts (one open at a time), cash movements, attribution triggers and final Z reports', async () => {
  const m = await migratedTo(61);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'index:cash_movement_shift',
      'index:shift_event_shift',
      'index:shift_one_open',
      'index:shift_refund_shift',
      'index:shift_sale_shift',
      'table:cash_movement',
      'table:shift',
      'table:shift_event',
      'table:shift_refund',
      'table:shift_sale',
      'table:z_report',
      'trigger:cash_movement_no_delete',
      'trigger:cash_movement_no_update',
      'trigger:shift_closed_is_final',
      'trigger:shift_no_delete',
      'trigger:shift_stamp_event',
      'trigger:shift_stamp_refund',
      'trigger:shift_stamp_sale',
      'trigger:z_report_no_delete',
      'trigger:z_report_no_update',
    ]);
    const db = m.db;
    const open = db.prepare("INSERT INTO shift (id, number, status, opened_at, opened_by, opening_float) VALUES (?, ?, 'open', 't', 's', 0)");
    open.run('sh1', 1);
    assert.throws(() => open.run('sh2', 2), /UNIQUE/);
    // A sale inserted while shift 1 is open is attributed to it (and to nobody: no one signed in).
    db.prepare(
      `INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, effects, created_at)
       VALUES ('sale1', 1, 'T', 't', 'RUB', 100, 0, 100, 0, 0, 100, 0, '[]', 't')`,
    ).run();
    assert.deepEqual(db.prepare('SELECT sale_id, shift_id, staff_id FROM shift_sale').get(), { sale_id: 'sale1', shift_id: 'sh1', staff_id: null });
    assert.throws(() => db.prepare("UPDATE shift SET status = 'closed' WHERE id = 'sh1'").run(), /CHECK/);
    db.prepare("UPDATE shift SET status = 'closed', closed_at = 't2' WHERE id = 'sh1'").run();
    assert.throws(() => db.prepare("UPDATE shift SET counted_cash = 5 WHERE id = 'sh1'").run(), /closed shift/);
    assert.throws(() => db.prepare("DELETE FROM shift").run(), /never deleted/);
    // With no open shift nothing is stamped.
    db.prepare(
      `INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, effects, created_at)
       VALUES ('sale2', 2, 'T', 't', 'RUB', 100, 0, 100, 0, 0, 100, 0, '[]', 't')`,
    ).run();
    assert.equal(db.prepare('SELECT count(*) FROM shift_sale').pluck().get(), 1);
    assert.throws(() => db.prepare("INSERT INTO cash_movement (id, shift_id, kind, amount, reason, at) VALUES ('c', 'sh1', 'in', 0, 'x', 't')").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO cash_movement (id, shift_id, kind, amount, reason, at) VALUES ('c', 'sh1', 'in', 5, '  ', 't')").run(), /CHECK/);
    db.prepare("INSERT INTO z_report (shift_id, shift_number, created_at, report, hash) VALUES ('sh1', 1, 't', '{}', 'h')").run();
    assert.throws(() => db.prepare("UPDATE z_report SET report = '[]'").run(), /final/);
  } finally {
    m.cleanup();
  }
});
