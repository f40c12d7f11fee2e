import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { createTestStore } from '../testing/store';
import { seedMember, seedTestCatalog, useProgram } from '../testing/fixtures';
import { verifyLedger } from '../db/ledger';
import { setSetting } from '../db/settings';
import { KopilkaError } from '../../core/util/errors';
import { commitSale } from './checkout';
import { refundSale } from './refund';

/**
 * Random shop days: sales with random carts, members, redemptions and payments, interleaved
 * with random (partial, repeated, excessive) refunds. Business refusals are fine; after every
 * day the ledger invariants must hold.
 */
const AT = '2026-03-02T12:00:00+03:00';
const SKUS = ['A', 'C', 'D', 'BEER'];

const saleOp = fc.record({
  t: fc.constant('sale' as const),
  items: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), qty: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 4 }),
  member: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  redeem: fc.oneof(fc.constant({ mode: 'none' as const }), fc.constant({ mode: 'max' as const }), fc.integer({ min: 0, max: 400 }).map((points) => ({ mode: 'points' as const, points }))),
  pay: fc.constantFrom('cash', 'card', 'mixed'),
});
const refundOp = fc.record({
  t: fc.constant('refund' as const),
  sale: fc.nat(),
  lines: fc.option(fc.array(fc.record({ lineNo: fc.integer({ min: 1, max: 4 }), qty: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
});
const day = fc.record({
  balances: fc.tuple(fc.nat({ max: 500 }), fc.nat({ max: 500 }), fc.nat({ max: 500 })),
  debt: fc.constantFrom('allow', 'refuse'),
  ops: fc.array(fc.oneof({ weight: 3, arbitrary: saleOp }, { weight: 2, arbitrary: refundOp }), { minLength: 1, maxLength: 25 }),
});

test('ledger invariants hold over random sales and refunds', async () => {
  await fc.assert(
    fc.asyncProperty(day, async ({ balances, debt, ops }) => {
      const s = await createTestStore();
      try {
        seedTestCatalog(s.db);
        useProgram(s.db, { name: 'P', earn: { base: { mode: 'percent', bps: 700 } }, redeem: { pointValue: 100, maxShareBps: 5000 } });
        setSetting(s.db, 'loyalty.refundDebt', debt);
        const members = balances.map((b) => seedMember(s.db, b));
        const sales: string[] = [];
        for (const op of ops) {
          try {
            if (op.t === 'sale') {
              const c = commitSale(s.db, {
                items: op.items.map((i) => ({ code: i.sku, qty: i.qty })),
                member: op.member === null ? null : { card: members[op.member]!.card },
                redeem: op.member === null ? { mode: 'none' } : op.redeem,
                payment: op.pay === 'mixed' ? { method: 'mixed', cash: 100 } : { method: op.pay as 'cash' | 'card' },
                at: AT,
              });
              sales.push(c.saleId);
            } else if (sales.length > 0) {
              refundSale(s.db, { sale: sales[op.sale % sales.length]!, ...(op.lines ? { lines: op.lines } : {}), at: AT });
            }
          } catch (e) {
            if (!(e instanceof KopilkaError) || e.code === 'INTERNAL') throw e;
          }
        }
        // Chain verifies, seqs gap-free, cache == Σ delta (verifyLedger checks all three).
        const v = verifyLedger(s.db);
        assert.equal(v.ok, true, JSON.stringify(v.problem));
        const seqs = s.db.prepare('SELECT seq FROM ledger_event ORDER BY seq').pluck().all() as number[];
        assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
        assert.equal(s.db.prepare('SELECT count(*) FROM outbox').pluck().get(), seqs.length, 'an outbox row per event');
        // Refunds never exceed the sale, per line and in money and points.
        const over = s.db.prepare(`SELECT count(*) FROM sale_line l WHERE l.qty < (SELECT coalesce(sum(qty),0) FROM refund_line r WHERE r.sale_id = l.sale_id AND r.line_no = l.line_no)`).pluck().get();
        assert.equal(over, 0);
        const moneyOver = s.db.prepare(`SELECT count(*) FROM sale s WHERE s.to_pay < (SELECT coalesce(sum(amount),0) FROM refund r WHERE r.sale_id = s.id)`).pluck().get();
        assert.equal(moneyOver, 0);
        const pointsOver = s.db.prepare(`SELECT count(*) FROM sale s WHERE s.earn_points < (SELECT coalesce(sum(points_clawed),0) FROM refund r WHERE r.sale_id = s.id) OR s.redeem_points < (SELECT coalesce(sum(points_restored),0) FROM refund r WHERE r.sale_id = s.id)`).pluck().get();
        assert.equal(pointsOver, 0);
        if (debt === 'refuse') {
          // Refunds never push a balance below zero (sales can't either: redemption ≤ balance).
          const neg = s.db.prepare('SELECT count(*) FROM member_balance WHERE balance < 0').pluck().get();
          assert.equal(neg, 0);
        }
      } finally {
        s.cleanup();
      }
    }),
    { numRuns: 30, seed: 20260301 },
  );
});

test('any tampered ledger row is detected by verify at that row', async () => {
  const s = await createTestStore();
  try {
    seedTestCatalog(s.db);
    const members = [seedMember(s.db, 300), seedMember(s.db, 0)];
    for (let i = 0; i < 8; i++) {
      const c = commitSale(s.db, { items: [{ code: 'A', qty: 1 + (i % 3) }], member: { card: members[i % 2]!.card }, redeem: { mode: i % 2 ? 'none' : 'max' }, payment: { method: 'card' }, at: AT });
      if (i % 3 === 0) refundSale(s.db, { sale: c.saleId, lines: [{ lineNo: 1, qty: 1 }], at: AT });
    }
    assert.equal(verifyLedger(s.db).ok, true);
    const n = s.db.prepare('SELECT count(*) FROM ledger_event').pluck().get() as number;
    s.db.close();
    const columns = ['delta', 'kind', 'member_id', 'occurred_at', 'payload', 'sale_id', 'ref_event_id', 'program_version', 'id', 'terminal_id'] as const;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: n }), fc.constantFrom(...columns), async (seq, col) => {
        const raw = new Database(s.path);
        try {
          raw.pragma('foreign_keys = OFF'); // a forger is not bound by constraints
          raw.exec('BEGIN');
          raw.exec('DROP TRIGGER ledger_event_no_update');
          const value: Record<(typeof columns)[number], string> = {
            delta: 'delta + 1',
            kind: "CASE kind WHEN 'bonus' THEN 'adjust' ELSE 'bonus' END",
            member_id: "coalesce(member_id, '') || 'x'",
            occurred_at: "'2026-03-02T12:00:01+03:00'",
            payload: `'{"forged":1}'`,
            sale_id: "coalesce(sale_id, '') || 'x'",
            ref_event_id: "coalesce(ref_event_id, '') || 'x'",
            program_version: 'coalesce(program_version, 0) + 1',
            id: "id || 'x'",
            terminal_id: "terminal_id || 'x'",
          };
          raw.prepare(`UPDATE ledger_event SET ${col} = ${value[col]} WHERE seq = ?`).run(seq);
          const r = verifyLedger(raw);
          assert.equal(r.ok, false);
          assert.equal(r.problem?.seq, seq, `tampered ${col} at ${seq}, reported ${JSON.stringify(r.problem)}`);
          assert.equal(r.problem?.code, 'hash_mismatch');
        } finally {
          raw.exec('ROLLBACK');
          raw.close();
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  } finally {
    s.cleanup();
  }
});
