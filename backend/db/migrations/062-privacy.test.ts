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
      'trigger:consent_on_change_marketing',
      'trigger:consent_on_change_pd',
      'trigger:consent_on_enrol',
    ]);
    const db = m.db;
    const ins = db.prepare('INSERT INTO consent (member_id, kind, granted, text_version, at) VALUES (?, ?, ?, ?, ?)');
    ins.run('m1', 'processing', 1, 'pd-2026-01', 't');
    assert.throws(() => ins.run('m1', 'newsletter', 1, 'v', 't'), /CHECK/);
    assert.throws(() => ins.run('m1', 'marketing', 2, 'v', 't'), /CHECK/);
    assert.throws(() => db.prepare('UPDATE consent SET granted = 0').run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM consent').run(), /append-only/);
    // Enrolment and every later change of the member's consent flags are recorded with the text version in force.
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('privacy.marketingTextVersion', '\"mk-2026-03\"', 't')").run();
    db.prepare("INSERT INTO member (id, phone, name, consent_pd, consent_pd_at, created_at, updated_at) VALUES ('m2', '+79160000001', 'A', 1, 't1', 't1', 't1')").run();
    db.prepare("UPDATE member SET consent_marketing = 1, consent_marketing_at = 't2', updated_at = 't2' WHERE id = 'm2'").run();
    db.prepare("UPDATE member SET name = 'B', updated_at = 't3' WHERE id = 'm2'").run();
    assert.deepEqual(
      db.prepare("SELECT kind, granted, text_version, at FROM consent WHERE member_id = 'm2' ORDER BY seq").all(),
      [
        { kind: 'processing', granted: 1, text_version: '1', at: 't1' },
        { kind: 'marketing', granted: 0, text_version: 'mk-2026-03', at: 't1' },
        { kind: 'marketing', granted: 1, text_version: 'mk-2026-03', at: 't2' },
      ],
    );
  } finally {
    m.cleanup();
  }
});
