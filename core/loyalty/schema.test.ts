import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_PROGRAM, checkProgram, programJsonSchema } from './program';

const DOC = new URL('../../docs/program.schema.json', import.meta.url);

test('docs/program.schema.json is the current JSON Schema of a program (regenerate: npx kopilka rules schema > docs/program.schema.json)', () => {
  assert.deepEqual(JSON.parse(readFileSync(DOC, 'utf8')), JSON.parse(JSON.stringify(programJsonSchema())));
});

test('every example program in resources/programs is valid, and so is the default', () => {
  const dir = new URL('../../resources/programs/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 9);
  for (const f of files) {
    const r = checkProgram(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
    assert.ok(r.ok, `${f}: ${r.ok ? '' : r.problems.join('; ')}`);
  }
  assert.ok(checkProgram(JSON.parse(JSON.stringify(DEFAULT_PROGRAM))).ok);
});

test('invalid programs are refused with the field path', () => {
  const bad = (over: Record<string, unknown>) => checkProgram({ name: 'x', earn: { base: { mode: 'percent', bps: 500 } }, redeem: {}, ...over });
  const cases: readonly [Record<string, unknown>, RegExp][] = [
    [{ earn: { base: { mode: 'percent', bps: 20_000 } } }, /earn\.base\.bps/],
    [{ timezone: 'Mars/Olympus' }, /unknown time zone/],
    [{ tiers: { levels: [{ id: 'a', name: 'A', threshold: 100 }] } }, /threshold 0/],
    [{ tiers: { levels: [{ id: 'a', name: 'A', threshold: 0 }, { id: 'b', name: 'B', threshold: 0 }] } }, /grow strictly/],
    [{ campaigns: [{ id: 'c', name: 'C', times: [{ from: '18:00', to: '16:00' }], effect: { kind: 'fixed', points: 1 } }] }, /ends before it starts/],
    [{ campaigns: [{ id: 'c', name: 'C', group: 'nope', effect: { kind: 'fixed', points: 1 } }] }, /stacking group "nope"/],
    [{ stamps: [{ id: 's', name: 'S', scope: {}, goal: 0, reward: { kind: 'free_item' } }] }, /stamps\.0\.goal/],
    [{ rewards: [{ id: 'r', name: 'R', cost: 1, reward: { kind: 'free_item', scope: {} } }, { id: 'r', name: 'R2', cost: 1, reward: { kind: 'free_item', scope: {} } }] }, /reward id "r" is used twice/],
    [{ surprise: true }, /surprise|Unrecognized/],
  ];
  for (const [over, re] of cases) {
    const r = bad(over);
    assert.equal(r.ok, false, JSON.stringify(over));
    if (!r.ok) assert.ok(r.problems.some((p) => re.test(p)), `${JSON.stringify(over)} → ${r.problems.join('; ')}`);
  }
});
