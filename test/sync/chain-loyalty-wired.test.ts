import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../core/util/ids';
import { createProvisioningCode } from '../../server/auth';
import { publishProgram } from '../../server/programs';
import { seedDemo } from '../../backend/db/seed-demo';
import type { Db } from '../../backend/db/types';
import { createTestStore } from '../../backend/testing/store';
import { commitSale, quoteSale } from '../../backend/sales/checkout';
import { saveProgram } from '../../backend/loyalty/index';
import { registerTerminal, syncNow, type FetchFn } from '../../backend/sync/client';
import { useLoopbackChainServer } from './support';

/**
 * NEEDS THE WIRING in backend/loyalty/snapshot.ts (loadMemberSnapshot returns
 * `withChainLoyalty(db, {...}, atIso, program)` and passes `atIso` to chainSpendable): checkout
 * itself quotes with the chain's stamp card, tier and pending points.
 */
const chain = useLoopbackChainServer();
const online: FetchFn = (url, init) => globalThis.fetch(url, init);
const PROGRAM = {
  name: 'chain loyalty wired',
  timezone: 'UTC',
  earn: { base: { mode: 'percent', bps: 1000 } },
  redeem: { pointValue: 100, maxShareBps: 10_000 },
  tiers: { basis: 'rolling', windowDays: 365, periodDays: 365, graceDays: 30, levels: [{ id: 'bronze', name: 'Bronze', threshold: 0 }, { id: 'silver', name: 'Silver', threshold: 100_000, discountBps: 1000 }], kind: 'discount' },
  stamps: [{ id: 'coffee', name: 'Кофе', scope: { products: [], categories: ['Кофе'] }, goal: 10, reward: { kind: 'free_item' } }],
  points: { pendingDays: 7 },
};

async function tills(): Promise<{ a: Db; b: Db }> {
  const make = async (name: string) => {
    const s = chain.track(await createTestStore(`kopilka-chain-wired-${name}-`));
    seedDemo(s.db, '2026-01-01T00:00:00Z');
    saveProgram(s.db, PROGRAM, '2000-01-01T00:00:00Z');
    return s.db;
  };
  const a = await make('a');
  const b = await make('b');
  for (const v of a.prepare('SELECT version, body FROM program ORDER BY version').all() as { version: number; body: string }[]) {
    assert.equal((await publishProgram(chain.srv().db, JSON.parse(v.body))).version, v.version);
  }
  for (const [db, shop] of [[a, 'A'], [b, 'B']] as const) {
    const code = await createProvisioningCode(chain.srv().db, shop);
    await registerTerminal(db, { server: chain.url(), code: code.code }, { fetchFn: online });
  }
  return { a, b };
}

test('checkout at B quotes with the chain: the stamp reward earned across tills, the tier from split spend, pending points not redeemable', { timeout: 120_000 }, async () => {
  const { a, b } = await tills();
  const m = uuidv7();
  a.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, 'Анна', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(m);
  const first = commitSale(a, { items: [{ code: 'LATTE', qty: 9 }], member: { id: m } }); // 9 stamps, 1 890 ₽ (silver from the next sale)
  await syncNow(a, { fetchFn: online });
  await syncNow(b, { fetchFn: online });
  const q = quoteSale(b, { items: [{ code: 'LATTE', qty: 2 }], member: { id: m }, redeem: { mode: 'max' } }).quote;
  const card = q.stamps.find((s) => s.cardId === 'coffee')!;
  assert.equal(card.added, 1, 'the 10th stamp');
  assert.equal(card.rewards, 1, 'the 11th coffee is free at B');
  assert.equal(q.tier?.levelId, 'silver', "A's spend counts at B");
  assert.equal(q.redeemPoints, 0, `the ${first.quote.earnPoints} points earned at A are still pending`);
});
