import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCliHarness } from '../../testing/cli-harness';

/**
 * `shift`, `report`, `staff` and `member export|erase|consent|adjust` end to end on a temporary
 * database: most steps batched through testing/cli-driver.ts (the real `main()`), one spawned
 * `bin/kopilka.mjs` for exit codes and $KOPILKA_PIN.
 */
const BIN = fileURLToPath(new URL('../../../bin/kopilka.mjs', import.meta.url));
const cli = useCliHarness('mgr-cli');
const batch = cli.batch;
const json = cli.okJson;
const dump = cli.dump;

test('staff, a shift day, Z and loyalty reports, audit, member export/adjust/erase through the CLI', () => {
  // The demo shift opens at the wall clock, so the business times of this day follow it.
  const t0 = Date.now() + 60_000;
  const at = (m: number) => new Date(t0 + m * 60_000).toISOString();
  const year = new Date(t0).getUTCFullYear();
  const [from, to] = [`${year - 1}-01-01`, `${year + 1}-12-31`];
  const r = batch(
    ['init', '--demo', '--json'],
    ['--json', 'staff', 'add', '--name', 'Ольга', '--role', 'owner', '--new-pin', '2580'],
    ['--json', 'staff', 'add', '--name', 'Миша', '--role', 'manager', '--new-pin', '1357', '--pin', '2580'],
    ['--json', 'staff', 'add', '--name', 'Катя', '--role', 'cashier', '--new-pin', '2468', '--pin', '2580'],
    ['--json', 'staff', 'list'],
    ['--json', 'shift', 'close', '--counted', '0', '--pin', '1357', '--at', at(1)], // the demo shift
    ['--json', 'shift', 'open', '--float', '3000', '--pin', '2468', '--at', at(2)],
    ['--json', 'sale', '--item', 'LATTE:2', '--card', '2000000100012', '--pay', 'cash', '--at', at(3)],
    ['--json', 'sale', '--item', 'ESPRESSO', '--pay', 'card', '--at', at(4)],
    ['--json', 'shift', 'cash-in', '--amount', '500', '--reason', 'размен', '--pin', '2468', '--at', at(5)],
    ['--json', 'shift', 'cash-out', '--amount', '200', '--reason', 'курьер', '--pin', '2468', '--at', at(6)],
    ['--json', 'member', 'adjust', '--card', '2000000100029', '--points', '40', '--reason', 'компенсация', '--pin', '1357', '--at', at(7)],
    ['--json', 'shift', 'x', '--pin', '2468'],
    ['--json', 'shift', 'close', '--counted', '3700', '--note', 'ok', '--pin', '1357', '--at', at(20)],
    ['--json', 'report', 'z', '--pin', '1357'],
    ['--json', 'report', 'z', '--from', from, '--to', to, '--pin', '1357'],
    ['--json', 'report', 'loyalty', '--from', from, '--to', to, '--pin', '1357'],
    ['report', 'loyalty', '--from', from, '--to', to, '--csv', 'summary', '--pin', '1357'],
    ['--json', 'member', 'export', '--card', '2000000100029', '--out', join(cli.dir(), 'petr.json'), '--pin', '2580'],
    ['--json', 'member', 'consent', '--card', '2000000100029', '--marketing', 'yes', '--pin', '2468'],
    ['--json', 'member', 'erase', '--card', '2000000100029', '--reason', 'заявление', '--pin', '2580'],
    ['--json', 'report', 'audit', '--pin', '1357', '--limit', '100'],
  );
  assert.deepEqual(r.map((x) => x.code), r.map(() => 0), r.map((x) => x.stderr).join('\n'));
  assert.deepEqual(json(r[4]!).staff.map((s: { name: string; role: string }) => [s.name, s.role]), [['Катя', 'cashier'], ['Миша', 'manager'], ['Ольга', 'owner']]);
  assert.equal(json(r[6]!).shift.number, 2);
  const sale1 = json(r[7]!);
  const cash1 = (sale1.payments as { method: string; amount: number }[]).filter((p) => p.method === 'cash').reduce((a, p) => a + p.amount, 0);
  const x = json(r[12]!).report;
  assert.equal(x.sales.count, 2);
  assert.equal(x.cash.expected, 300_000 + cash1 + 50_000 - 20_000);
  assert.deepEqual(x.loyalty.adjustments, { count: 1, added: 40, removed: 0 });
  const closed = json(r[13]!);
  assert.equal(closed.shift.overShort, 370_000 - x.cash.expected);
  assert.ok(closed.notes.some((n: string) => /not yet on the server/.test(n)), 'warns about unsynced events');
  assert.match(r[13]!.stderr, /not yet on the server.*--sync/);
  assert.deepEqual(json(r[14]!).z, closed.z);
  assert.equal(json(r[15]!).totals.shifts, 2);
  const a = json(r[16]!).analytics;
  assert.equal(a.members.total, 4);
  assert.equal(a.averageCheck.memberSales, 1);
  assert.match(r[17]!.stdout, new RegExp(`^metric,value\r\nperiod_from,${from}\r\n`));
  const exported = JSON.parse(readFileSync(join(cli.dir(), 'petr.json'), 'utf8')) as { member: { name: string; phone: string }; ledger: { kind: string; delta: number }[] };
  assert.equal(exported.member.name, 'Пётр Смирнов');
  assert.equal(exported.member.phone, '+79035551234');
  assert.ok(exported.ledger.some((e) => e.kind === 'adjust' && e.delta === 40));
  assert.equal(json(r[20]!).balanceKept, 40);
  const audit = json(r[21]!);
  assert.equal(audit.chainIntact, true);
  const actions = (audit.entries as { action: string }[]).map((e) => e.action);
  for (const act of ['staff.add', 'shift.open', 'shift.cash_in', 'shift.cash_out', 'points.adjust', 'shift.close', 'member.export', 'consent.change', 'member.erase', 'program.change']) {
    assert.ok(actions.includes(act), `audit has ${act}`);
  }
  const after = dump();
  assert.ok(!after.includes('Пётр Смирнов') && !after.includes('+79035551234'), 'erased member leaves no personal data');
});

