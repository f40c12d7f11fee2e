import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas } from '../connection';
import { loadMigrations, migrate } from '../migrate';

test('008 keeps every outbox row, drops only the event_id index; seq still references the ledger', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-mig-'));
  const db = new Database(join(dir, 'm.db'));
  try {
    applyPragmas(db);
    const all = await loadMigrations();
    migrate(db, all, 7);
    const ev = db.prepare(
      `INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, occurred_at, payload, prev_hash, hash) VALUES (?, ?, 'T', 'sale', NULL, 0, 't', '{}', 'p', 'h')`,
    );
    ev.run(1, 'e1');
    ev.run(2, 'e2');
    db.prepare('INSERT INTO outbox (seq, event_id) VALUES (?, ?), (?, ?)').run(1, 'e1', 2, 'e2');
    const indexesBefore = db.prepare("SELECT name FROM pragma_index_list('outbox')").pluck().all();
    assert.equal(indexesBefore.length, 1, 'the UNIQUE event_id index is there before');
    assert.deepEqual(migrate(db, all, 8), [8]);
    assert.deepEqual(db.prepare('SELECT seq, event_id FROM outbox ORDER BY seq').all(), [{ seq: 1, event_id: 'e1' }, { seq: 2, event_id: 'e2' }]);
    assert.deepEqual(db.prepare("SELECT name FROM pragma_index_list('outbox')").pluck().all(), []);
    assert.throws(() => db.prepare('INSERT INTO outbox (seq, event_id) VALUES (3, ?)').run('e3'), /FOREIGN KEY/);
    assert.throws(() => db.prepare('INSERT INTO outbox (seq, event_id) VALUES (1, ?)').run('e1'), /UNIQUE|PRIMARY/);
    assert.throws(() => db.prepare('INSERT INTO outbox (seq, event_id) VALUES (2, NULL)').run(), /NOT NULL/);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
