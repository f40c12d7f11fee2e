import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { useCliHarness, type CliRun as Run } from '../../testing/cli-harness';

/**
 * End-to-end tests of the terminal-core commands on temporary databases. A few run the real
 * `bin/kopilka.mjs` in a child process (exit codes, stdout/stderr split); the rest call the same
 * `main()` in-process with stdout/stderr captured, which is the same code path minus the spawn.
 */
const cli = useCliHarness('cli');
const { json, dump } = cli;
const spawnCli = cli.spawn;
/** Several commands in one child process (see testing/cli-driver.ts); `--db` is prepended. */
const cliBatch = cli.batch;

test('init --demo, then a sale with redemption, balance, refund and ledger verify (spawned bin)', () => {
  const init = spawnCli(['init', '--demo', '--json']);
  assert.equal(init.code, 0, init.stderr);
  const i = json(init);
  assert.equal(i.ok, true);
  assert.equal((i.demo as { products: number }).products, 24);

  const sale = spawnCli(['sale', '--item', 'LATTE:2', '--item', '2000000000077', '--card', '2000000100012', '--redeem', 'max', '--pay', 'cash:1000', '--json']);
  assert.equal(sale.code, 0, sale.stderr);
  const s = json(sale);
  assert.equal(s.receiptNo, 1);
  assert.equal(s.total, 2 * 21000 + 14000);
  assert.ok((s.redeemPoints as number) > 0, 'the demo member has points to redeem');
  assert.equal(s.toPay, (s.total as number) - (s.redeemValue as number));
  const memberDeltas = (s.events as { kind: string; delta: number }[]).reduce((a, e) => a + e.delta, 0);
  assert.equal(s.balanceAfter, 300 + memberDeltas, 'balance after = demo points + every event of this sale');
  const cash = (s.payments as { method: string; amount: number; change: number | null }[]).find((p) => p.method === 'cash')!;
  assert.equal(cash.change, 100000 - (s.toPay as number));
  assert.equal((s.receipt as { kind: string }).kind, 'sale');

  const bad = spawnCli(['sale', '--item', 'NOPE', '--json']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '', 'nothing on stdout when refused');
  assert.match((JSON.parse(bad.stderr) as { error: { message: string } }).error.message, /Unknown item "NOPE"/);
  assert.equal((JSON.parse(bad.stderr) as { error: { code: string } }).error.code, 'NOT_FOUND');
});

test('member add, find by last 4 (masked), show, balance', () => {
  const [add, find, show, bal, human] = cliBatch(
    ['--json', 'member', 'add', '--name', 'Иван Петров', '--phone', '8 (926) 111-12-34', '--card', 'KP-1001', '--consent-pd', '--birthday', '1991-02-03'],
    ['--json', 'member', 'find', '--last4', '1234'],
    ['member', 'show', '--card', 'KP-1001', '--json'],
    ['balance', '--phone', '+7 926 111 12 34', '--json'],
    ['balance', '--card', 'KP-1001'],
  ) as [Run, Run, Run, Run, Run];
  assert.equal(add.code, 0, add.stderr);
  const m = json(add).member as { id: string; phone: string; consentPdAt: string | null };
  assert.equal(m.phone, '+79261111234');
  assert.ok(m.consentPdAt);
  const cands = json(find).candidates as { maskedPhone: string; name: string }[];
  assert.ok(cands.some((c) => c.name === 'Иван Петров' && c.maskedPhone === '+7 *** ***-12-34'));
  assert.ok(!JSON.stringify(cands).includes('926111'), 'no full phone among candidates');
  assert.equal((json(show).member as { id: string; cards: { code: string }[] }).id, m.id);
  assert.equal(json(bal).balance, 0);
  assert.match(human.stdout, /Иван Петров \+7 \*\*\* \*\*\*-12-34: 0 points/);
});

test('refund by receipt number, duplicate refused; export CSV; ledger verify', () => {
  const [refund, again, verify, members, ledger] = cliBatch(
    ['refund', '1', '--line', '1:1', '--json'],
    ['refund', '1', '--line', '1:2', '--json'],
    ['ledger', 'verify', '--json'],
    ['export', 'members', '--csv'],
    ['export', 'ledger', '--csv'],
  ) as [Run, Run, Run, Run, Run];
  const r = json(refund);
  assert.equal(refund.code, 0, refund.stderr);
  assert.ok((r.amount as number) > 0 && (r.amount as number) < 21000, 'one latte back, less the part paid with points');
  assert.ok((r.pointsRestored as number) > 0, 'redeemed points on the returned latte come back');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /Only 1 of 2/);
  const v = json(verify);
  assert.equal(v.ok, true);
  const rows = members.stdout.trim().split('\r\n');
  assert.equal(rows[0], 'id,name,phone,birthday,cards,balance,consent_pd,consent_pd_at,consent_marketing,consent_marketing_at,created_at');
  assert.equal(rows.length, 1 + 5);
  assert.equal(ledger.stdout.trim().split('\r\n').length - 1, v.events);
});

