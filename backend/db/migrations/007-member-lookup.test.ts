import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas } from '../connection';
import { loadMigrations, migrate } from '../migrate';
import { objects } from '../../testing/migration-harness';

test('007 rebuilds member_card and member_balance WITHOUT ROWID, keeping every row and constraint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-mig-'));
  const db = new Database(join(dir, 'm.db'));
  try {
    applyPragmas(db);
    const all = await loadMigrations();
    migrate(db, all, 6);
    db.prepare("INSERT INTO member (id, phone, name, created_at, updated_at) VALUES ('m1', '+79161234567', 'Анна', 't', 't'), ('m2', NULL, 'Борис', 't', 't')").run();
    const card = db.prepare('INSERT INTO member_card (code, member_id, kind, status, created_at) VALUES (?, ?, ?, ?, ?)');
    card.run('4600000000003', 'm1', 'ean13', 'active', '2026-01-02');
    card.run('QR-1', 'm1', 'qr', 'blocked', '2026-01-01');
    card.run('C128', 'm2', 'code128', 'active', '2026-01-03');
    db.prepare("INSERT INTO member_balance (member_id, balance, updated_seq) VALUES ('m1', 120, 7), ('m2', -5, 9)").run();
    const cardsBefore = db.prepare('SELECT * FROM member_card ORDER BY code').all();
    const balancesBefore = db.prepare('SELECT * FROM member_balance ORDER BY member_id').all();
    const before = objects(db);

    assert.deepEqual(migrate(db, all, 7), [7]);
    assert.deepEqual(objects(db), before, 'same tables and index names as before');
    assert.deepEqual(db.prepare('SELECT * FROM member_card ORDER BY code').all(), cardsBefore);
    assert.deepEqual(db.prepare('SELECT * FROM member_balance ORDER BY member_id').all(), balancesBefore);
    const wr = db.prepare("SELECT name, wr FROM pragma_table_list WHERE name IN ('member_card', 'member_balance') ORDER BY name").all();
    assert.deepEqual(wr, [{ name: 'member_balance', wr: 1 }, { name: 'member_card', wr: 1 }]);

    // Constraints survive the rebuild.
    assert.throws(() => card.run('X1', 'nobody', 'qr', 'active', 't'), /FOREIGN KEY/);
    assert.throws(() => card.run('X2', 'm1', 'magstripe', 'active', 't'), /CHECK/);
    assert.throws(() => card.run('C128', 'm1', 'code128', 'active', 't'), /UNIQUE|PRIMARY/);
    assert.throws(() => db.prepare("INSERT INTO member_balance (member_id, balance, updated_seq) VALUES ('nobody', 1, 1)").run(), /FOREIGN KEY/);
    assert.throws(() => db.prepare("INSERT INTO member_balance (member_id, balance, updated_seq) VALUES ('m1', 1, 1)").run(), /UNIQUE|PRIMARY/);
    assert.equal(db.prepare("SELECT status FROM member_card WHERE code = 'C128'").pluck().get(), 'active', 'default status kept');

    // The card list in display order reads the covering index only: no table visit, no sort.
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT code, kind, status FROM member_card WHERE member_id = 'm1' ORDER BY created_at, code").all() as { detail: string }[]).map((r) => r.detail);
    assert.deepEqual(plan, ['SEARCH member_card USING COVERING INDEX member_card_member (member_id=?)']);
    assert.deepEqual(db.prepare("SELECT code FROM member_card WHERE member_id = 'm1' ORDER BY created_at, code").pluck().all(), ['QR-1', '4600000000003']);
    assert.equal((db.pragma('foreign_key_check') as unknown[]).length, 0);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
