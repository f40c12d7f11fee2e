import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { useCliHarness } from '../../testing/cli-harness';

/**
 * The loyalty commands end to end on a temporary database: rules validate/set/show/simulate,
 * promo, gift, bonus, and the sale options that use them. Commands run through the real main()
 * in one child process per batch (backend/testing/cli-driver.ts); refusals leave the file as it was.
 */
const PROGRAMS = fileURLToPath(new URL('../../../resources/programs/', import.meta.url));
const cli = useCliHarness('loyalty-cli', { batchTimeoutMs: 60_000 });
const batch = (...argvs: string[][]) => cli.batch(...argvs.map((a) => ['--json', ...a]));
const json = cli.okJson;
const dump = cli.dump;

test('rules, sales with promo/gift/reward, bonuses, simulate and expire through the CLI', () => {
  const [init, set, show, promo, s1, s2, giftList, action] = batch(
    ['init', '--demo'],
    ['rules', 'set', join(PROGRAMS, 'demo-cafe.json'), '--from', '2026-01-01T00:00:00+03:00', '--note', 'demo'],
    ['rules', 'show', '--at', '2026-03-01T00:00:00+03:00'],
    ['promo', 'add', 'spring10', '--percent', '10', '--max-uses', '1'],
    ['sale', '--card', '2000000100012', '--item', 'LATTE:2', '--item', 'GIFT-1000', '--at', '2026-03-10T17:00:00+03:00', '--pay', 'card'],
    ['sale', '--item', 'CROISSANT', '--promo', 'SPRING10', '--at', '2026-03-11T10:00:00+03:00'],
    ['gift', 'list'],
    ['bonus', 'action', '--card', '2000000100012', '--action', 'review', '--at', '2026-03-11T10:00:00+03:00'],
  );
  json(init!);
  assert.equal(json(set!).name, 'Кофейня «Копилка»: демо-программа');
  assert.deepEqual(json(show!).program.stamps.map((s: { id: string }) => s.id), ['coffee']);
  assert.equal(json(promo!).promo.code, 'SPRING10');
  const sale1 = json(s1!);
  assert.ok(sale1.effects.some((e: { label: string }) => e.label === 'Двойные баллы Вт 16–18 · +21'), JSON.stringify(sale1.effects));
  assert.ok(sale1.effects.some((e: { label: string }) => e.label === 'Кофейная карта 2/10'));
  assert.equal(json(s2!).effects[0].label, 'Промокод SPRING10 10% · −14\u00a0₽');
  const certs = json(giftList!).certificates as { code: string; balance: number }[];
  assert.equal(certs.length, 1);
  assert.equal(certs[0]!.balance, 100_000);
  assert.equal(json(action!).points, 50);

  const before = dump();
  const bad = join(cli.dir(), 'bad.json');
  writeFileSync(bad, JSON.stringify({ name: 'x', earn: { base: { mode: 'percent', bps: 99999 } }, redeem: {} }));
  const refusals = batch(
    ['rules', 'set', bad],
    ['rules', 'validate', join(cli.dir(), 'missing.json')],
    ['promo', 'add', 'spring10', '--percent', '10'],
    ['sale', '--item', 'CROISSANT', '--promo', 'SPRING10', '--at', '2026-03-11T11:00:00+03:00'],
    ['sale', '--item', 'LATTE:5', '--gift', certs[0]!.code, '--gift', certs[0]!.code, '--at', '2026-03-11T11:00:00+03:00'],
    ['bonus', 'action', '--card', '2000000100012', '--action', 'review', '--at', '2026-03-12T10:00:00+03:00'],
    // The demo points were given today, so in March they are not spendable yet.
    ['sale', '--card', '2000000100012', '--item', 'LATTE', '--reward', 'croissant', '--at', '2026-03-12T10:00:00+03:00'],
  );
  const codes = refusals.map((r) => [r.code, JSON.parse(r.stderr.trim()).error.code]);
  assert.deepEqual(codes, [[1, 'VALIDATION'], [1, 'NOT_FOUND'], [1, 'CONFLICT'], [1, 'LIMIT_EXCEEDED'], [1, 'VALIDATION'], [1, 'LIMIT_EXCEEDED'], [1, 'INSUFFICIENT_POINTS']]);
  assert.match(JSON.parse(refusals[0]!.stderr).error.message, /earn\.base\.bps/);
  for (const r of refusals) assert.equal(r.stdout, '');
  assert.equal(dump(), before, 'refused commands changed nothing');

  const [paid, sim, exp, verify] = batch(
    ['sale', '--item', 'LATTE:3', '--gift', certs[0]!.code.toLowerCase(), '--at', '2026-03-12T12:00:00+03:00'],
    ['rules', 'simulate', join(PROGRAMS, 'cashback-5-half.json'), '--from', '2026-03-01', '--to', '2026-03-31'],
    ['rules', 'expire', '--at', '2027-06-01T00:00:00+03:00'],
    ['ledger', 'verify'],
  );
  assert.deepEqual(json(paid!).payments.map((p: { method: string; amount: number }) => [p.method, p.amount]), [['gift', 63_000]]);
  const s = json(sim!);
  assert.deepEqual(s.days.map((d: { date: string }) => d.date), ['2026-03-10', '2026-03-11', '2026-03-12']);
  assert.equal(s.totals.sales, 3);
  // Day one under the candidate: 5% of the 420 ₽ of coffee, no double points, no welcome bonus.
  assert.equal(s.days[0].candidate.issued, 21);
  assert.equal(s.totals.cost, s.totals.issued * 100 + s.totals.discount);
  assert.ok(json(exp!).points > 0);
  assert.equal(json(verify!).ok, true);
});
