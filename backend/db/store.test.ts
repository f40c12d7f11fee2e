import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createTestStore, dumpDb } from '../testing/store';
import { openStore } from './connection';
import { appendEvents, verifyLedger } from './ledger';
import { getSetting, setSetting } from './settings';
import { stmt } from './statements';
import { seedDemo } from './seed-demo';

const AT = '2026-03-01T10:00:00+03:00';

test('the store runs in WAL with synchronous=FULL and foreign keys on; reopening migrates nothing twice', async () => {
  const s = await createTestStore();
  try {
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(s.db.pragma('synchronous', { simple: true }), 2);
    assert.equal(s.db.pragma('foreign_keys', { simple: true }), 1);
    const terminal = s.db.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").pluck().get();
    const versions = s.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    s.db.close();
    const again = await openStore(s.path);
    assert.deepEqual(again.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(), versions);
    assert.equal(again.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").pluck().get(), terminal, 'the terminal id never changes');
    again.close();
  } finally {
    s.cleanup();
  }
});

test('settings: defaults, validated writes, refused values change nothing', async () => {
  const s = await createTestStore();
  try {
    assert.equal(getSetting(s.db, 'shop.currency'), 'RUB');
    assert.equal(getSetting(s.db, 'loyalty.refundDebt'), 'allow');
    setSetting(s.db, 'shop.currency', 'KZT');
    assert.equal(getSetting(s.db, 'shop.currency'), 'KZT');
    const before = dumpDb(s.db);
    assert.throws(() => setSetting(s.db, 'shop.currency', 'rubles'), /shop.currency/);
    assert.throws(() => setSetting(s.db, 'loyalty.refundDebt', 'maybe'), /loyalty.refundDebt/);
    assert.throws(() => setSetting(s.db, 'no.such', 1), /No setting/);
    assert.equal(dumpDb(s.db), before);
  } finally {
    s.cleanup();
  }
});

test('the statement cache never leaks pluck()/raw() from one call site to another', async () => {
  const s = await createTestStore();
  try {
    const sql = "SELECT key, value FROM meta WHERE key = 'terminal_id'";
    assert.equal(typeof stmt(s.db, sql).pluck().get(), 'string');
    assert.equal(typeof (stmt(s.db, sql).get() as { key: string }).key, 'string');
    assert.ok(Array.isArray(stmt(s.db, sql).raw().get()));
    assert.equal(typeof (stmt(s.db, sql).get() as { value: string }).value, 'string');
  } finally {
    s.cleanup();
  }
});

test('verify finds a deleted row (seq gap), a reordered chain and a balance cache out of step', async () => {
  const s = await createTestStore();
  try {
    s.db.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES ('m1', 'x', 't', 't')").run();
    s.db.transaction(() => {
      for (let i = 0; i < 6; i++) appendEvents(s.db, [{ kind: 'earn', memberId: 'm1', delta: 10, occurredAt: AT }]);
    })();
    s.db.close();
    const raw = new Database(s.path);
    raw.exec('BEGIN');
    raw.exec('DROP TRIGGER ledger_event_no_delete');
    raw.exec('DELETE FROM outbox WHERE seq = 4');
    raw.exec('DELETE FROM ledger_event WHERE seq = 4');
    assert.deepEqual([verifyLedger(raw).problem?.code, verifyLedger(raw).problem?.seq], ['seq_gap', 5]);
    raw.exec('ROLLBACK');
    raw.exec('BEGIN');
    raw.prepare('UPDATE member_balance SET balance = 59').run();
    assert.equal(verifyLedger(raw).problem?.code, 'balance_mismatch');
    raw.exec('ROLLBACK');
    raw.exec('BEGIN');
    raw.exec('DROP TRIGGER ledger_event_no_update');
    // Swap the prev_hash of two rows: every hash is still "valid" for its own row, the links are not.
    raw.exec("UPDATE ledger_event SET prev_hash = 'f00' WHERE seq = 2");
    assert.equal(verifyLedger(raw).problem?.code, 'prev_hash_mismatch');
    raw.exec('ROLLBACK');
    assert.equal(verifyLedger(raw).ok, true);
    raw.close();
  } finally {
    s.cleanup();
  }
});

test('demo seeding is repeatable and leaves a verifiable ledger', async () => {
  const s = await createTestStore();
  try {
    const first = seedDemo(s.db, AT);
    assert.equal(first.members, 4);
    const again = seedDemo(s.db, AT);
    assert.equal(again.members, 0, 'members already present are skipped');
    assert.equal(s.db.prepare('SELECT count(*) FROM product').pluck().get(), first.products);
    assert.equal(verifyLedger(s.db).ok, true);
  } finally {
    s.cleanup();
  }
});
