import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { printX, printZ } from '../printing/service';
import { seedStaff } from '../reports/test-fixtures';
import { commitSale } from '../sales/checkout';
import { seedDemo } from '../db/seed-demo';
import { createTestStore } from '../testing/store';
import { closeShift } from './close';

test('X and Z reports print through the real queue on the embedded virtual printer', async () => {
  const store = await createTestStore('kopilka-zprint-', { openShift: false });
  const db = store.db;
  try {
    const { manager } = seedStaff(db);
    seedDemo(db); // opens the demo shift
    commitSale(db, { items: [{ code: 'LATTE', qty: 2 }], member: { card: '2000000100012' } });
    const x = await printX(db);
    assert.equal(x.printed, true, JSON.stringify(x.result));
    assert.equal(x.job.kind, 'x_report');
    const { shift } = closeShift(db, manager, { countedCash: 0 });
    const z = await printZ(db, shift.number);
    assert.equal(z.printed, true, JSON.stringify(z.result));
    const model = JSON.parse(db.prepare('SELECT model FROM print_job WHERE id = ?').pluck().get(z.job.id) as string) as { kind: string; title: string; subtitle: string; sections: { title?: string }[] };
    assert.equal(model.kind, 'z_report');
    assert.equal(model.title, 'Z-ОТЧЁТ');
    assert.equal(model.subtitle, `Смена №${shift.number}`);
    assert.ok(model.sections.some((s) => s.title === 'Программа лояльности'));
    assert.ok((db.prepare('SELECT length(bytes) FROM print_job WHERE id = ?').pluck().get(z.job.id) as number) > 200, 'ESC/POS bytes rendered');
    assert.ok(readdirSync(join(store.dir, 'prints')).length >= 2, 'the virtual printer received both reports');
  } finally {
    store.cleanup();
  }
});
