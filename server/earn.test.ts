import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseProgram } from '../core/loyalty/program';
import { quote, type CartLine, type MemberSnapshot } from '../core/loyalty/quote';
import { parseEarnContext, recomputeEarn } from './earn';

/**
 * The server's earn check must reach the till's figure from what the sale recorded, including the
 * member facts the rate depended on (tier level, uses of a limited campaign); otherwise every
 * Silver member's sale would be "corrected" down to the Bronze rate.
 */
const PROGRAM_JSON = JSON.parse(readFileSync(new URL('../resources/programs/demo-cafe.json', import.meta.url), 'utf8')) as unknown;
const program = parseProgram(PROGRAM_JSON);
const programs = new Map([[7, PROGRAM_JSON]]);
const lines: CartLine[] = [
  { lineNo: 1, productId: 'p1', sku: 'LATTE', name: 'Латте', category: 'Кофе', qty: 2, unitPrice: 21000, earnsPoints: true, payableWithPoints: true },
  { lineNo: 2, productId: 'p2', sku: 'SYRNIKI', name: 'Сырники', category: 'Завтраки', qty: 1, unitPrice: 29000, earnsPoints: true, payableWithPoints: true },
];

function tillSale(member: MemberSnapshot, at: string) {
  const q = quote({ program, programVersion: 7, lines, member, redeem: { mode: 'none' }, at });
  const payload = {
    lines: lines.map((l) => ({ lineNo: l.lineNo, productId: l.productId, sku: l.sku, category: l.category, qty: l.qty, unitPrice: l.unitPrice, earnsPoints: l.earnsPoints, payableWithPoints: l.payableWithPoints })),
    redeemPoints: 0,
    earnContext: { tierLevelId: q.tier?.levelId ?? null, campaignUses: member.campaignUses ?? {} },
  };
  return { earned: q.earnPoints, event: { payload, programVersion: 7, occurredAt: at, memberId: member.id } };
}

test('a Silver member: the server recomputes the Silver rate the till used, not the base one', () => {
  const silver: MemberSnapshot = { id: 'm1', balance: 0, tier: { levelId: 'silver', reviewAt: '2026-12-01T00:00:00+03:00' }, windowSpend: 2_000_000 };
  const { earned, event } = tillSale(silver, '2026-03-03T12:00:00+03:00');
  assert.equal(recomputeEarn(event, programs), earned);
  const withoutContext = { ...event, payload: { ...event.payload, earnContext: undefined } };
  assert.ok(recomputeEarn(withoutContext, programs)! < earned, 'without the recorded level the check would claw back the Silver extra');
});

test('a campaign the member has used up: the server does not grant it again', () => {
  const usedUp: MemberSnapshot = { id: 'm2', balance: 0, campaignUses: { breakfast: 20 } };
  const fresh: MemberSnapshot = { id: 'm3', balance: 0 };
  const morning = '2026-03-04T08:30:00+03:00';
  const a = tillSale(usedUp, morning);
  const b = tillSale(fresh, morning);
  assert.equal(b.earned - a.earned, 20, 'the breakfast +20 applies only while under its per-member limit');
  assert.equal(recomputeEarn(a.event, programs), a.earned);
  assert.equal(recomputeEarn(b.event, programs), b.earned);
});

test('a malformed earn context is ignored: the recompute falls back to the facts every sale has', () => {
  for (const bad of [null, 'gold', 42, [], { tierLevelId: 5 }, { tierLevelId: 'x'.repeat(65) }, { campaignUses: [1, 2] }, { campaignUses: { breakfast: -1, happy: 1.5 } }]) {
    const ctx = parseEarnContext(bad);
    assert.equal(ctx.tier, undefined, JSON.stringify(bad));
    assert.deepEqual(Object.values(ctx.campaignUses ?? {}), [], JSON.stringify(bad));
  }
  // A level the program does not have counts as the entry level (evaluateTier starts afresh).
  const { event } = tillSale({ id: 'm4', balance: 0 }, '2026-03-03T12:00:00+03:00');
  const bronze = recomputeEarn(event, programs);
  assert.equal(recomputeEarn({ ...event, payload: { ...event.payload, earnContext: { tierLevelId: 'platinum' } } }, programs), bronze);
});
