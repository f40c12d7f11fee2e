import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateTier } from '../../core/loyalty/tiers';
import { parseProgram } from '../../core/loyalty/program';
import { uuidv7 } from '../../core/util/ids';
import { createProvisioningCode } from '../../server/auth';
import { publishProgram } from '../../server/programs';
import { seedDemo } from '../../backend/db/seed-demo';
import type { Db } from '../../backend/db/types';
import { createTestStore, dumpDb } from '../../backend/testing/store';
import { commitSale, type SaleRequest } from '../../backend/sales/checkout';
import { refundSale } from '../../backend/sales/refund';
import { loadMemberSnapshot, saveProgram } from '../../backend/loyalty/index';
import { registerTerminal, syncNow, type FetchFn } from '../../backend/sync/client';
import { chainSpendable } from '../../backend/sync/chain-checkout';
import { withChainLoyalty } from '../../backend/sync/chain-loyalty';
import { offlineRedeemLimit } from '../../backend/sync/offline';
import { useLoopbackChainServer } from './support';

/**
 * Chain-wide stamps, tier and pending points on two real tills and one chain server over TCP
 * (PostgreSQL when TEST_DATABASE_URL is set, else PGlite). The till-side figures are read through
 * `withChainLoyalty` (the overlay checkout will call) and `chainSpendable` / `offlineRedeemLimit`.
 */
const chain = useLoopbackChainServer();
const online: FetchFn = (url, init) => globalThis.fetch(url, init);

const PROGRAM = {
  name: 'chain loyalty',
  timezone: 'UTC',
  earn: { base: { mode: 'percent', bps: 1000 } },
  redeem: { pointValue: 100, maxShareBps: 10_000 },
  tiers: { basis: 'rolling', windowDays: 365, periodDays: 365, graceDays: 30, levels: [{ id: 'bronze', name: 'Bronze', threshold: 0 }, { id: 'silver', name: 'Silver', threshold: 100_000 }] },
  stamps: [{ id: 'coffee', name: 'Кофе', scope: { products: [], categories: ['Кофе'] }, goal: 10, reward: { kind: 'free_item' } }],
  points: { pendingDays: 7 },
};
const program = parseProgram(PROGRAM);
const DAY = 86_400_000;

let published = false;
async function tills(): Promise<{ a: Db; b: Db }> {
  const make = async (name: string) => {
    const s = chain.track(await createTestStore(`kopilka-chain-loyalty-${name}-`));
    seedDemo(s.db, '2026-01-01T00:00:00Z');
    saveProgram(s.db, PROGRAM, '2000-01-01T00:00:00Z');
    return s.db;
  };
  const a = await make('a');
  const b = await make('b');
  if (!published) {
    // The chain publishes the versions the tills were set up with, under the same numbers.
    const versions = a.prepare('SELECT version, body FROM program ORDER BY version').all() as { version: number; body: string }[];
    for (const v of versions) assert.equal((await publishProgram(chain.srv().db, JSON.parse(v.body))).version, v.version);
    published = true;
  }
  for (const [db, shop] of [[a, `A ${uuidv7()}`], [b, `B ${uuidv7()}`]] as const) {
    const code = await createProvisioningCode(chain.srv().db, shop);
    await registerTerminal(db, { server: chain.url(), code: code.code }, { fetchFn: online });
  }
  return { a, b };
}

