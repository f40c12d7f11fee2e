import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test("024 indexes only lots that can lapse, by member: the per-sale expiry check is an index seek", async () => {
  const m = await migratedTo(24);
  try {
    assert.deepEqual(added(m.before, m.after), ['index:loyalty_lot_member_expiry']);
    assert.equal(m.after.has('index:loyalty_lot_member'), false);
    const plan = m.db
      .prepare('EXPLAIN QUERY PLAN SELECT 1 FROM loyalty_lot WHERE member_id = ? AND expires_at IS NOT NULL AND julianday(expires_at) <= julianday(?) LIMIT 1')
      .all('m', '2026-01-01T00:00:00Z') as { detail: string }[];
    assert.ok(plan.some((p) => /USING COVERING INDEX loyalty_lot_member_expiry \(member_id=\? AND expires_at>\?\)/.test(p.detail)), JSON.stringify(plan));
    const db = m.db;
    db.prepare("INSERT INTO member (id, phone, name, consent_pd, consent_pd_at, created_at, updated_at) VALUES ('m1', '+79000000001', 'A', 1, 't', 't', 't')").run();
    const ev = db.prepare(`INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, occurred_at, payload, prev_hash, hash) VALUES (?, ?, 'T', 'earn', 'm1', 5, 't', '{}', 'p', 'h')`);
    const lot = db.prepare('INSERT INTO loyalty_lot (event_id, member_id, available_at, expires_at, program_version) VALUES (?, ?, ?, ?, 1)');
    ev.run(1, 'e1');
    ev.run(2, 'e2');
    lot.run('e1', 'm1', '2026-01-01T00:00:00Z', null);
    lot.run('e2', 'm1', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    const lapsed = db.prepare("SELECT 1 FROM loyalty_lot WHERE member_id = 'm1' AND expires_at IS NOT NULL AND julianday(expires_at) <= julianday(?) LIMIT 1").pluck();
    assert.equal(lapsed.get('2026-01-15T00:00:00Z'), undefined);
    assert.equal(lapsed.get('2026-02-01T00:00:00Z'), 1);
  } finally {
    m.cleanup();
  }
});