test('bad input through the CLI is refused with a clear message and changes nothing', () => {
  const before = dump();
  const cases: [string[], RegExp][] = [
    [['sale', '--item', 'LATTE:0'], /above zero/],
    [['sale', '--item', 'LATTE:-3'], /above zero/],
    [['sale', '--item', 'LATTE:1.5'], /whole number/],
    [['sale', '--item', 'LATTE:100000'], /too large/],
    [['sale', '--item', 'LATTE', '--phone', '12-34'], /phone/],
    [['sale', '--item', 'LATTE', '--card', '2000000100013'], /check digit/],
    [['sale', '--item', 'LATTE', '--card', 'KP-NOBODY'], /not registered/],
    [['sale', '--item', 'LATTE', '--card', '2000000100012', '--redeem', '99999'], /cannot redeem/],
    [['sale', '--item', 'LATTE', '--card', '2000000100029', '--redeem', '1'], /has 0 points/],
    [['sale', '--item', 'LATTE', '--pay', 'cash:abc'], /not an amount/],
    [['sale', '--item', 'LATTE', '--pay', 'cash:99999999999'], /not an amount|largest/],
    [['sale', '--item', 'LATTE', '--pay', 'cash:10'], /less than/],
    [['sale', '--item', 'LATTE', '--pay', 'bitcoin'], /not a payment/],
    [['sale', '--item', 'LATTE', '--at', '31.12.2026'], /not a date-time/],
    [['refund', '1', '--line', '1:5'], /Only 1 of 2/],
    [['refund', '1', '--line', '7:1'], /no line 7/],
    [['refund', '424242'], /No sale/],
    [['member', 'add', '--name', 'X', '--phone', '+7 000'], /phone/],
    [['member', 'add', '--name', 'X', '--phone', '+7 926 111-12-34'], /already exists/],
    [['member', 'find', '--last4', '12'], /last 4/],
    [['export', 'secrets'], /members or ledger/],
  ];
  const results = cliBatch(...cases.map(([args]) => ['--json', ...args]));
  cases.forEach(([args, re], i) => {
    const r = results[i]!;
    assert.equal(r.code, 1, `${args.join(' ')} → exit ${r.code}\n${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '', args.join(' '));
    const err = JSON.parse(r.stderr) as { ok: boolean; error: { message: string } };
    assert.equal(err.ok, false);
    assert.match(err.error.message, re, args.join(' '));
  });
  assert.equal(dump(), before, 'no refused command changed the database');
});

test('once the till has staff, a CLI refund or program change needs a manager PIN and is audited under that manager', () => {
  const read = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(cli.db(), { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  // Until now the till had no staff (set-up), so the refunds above needed no PIN.
  const staff = cliBatch(
    ['--json', 'staff', 'add', '--name', 'Ольга', '--role', 'owner', '--new-pin', '2580'],
    ['--json', 'staff', 'add', '--name', 'Пётр', '--role', 'manager', '--new-pin', '1234', '--pin', '2580'],
    ['--json', 'staff', 'add', '--name', 'Иван', '--role', 'cashier', '--new-pin', '4826', '--pin', '2580'],
  );
  for (const r of staff) assert.equal(r.code, 0, r.stderr);

  const before = dump();
  const program = join(fileURLToPath(new URL('../../../resources/programs/', import.meta.url)), 'demo-cafe.json');
  const [noPin, noPinRules] = cliBatch(['--json', 'refund', '1', '--line', '1:1'], ['--json', 'rules', 'set', program]) as [Run, Run];
  for (const r of [noPin, noPinRules]) {
    assert.equal(r.code, 1);
    assert.match(JSON.parse(r.stderr).error.message, /needs a staff PIN/);
  }
  assert.equal(dump(), before, 'refused without a PIN: nothing changed');

  const refundsBefore = read((db) => db.prepare('SELECT count(*) FROM refund').pluck().get() as number);
  const [cashier, manager, rules] = cliBatch(
    ['--json', 'refund', '1', '--line', '1:1', '--pin', '4826'],
    ['--json', 'refund', '1', '--line', '1:1', '--pin', '1234', '--reason', 'cold'],
    ['--json', 'rules', 'set', program, '--pin', '1234', '--note', 'demo'],
  ) as [Run, Run, Run];
  assert.equal(cashier.code, 1);
  assert.match(JSON.parse(cashier.stderr).error.message, /needs a manager PIN/);
  assert.equal(manager.code, 0, manager.stderr);
  assert.equal(rules.code, 0, rules.stderr);
  read((db) => {
    const reasons = db.prepare('SELECT reason FROM refund ORDER BY refund_no').pluck().all() as string[];
    assert.equal(reasons.length, refundsBefore + 1, 'the cashier PIN refunded nothing; the manager PIN refunded once');
    assert.equal(reasons.at(-1), 'cold (Пётр)', 'the reason names the authorising manager');
    const rows = db.prepare("SELECT staff_role AS role, action FROM audit_log WHERE action IN ('auth.denied', 'refund', 'program.change') ORDER BY seq").all();
    assert.deepEqual(rows.slice(-3), [{ role: 'cashier', action: 'auth.denied' }, { role: 'manager', action: 'refund' }, { role: 'manager', action: 'program.change' }]);
  });
});

test('ledger verify reports a row altered behind the triggers (spawned bin, non-zero exit)', () => {
  const raw = new Database(cli.db());
  raw.exec('DROP TRIGGER ledger_event_no_update');
  raw.prepare("UPDATE ledger_event SET delta = delta + 100 WHERE kind = 'earn'").run();
  raw.close();
  const r = spawnCli(['ledger', 'verify', '--json']);
  assert.equal(r.code, 1);
  const out = json(r);
  assert.equal(out.ok, false);
  assert.equal((out.problem as { code: string }).code, 'hash_mismatch');
  assert.match(r.stderr, /Ledger verification failed/);
});
