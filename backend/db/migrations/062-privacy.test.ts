import { test } from 'node:test';
import assert from 'node:assert/strict';
import { added, migratedTo } from '../../testing/migration-harness';

test('062 creates the append-only consent history and erasure records', async () => {
  const m = await migratedTo(62);
  try {
    assert.deepEqual(added(m.before, m.after), [
      'index:consent_member',
      'table:consent',
      'table:member_erasure',
      'trigger:consent_no_delete',
      'trigger:consent_no_update',
    ]);
    const db = m.db;
    const ins = db.prepare('INSERT INTO consent (member_id, kind, granted, text_version, at) VALUES (?, ?, ?, ?, ?)');
    ins.run('m1', 'processing', 1, 'pd-2026-01', 't');
    assert.throws(() => ins.run('m1', 'newsletter', 1, 'v', 't'), /CHECK/);
    assert.throws(() => ins.run('m1', 'marketing', 2, 'v', 't'), /CHECK/);
    assert.throws(() => db.prepare('UPDATE consent SET granted = 0').run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM consent').run(), /append-only/);
  } finally {
    m.cleanup();
  }
});
