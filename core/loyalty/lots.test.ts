import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dueExpiries, replayLots, summarizeLots, type LedgerMove } from './lots';

const mv = (seq: number, kind: string, delta: number, occurredAt: string, extra: Partial<LedgerMove> = {}): LedgerMove => ({ seq, eventId: `e${seq}`, kind, delta, refEventId: null, occurredAt, ...extra });

test('lots: redemption spends the soonest-expiring spendable lot first', () => {
  const r = replayLots([
    mv(1, 'earn', 100, '2026-01-01T10:00:00Z', { expiresAt: '2026-12-31T00:00:00Z' }),
    mv(2, 'bonus', 50, '2026-01-02T10:00:00Z', { expiresAt: '2026-02-01T00:00:00Z' }),
    mv(3, 'earn', 70, '2026-01-03T10:00:00Z'),
    mv(4, 'redeem', -80, '2026-01-10T10:00:00Z'),
  ]);
  assert.deepEqual(r.lots.map((l) => [l.eventId, l.remaining]), [['e1', 70], ['e3', 70]]);
  assert.equal(r.debt, 0);
});

test('lots: pending points are not spendable until their day; a clawback takes its own pending lot', () => {
  const r = replayLots([
    mv(1, 'earn', 100, '2026-01-01T10:00:00Z'),
    mv(2, 'earn', 40, '2026-01-05T10:00:00Z', { availableAt: '2026-01-19T10:00:00Z' }),
    mv(3, 'earn_reversal', -40, '2026-01-06T10:00:00Z', { refEventId: 'e2' }),
  ]);
  assert.deepEqual(summarizeLots(r, '2026-01-07T00:00:00Z'), { available: 100, pending: 0, expired: 0, lots: r.lots });
  const r2 = replayLots([mv(1, 'earn', 100, '2026-01-01T10:00:00Z'), mv(2, 'earn', 40, '2026-01-05T10:00:00Z', { availableAt: '2026-01-19T10:00:00Z' })]);
  const s = summarizeLots(r2, '2026-01-07T00:00:00Z');
  assert.equal(s.available, 100);
  assert.equal(s.pending, 40);
  assert.equal(summarizeLots(r2, '2026-01-20T00:00:00Z').available, 140);
});

test('lots: a clawback on spent points becomes debt, paid off by the next points', () => {
  const r = replayLots([mv(1, 'earn', 100, '2026-01-01T10:00:00Z'), mv(2, 'redeem', -100, '2026-01-02T10:00:00Z'), mv(3, 'earn_reversal', -30, '2026-01-03T10:00:00Z', { refEventId: 'e1' }), mv(4, 'earn', 50, '2026-01-04T10:00:00Z')]);
  assert.equal(r.debt, 0);
  assert.deepEqual(r.lots.map((l) => l.remaining), [20]);
});

test('lots: expired lots stop counting and are due for an expire event; policies are per lot', () => {
  const r = replayLots([mv(1, 'earn', 100, '2025-01-01T10:00:00Z', { expiresAt: '2026-01-01T10:00:00Z' }), mv(2, 'earn', 30, '2025-06-01T10:00:00Z')]);
  const s = summarizeLots(r, '2026-02-01T00:00:00Z');
  assert.equal(s.available, 30);
  assert.equal(s.expired, 100);
  assert.deepEqual(dueExpiries(r, '2026-02-01T00:00:00Z'), [{ eventId: 'e1', points: 100, expiresAt: '2026-01-01T10:00:00Z' }]);
  const after = replayLots([...[mv(1, 'earn', 100, '2025-01-01T10:00:00Z', { expiresAt: '2026-01-01T10:00:00Z' }), mv(2, 'earn', 30, '2025-06-01T10:00:00Z')], mv(3, 'expire', -100, '2026-02-01T00:00:00Z', { refEventId: 'e1' })]);
  assert.deepEqual(dueExpiries(after, '2026-02-01T00:00:00Z'), []);
  assert.equal(summarizeLots(after, '2026-02-01T00:00:00Z').available, 30);
});

test('lots: Σ remaining − debt always equals Σ delta (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ delta: fc.integer({ min: -300, max: 300 }), day: fc.integer({ min: 0, max: 400 }), pend: fc.integer({ min: 0, max: 30 }), exp: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }) }), { maxLength: 40 }), (rows) => {
      const moves = rows.map((r, i) => {
        const at = new Date(Date.UTC(2026, 0, 1) + r.day * 86_400_000).toISOString();
        return mv(i + 1, r.delta >= 0 ? 'earn' : 'redeem', r.delta, at, r.delta > 0 ? { availableAt: new Date(Date.parse(at) + r.pend * 86_400_000).toISOString(), expiresAt: r.exp === null ? null : new Date(Date.parse(at) + r.exp * 86_400_000).toISOString() } : {});
      });
      const rep = replayLots(moves);
      assert.equal(rep.lots.reduce((a, l) => a + l.remaining, 0) - rep.debt, rows.reduce((a, r) => a + r.delta, 0));
      for (const l of rep.lots) assert.ok(l.remaining > 0 && l.remaining <= l.points);
    }),
    { numRuns: 300, seed: 3 },
  );
});
