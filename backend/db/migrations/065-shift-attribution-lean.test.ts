import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas } from '../connection';
import { loadMigrations, migrate } from '../migrate';

const SALE = `INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, effects, created_at)
  VALUES (?, ?, 'T', 't', 'RUB', 100, 0, 100, 0, 0, 100, 0, '[]', 't')`;
const EVENT = `INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, occurred_at, payload, prev_hash, hash) VALUES (?, ?, 'T', 'sale', NULL, 0, 't', '{}', 'p', 'h')`;

test('065 keeps every attribution row in WITHOUT ROWID tables; sales and events are still stamped with the open shift', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-mig-'));
  const db = new Database(join(dir, 'm.db'));
  try {
    applyPragmas(db);
    const all = await loadMigrations();
    migrate(db, all, 64);
    db.prepare("INSERT INTO shift (id, number, status, opened_at, opened_by, opening_float) VALUES ('sh1', 1, 'open', 't', 's', 0)").run();
    db.prepare(SALE).run('s1', 1);
    db.prepare(EVENT).run(1, 'e1');
    const sales = db.prepare('SELECT sale_id, shift_id, staff_id FROM shift_sale ORDER BY sale_id').all();
    const events = db.prepare('SELECT event_seq, shift_id, staff_id FROM shift_event ORDER BY event_seq').all();
    assert.equal(sales.length, 1);
    assert.equal(events.length, 1);
    assert.deepEqual(migrate(db, all, 65), [65]);
    assert.deepEqual(db.prepare('SELECT sale_id, shift_id, staff_id FROM shift_sale ORDER BY sale_id').all(), sales);
    assert.deepEqual(db.prepare('SELECT event_seq, shift_id, staff_id FROM shift_event ORDER BY event_seq').all(), events);
    for (const t of ['shift_sale', 'shift_event']) assert.match(db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(t) as string, /WITHOUT ROWID/);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('shift_sale', 'shift_event') AND sql IS NOT NULL").pluck().all(), ['shift_sale_shift']);

    // The triggers still stamp new rows, and only while a shift is open.
    db.prepare(SALE).run('s2', 2);
    db.prepare(EVENT).run(2, 'e2');
    assert.deepEqual(db.prepare("SELECT sale_id, shift_id FROM shift_sale WHERE sale_id = 's2'").get(), { sale_id: 's2', shift_id: 'sh1' });
    assert.deepEqual(db.prepare('SELECT event_seq, shift_id FROM shift_event WHERE event_seq = 2').get(), { event_seq: 2, shift_id: 'sh1' });
    db.prepare("UPDATE shift SET status = 'closed', closed_at = 't2' WHERE id = 'sh1'").run();
    db.prepare(SALE).run('s3', 3);
    db.prepare(EVENT).run(3, 'e3');
    assert.equal(db.prepare('SELECT count(*) FROM shift_sale').pluck().get(), 2);
    assert.equal(db.prepare('SELECT count(*) FROM shift_event').pluck().get(), 2);
    // A shift's events are a range of the key: the report's lookup needs no other index.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT e.kind FROM ledger_event e JOIN shift_event se ON se.event_seq = e.seq WHERE se.shift_id = 'sh1'").all() as { detail: string }[];
    assert.ok(plan.some((p) => /SEARCH se USING PRIMARY KEY \(shift_id=\?\)/.test(p.detail)), JSON.stringify(plan));
    assert.throws(() => db.prepare("INSERT INTO shift_sale (sale_id, shift_id) VALUES ('s1', 'sh1')").run(), /UNIQUE|PRIMARY/);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
