import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { useCliHarness } from '../../testing/cli-harness';

/** `ledger verify` checks the stored lot projection against a replay; `ledger rebuild-lots` drops it. */
const cli = useCliHarness('cli-lots');

function ledgerRows(): string {
  const d = new Database(cli.db(), { readonly: true });
  try {
    return JSON.stringify(d.prepare('SELECT * FROM ledger_event ORDER BY seq').all());
  } finally {
    d.close();
  }
}

test('ledger verify finds stored lots that differ from the replay; rebuild-lots drops them and touches no ledger row', () => {
  const [init, sale, verify] = cli.batch(['init', '--demo', '--json'], ['sale', '--item', 'LATTE:2', '--card', '2000000100012', '--pay', 'card', '--json'], ['ledger', 'verify', '--json']);
  cli.okJson(init!);
  cli.okJson(sale!);
  const ok = cli.okJson(verify!);
  assert.ok((ok.lots as { members: number }).members >= 1, 'the sale stored its member’s lots');

  const ledger = ledgerRows();
  const raw = new Database(cli.db());
  raw.prepare('UPDATE loyalty_lot_state SET debt = debt + 7').run();
  raw.close();
  const bad = cli.spawn(['ledger', 'verify', '--json']);
  assert.equal(bad.code, 1);
  const out = cli.json(bad);
  assert.equal(out.ok, false);
  assert.equal((out.lots as { problem: { code: string } }).problem.code, 'lot_projection_mismatch');
  assert.match(bad.stderr, /lot projection .* differs from a replay of the ledger .*kopilka ledger rebuild-lots/);

  const [rebuilt, again] = cli.batch(['ledger', 'rebuild-lots', '--json'], ['ledger', 'verify', '--json']);
  assert.ok((cli.okJson(rebuilt!).dropped as number) >= 1);
  assert.equal(cli.okJson(again!).ok, true);
  assert.equal(ledgerRows(), ledger, 'the ledger itself was never touched');
});
