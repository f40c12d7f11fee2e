import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProgram } from '../core/loyalty/program';
import { foldMemberLoyalty, type LoyaltyFact, type ProgramBook } from './projections';

/** The fold alone (no database): rolling-window spend against a plain recount, over random histories. */
const program = parseProgram({
  name: 'fold', timezone: 'UTC', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000 },
  tiers: { basis: 'rolling', windowDays: 30, periodDays: 90, graceDays: 10, levels: [{ id: 'a', name: 'A', threshold: 0 }, { id: 'b', name: 'B', threshold: 500_000 }] },
  stamps: [{ id: 'c', name: 'C', scope: { products: [], categories: ['coffee'] }, goal: 5, reward: { kind: 'free_item' } }],
});
const book: ProgramBook = { byVersion: new Map([[1, program]]), latest: { version: 1, program } };
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function history(seed: number, n: number): { facts: LoyaltyFact[]; sales: { id: string; at: number; amount: number; refunded: number }[] } {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const facts: LoyaltyFact[] = [];
  const sales: { id: string; at: number; amount: number; refunded: number }[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 4 * DAY);
    const iso = new Date(t).toISOString();
    if (sales.length && rnd() < 0.2) {
      const s = sales[Math.floor(rnd() * sales.length)]!;
      const amount = Math.min(s.amount - s.refunded, 10_000);
      if (amount > 0) {
        s.refunded += amount;
        facts.push({ entryId: `r${i}`, source: 'terminal', kind: 'refund', delta: 0, terminalId: 't', saleId: s.id, refEventId: null, businessAt: iso, programVersion: 1, reason: null, facts: { amount, lines: [{ lineNo: 1, qty: 1, amount }] } });
      }
      continue;
    }
    const qty = 1 + Math.floor(rnd() * 3);
    const unitPrice = 10_000 + Math.floor(rnd() * 20) * 1_000;
    const id = `s${i}`;
    sales.push({ id, at: t, amount: qty * unitPrice, refunded: 0 });
    facts.push({
      entryId: `e${String(i).padStart(6, '0')}`, source: 'terminal', kind: 'sale', delta: 0, terminalId: 't', saleId: id, refEventId: null, businessAt: iso, programVersion: 1, reason: null,
      facts: { total: qty * unitPrice, lines: [{ lineNo: 1, productId: 'p', sku: 'X', category: 'coffee', qty, unitPrice, amount: qty * unitPrice, discount: 0, earnsPoints: true, payableWithPoints: true }] },
    });
  }
  return { facts, sales };
}

test('rolling-window and lifetime spend equal a plain recount; stamps follow the card rule', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const { facts, sales } = history(seed, 300);
    const last = Date.parse(facts[facts.length - 1]!.businessAt);
    for (const now of [last, last + 10 * DAY, last + 40 * DAY]) {
      const l = foldMemberLoyalty('m', facts, book, new Date(now).toISOString());
      const from = now - 30 * DAY;
      const naiveWindow = sales.filter((s) => s.at > from && s.at <= now).reduce((a, s) => a + s.amount - s.refunded, 0);
      assert.equal(l.windowSpend, Math.max(0, naiveWindow), `seed ${seed} at +${(now - last) / DAY}d`);
      assert.equal(l.lifetimeSpend, sales.reduce((a, s) => a + s.amount - s.refunded, 0));
      assert.ok(l.stamps.c!.count >= 0 && l.stamps.c!.count <= 5);
    }
  }
});

test('a long history folds (5 000 sales) and the result does not depend on how often it is folded', () => {
  const { facts } = history(9, 5_000);
  const now = new Date(Date.parse(facts[facts.length - 1]!.businessAt) + DAY).toISOString();
  const a = foldMemberLoyalty('m', facts, book, now);
  const b = foldMemberLoyalty('m', facts, book, now);
  assert.deepEqual(a, b);
  assert.ok(a.tier !== null);
});
