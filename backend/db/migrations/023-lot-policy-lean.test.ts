import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas } from '../connection';
import { loadMigrations, migrate } from '../migrate';

test('023 keeps every lot policy in a WITHOUT ROWID table with the same indexes, checks and trigger', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-mig-'));
  const db = new Database(join(dir, 'm.db'));
  try {
    applyPragmas(db);
    const all = await loadMigrations();
    migrate(db, all, 22);
    db.prepare("INSERT INTO member (id, phone, name, consent_pd, consent_pd_at, created_at, updated_at) VALUES ('m1', '+79000000001', 'A', 1, 't', 't', 't')").run();
    const ev = db.prepare(`INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, occurred_at, payload, prev_hash, hash) VALUES (?, ?, 'T', 'earn', 'm1', 5, 't', '{}', 'p', 'h')`);
    ev.run(1, 'e1');
    ev.run(2, 'e2');
    const lot = db.prepare('INSERT INTO loyalty_lot (event_id, member_id, available_at, expires_at, program_version) VALUES (?, ?, ?, ?, ?)');
    lot.run('e1', 'm1', '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', 1);
    const before = db.prepare('SELECT * FROM loyalty_lot ORDER BY event_id').all();
    assert.deepEqual(migrate(db, all, 23), [23]);
    assert.deepEqual(db.prepare('SELECT * FROM loyalty_lot ORDER BY event_id').all(), before);
    assert.match(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'loyalty_lot'").pluck().get() as string, /WITHOUT ROWID/);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'loyalty_lot' AND type IN ('index', 'trigger') ORDER BY name").pluck().all(), ['loyalty_lot_expiry', 'loyalty_lot_member', 'loyalty_lot_no_update']);
    lot.run('e2', 'm1', '2026-01-01T00:00:00Z', null, 1);
    assert.throws(() => lot.run('e2', 'm1', 't', null, 1), /UNIQUE|PRIMARY/);
    assert.throws(() => lot.run('nope', 'm1', 't', null, 1), /FOREIGN KEY/);
    assert.throws(() => db.prepare("UPDATE loyalty_lot SET expires_at = NULL WHERE event_id = 'e1'").run(), /fixed when the points are earned/);
    assert.equal(db.prepare("SELECT count(*) FROM loyalty_lot WHERE member_id = 'm1'").pluck().get(), 2);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