function member(db: Db, id: string): void {
  db.prepare("INSERT OR IGNORE INTO member (id, name, created_at, updated_at) VALUES (?, 'Анна', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(id);
}
const sell = (db: Db, req: SaleRequest) => commitSale(db, req);
const sync = (db: Db) => syncNow(db, { fetchFn: online });
const chainView = (db: Db, m: string, at = new Date().toISOString()) => withChainLoyalty(db, loadMemberSnapshot(db, m, at), at, program);

test('stamps collected at till A and at till B add up on both tills, before and after sync, never twice; a refund takes them off', { timeout: 120_000 }, async () => {
  const { a, b } = await tills();
  const m = uuidv7();
  member(a, m);
  sell(a, { items: [{ code: 'LATTE', qty: 3 }], member: { id: m } });
  await sync(a);
  await sync(b);
  assert.equal(chainView(b, m).stamps?.coffee?.count, 3, 'B sees the stamps collected at A');
  const atB = sell(b, { items: [{ code: 'CAPPUCCINO', qty: 4 }], member: { id: m } });
  // Before B pushes: the chain's 3 (as of B's pull) + B's own 4 since.
  assert.equal(chainView(b, m).stamps?.coffee?.count, 7);
  // A refund at B of 1 of those coffees takes its stamp off here at once, and chain-wide after sync.
  refundSale(b, { sale: atB.saleId, lines: [{ lineNo: 1, qty: 1 }] });
  assert.equal(chainView(b, m).stamps?.coffee?.count, 6);
  await sync(b);
  await sync(a);
  await sync(b);
  // After the round trip B's sale and refund are in the chain's figure, so they are not applied again.
  assert.equal(chainView(a, m).stamps?.coffee?.count, 6);
  assert.equal(chainView(b, m).stamps?.coffee?.count, 6);
  const snap = b.prepare('SELECT stamps, loyalty FROM sync_member_snapshot WHERE member_id = ?').get(m) as { stamps: number; loyalty: string };
  assert.equal(snap.stamps, 6);
  assert.equal((JSON.parse(snap.loyalty) as { stamps: Record<string, { count: number }> }).stamps.coffee!.count, 6);
});

test('a tier reached by spend split across two tills', { timeout: 120_000 }, async () => {
  const { a, b } = await tills();
  const m = uuidv7();
  member(a, m);
  sell(a, { items: [{ code: 'LATTE', qty: 3 }], member: { id: m } }); // 630 ₽
  await sync(a);
  await sync(b);
  const at = new Date().toISOString();
  const before = chainView(b, m, at);
  assert.equal(before.windowSpend, 63_000);
  assert.equal(before.tier?.levelId, 'bronze');
  sell(b, { items: [{ code: 'LATTE', qty: 2 }], member: { id: m } }); // 420 ₽ → 1 050 ₽ in the chain
  const mid = chainView(b, m);
  assert.equal(mid.windowSpend, 105_000, "B adds its own sale to the chain's spend before pushing it");
  assert.equal(evaluateTier(program.tiers!, mid.tier, mid.windowSpend!, new Date().toISOString(), 'UTC').level.id, 'silver', 'the next quote at B upgrades at once');
  await sync(b);
  await sync(a);
  for (const db of [a, b]) {
    const v = chainView(db, m);
    assert.equal(v.windowSpend, 105_000);
    assert.equal(v.tier?.levelId, 'silver', 'the chain stored the upgrade');
  }
});

test('points earned at A stay pending at B until the pending period passes (time injected)', { timeout: 120_000 }, async () => {
  const { a, b } = await tills();
  const m = uuidv7();
  member(a, m);
  const s = sell(a, { items: [{ code: 'LATTE', qty: 10 }], member: { id: m } });
  const earned = s.quote.earnPoints;
  assert.ok(earned > 0);
  await sync(a);
  await sync(b);
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const row = b.prepare('SELECT balance, pending, offline_allowance FROM sync_member_snapshot WHERE member_id = ?').get(m) as { balance: number; pending: number; offline_allowance: number };
  assert.deepEqual(row, { balance: earned, pending: earned, offline_allowance: 0 });
  // At B: nothing spendable now (quote path and offline path), all of it after 7 days.
  assert.equal(chainSpendable(b, m, 0, iso(now)), 0);
  assert.equal(loadMemberSnapshot(b, m, iso(now)).balance, 0);
  assert.equal(chainView(b, m, iso(now)).pending, earned, 'the chain view shows them as pending');
  const lim = offlineRedeemLimit(b, m, now);
  assert.equal(lim.maxPoints, 0);
  assert.equal(chainSpendable(b, m, 0, iso(now + 6 * DAY)), 0);
  assert.equal(chainSpendable(b, m, 0, iso(now + 7 * DAY + 60_000)), earned);
  // At A the points are its own pending lot: subtracted once, not twice.
  assert.equal(chainSpendable(a, m, earned, iso(now)), 0);
  assert.equal(chainSpendable(a, m, 0, iso(now + 8 * DAY)), earned);
  // Redeeming at B now is quoted at zero and an explicit request is refused offline, nothing written.
  const dump = dumpDb(b);
  assert.throws(() => sell(b, { items: [{ code: 'LATTE', qty: 1 }], member: { id: m }, redeem: { mode: 'points', points: 10 } }));
  assert.equal(dumpDb(b), dump);
});
