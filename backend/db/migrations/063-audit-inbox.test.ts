import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('063 catches refunds, voids, adjustments, large redemptions and program changes into the audit inbox', async () => {
  const m = await migratedTo(63);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'table:audit_inbox',
      'trigger:audit_adjust',
      'trigger:audit_large_redeem',
      'trigger:audit_program',
      'trigger:audit_refund',
    ]);
    const db = m.db;
    db.prepare("INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('cash', 'Оля', 'cashier', 'h', 't'), ('mgr', 'Ира', 'manager', 'h', 't')").run();
    db.prepare("INSERT INTO staff_session (id, staff_id, since) VALUES (1, 'cash', 't')").run();
    db.prepare("INSERT INTO member (id, phone, name, created_at, updated_at) VALUES ('m1', '+79161234567', 'Анна', 't', 't')").run();
    db.prepare(
      `INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, effects, created_at)
       VALUES ('s1', 1, 'T', 't1', 'RUB', 100, 0, 100, 0, 0, 100, 0, '[]', 't1')`,
    ).run();
    const ev = db.prepare(
      "INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, occurred_at, payload, prev_hash, hash) VALUES (?, ?, 'T', ?, 'm1', ?, 't2', ?, '', 'h')",
    );
    ev.run(1, 'e1', 'adjust', 50, '{"reason":"lost card goodwill"}');
    ev.run(2, 'e2', 'redeem', -999, '{}'); // below the default threshold of 1000: not audited
    ev.run(3, 'e3', 'redeem', -1000, '{}');
    // A manager acting for this transaction takes precedence over the signed-in cashier.
    db.prepare("INSERT INTO acting_staff (id, staff_id) VALUES (1, 'mgr')").run();
    db.prepare(
      "INSERT INTO refund (id, refund_no, sale_id, kind, occurred_at, amount, cash_amount, card_amount, points_clawed, points_restored, reason, created_at) VALUES ('r1', 1, 's1', 'void', 't3', 100, 100, 0, 0, 0, 'wrong item', 't3')",
    ).run();
    db.prepare("INSERT INTO program (version, body, active_from, created_at) VALUES (1, '{}', 't4', 't4')").run();
    assert.deepEqual(db.prepare('SELECT action, staff_id, staff_role, subject_id, reason FROM audit_inbox ORDER BY id').all(), [
      { action: 'points.adjust', staff_id: 'cash', staff_role: 'cashier', subject_id: 'm1', reason: 'lost card goodwill' },
      { action: 'redeem.large', staff_id: 'cash', staff_role: 'cashier', subject_id: 'm1', reason: null },
      { action: 'void', staff_id: 'mgr', staff_role: 'manager', subject_id: 'r1', reason: 'wrong item' },
      { action: 'program.change', staff_id: 'mgr', staff_role: 'manager', subject_id: '1', reason: null },
    ]);
    assert.throws(() => db.prepare("INSERT INTO acting_staff (id, staff_id) VALUES (1, 'nobody')").run(), /UNIQUE|FOREIGN KEY/);
  } finally {
    m.cleanup();
  }
});
