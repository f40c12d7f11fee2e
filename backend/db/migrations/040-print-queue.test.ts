import assert from 'node:assert/strict';
import { test } from 'node:test';
import { added, migratedTo } from '../../testing/migration-harness';

test('040 creates print_job; states and printed_at stay consistent', async () => {
  const m = await migratedTo(40);
  try {
    assert.deepEqual(added(m.before, m.after), ['index:print_job_pending', 'index:print_job_ref', 'table:print_job']);
    const ins = m.db.prepare(
      `INSERT INTO print_job (id, kind, ref, printer_uri, profile, model, bytes, state, created_at, updated_at, printed_at)
       VALUES (?, ?, 'r', 'virtual:/tmp/x', 'epson-80', '{}', x'1b40', ?, 't', 't', ?)`,
    );
    ins.run('a', 'sale', 'pending', null);
    ins.run('b', 'z_report', 'printed', 't2');
    assert.throws(() => ins.run('c', 'sale', 'printed', null), /CHECK/);
    assert.throws(() => ins.run('d', 'sale', 'pending', 't'), /CHECK/);
    assert.throws(() => ins.run('e', 'invoice', 'pending', null), /CHECK/);
    assert.throws(() => ins.run('f', 'sale', 'lost', null), /CHECK/);
    assert.throws(() => ins.run('a', 'sale', 'pending', null), /UNIQUE/);
  } finally {
    m.cleanup();
  }
});
