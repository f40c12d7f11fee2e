import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProgram } from './program';
import { evaluateTier, nextLevel } from './tiers';

const tiers = parseProgram({
  name: 't',
  earn: { base: { mode: 'percent', bps: 300 } },
  redeem: {},
  tiers: {
    periodDays: 365,
    graceDays: 30,
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: 0 },
      { id: 'silver', name: 'Silver', threshold: 1_000_000 },
      { id: 'gold', name: 'Gold', threshold: 3_000_000 },
    ],
  },
}).tiers!;
const Z = 'Europe/Moscow';

const rows: readonly [string, { levelId: string; reviewAt: string } | null, number, string, string, string][] = [
  // name, stored, spend, at, expected level, expected change
  ['new member gets what the spend qualifies for', null, 1_200_000, '2026-03-10T12:00:00+03:00', 'silver', 'new'],
  ['upgrade at once, mid-period', { levelId: 'silver', reviewAt: '2026-12-01T00:00:00+03:00' }, 3_100_000, '2026-03-10T12:00:00+03:00', 'gold', 'upgrade'],
  ['no downgrade before the period ends', { levelId: 'gold', reviewAt: '2026-12-01T00:00:00+03:00' }, 100, '2026-03-10T12:00:00+03:00', 'gold', 'same'],
  ['no downgrade during the grace period', { levelId: 'gold', reviewAt: '2026-03-01T00:00:00+03:00' }, 1_500_000, '2026-03-20T12:00:00+03:00', 'gold', 'grace'],
  ['downgrade after period + grace, to what the spend gives', { levelId: 'gold', reviewAt: '2026-03-01T00:00:00+03:00' }, 1_500_000, '2026-04-01T12:00:00+03:00', 'silver', 'downgrade'],
  ['kept level renews for another period', { levelId: 'silver', reviewAt: '2026-03-01T00:00:00+03:00' }, 1_500_000, '2026-03-10T12:00:00+03:00', 'silver', 'renew'],
  ['a level the program dropped is re-evaluated', { levelId: 'platinum', reviewAt: '2027-01-01T00:00:00+03:00' }, 0, '2026-03-10T12:00:00+03:00', 'bronze', 'new'],
];

for (const [name, stored, spend, at, level, change] of rows) {
  test(`tiers: ${name}`, () => {
    const r = evaluateTier(tiers, stored, spend, at, Z);
    assert.equal(r.level.id, level);
    assert.equal(r.change, change);
  });
}

test('tiers: renewal moves the review one period on; upgrades start a new period', () => {
  assert.equal(evaluateTier(tiers, { levelId: 'silver', reviewAt: '2026-03-01T00:00:00+03:00' }, 1_500_000, '2026-03-10T12:00:00+03:00', Z).state.reviewAt, '2027-03-01T00:00:00.000+03:00');
  assert.equal(evaluateTier(tiers, { levelId: 'silver', reviewAt: '2026-12-01T00:00:00+03:00' }, 3_100_000, '2026-03-10T12:00:00+03:00', Z).state.reviewAt, '2027-03-10T12:00:00.000+03:00');
});

test('tiers: progress to the next level', () => {
  assert.deepEqual(nextLevel(tiers, 2_770_000)?.remaining, 230_000);
  assert.equal(nextLevel(tiers, 2_770_000)?.level.name, 'Gold');
  assert.equal(nextLevel(tiers, 3_000_000), null);
});