test('refusals: wrong or missing PIN, cashier closing a shift, sale outside a shift; bad input changes nothing', () => {
  const before = dump();
  const r = batch(
    ['--json', 'shift', 'close', '--counted', '0', '--pin', '2468'], // no open shift (and a cashier)
    ['--json', 'sale', '--item', 'LATTE'],
    ['--json', 'shift', 'open', '--float', 'lots', '--pin', '2468'],
    ['--json', 'staff', 'add', '--name', 'Eve', '--role', 'owner', '--new-pin', '9713', '--pin', '2468'],
    ['--json', 'member', 'erase', '--card', '2000000100012', '--reason', 'x', '--pin', '1357'],
    ['--json', 'report', 'loyalty', '--from', '2026-02-30', '--pin', '1357'],
  );
  assert.deepEqual(r.map((x) => x.code), [1, 1, 1, 1, 1, 1]);
  assert.match(r[0]!.stderr, /needs a manager PIN/);
  assert.match(r[1]!.stderr, /No shift is open/);
  assert.match(r[2]!.stderr, /not an amount/);
  assert.match(r[3]!.stderr, /owner/);
  assert.match(r[4]!.stderr, /owner/);
  assert.match(r[5]!.stderr, /date/);
  for (const x of r) assert.equal(x.stdout, '');
  // Only the refusals' audit rows (auth.denied) were written.
  const strip = (s: string) => s.split('\n').filter((l) => !l.includes('auth.denied')).join('\n').replace(/## audit_log \(\d+\)/, '## audit_log');
  assert.equal(strip(dump()), strip(before));

  // Spawned binary: exit status 1 on a refusal, the PIN can come from $KOPILKA_PIN, and lockout after 5 wrong PINs.
  const spawn = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, '--db', cli.db(), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  const open = spawn(['--json', 'shift', 'open', '--float', '100'], { KOPILKA_PIN: '2468' });
  assert.equal(open.status, 0, open.stderr);
  assert.equal(JSON.parse(open.stdout).shift.openingFloat, 10_000);
  const wrong = batch(...Array.from({ length: 5 }, () => ['--json', 'shift', 'x', '--pin', '0000']));
  assert.deepEqual(wrong.map((x) => x.code), [1, 1, 1, 1, 1]);
  assert.match(wrong[4]!.stderr, /"code":"LOCKED"/);
  const locked = spawn(['--json', 'shift', 'x'], { KOPILKA_PIN: '2468' });
  assert.equal(locked.status, 1);
  assert.match(locked.stderr, /locked/);
});
