import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../core/util/ids';
import { KopilkaError } from '../../core/util/errors';
import { createProvisioningCode } from '../../server/auth';
import { publishProgram } from '../../server/programs';
import { setMemberFlags } from '../../server/members';
import { recomputeEarn } from '../../server/earn';
import { verifyLedger } from '../../backend/db/ledger';
import { seedDemo } from '../../backend/db/seed-demo';
import type { Db } from '../../backend/db/types';
import { createTestStore, dumpDb } from '../../backend/testing/store';
import { commitSale, quoteSale, type SaleRequest } from '../../backend/sales/checkout';
import { expirePoints, saveProgram, loadMemberSnapshot } from '../../backend/loyalty/index';
import { registerTerminal, syncNow, syncStatus, type FetchFn } from '../../backend/sync/client';
import { effectiveBalance, offlineRedeemLimit } from '../../backend/sync/offline';
import { withChainRedemption } from '../../backend/sync/chain-checkout';
import { useLoopbackChainServer } from './support';

/**
 * Issue 7 §6 end to end: one chain server listening on 127.0.0.1 (PostgreSQL when TEST_DATABASE_URL is set,
 * else PGlite) and two tills with real SQLite stores. Earn at A, redeem at B, both converge with
 * the server; offline redemption beyond the pushed allowance is refused and changes nothing.
 */
const chain = useLoopbackChainServer();

// Real HTTP over TCP on 127.0.0.1, the same fetch the CLI and the app use.
const online: FetchFn = (url, init) => globalThis.fetch(url, init);
const offline: FetchFn = async () => {
  throw new Error('connect ECONNREFUSED 127.0.0.1:8787');
};

// No pending period: a point earned is spendable at once, so the arithmetic below is exact.
const PROGRAM = { name: 'chain test', earn: { base: { mode: 'percent', bps: 1000 } }, redeem: { pointValue: 100, maxShareBps: 10_000, minBalance: 1 }, points: { pendingDays: 0, expiryDays: 30 } };

async function till(name: string): Promise<Db> {
  const s = await createTestStore(`kopilka-chain-${name}-`);
  chain.track(s);
  seedDemo(s.db, '2026-01-01T00:00:00Z');
  saveProgram(s.db, PROGRAM, '2000-01-01T00:00:00Z');
  return s.db;
}
async function register(db: Db, shop: string): Promise<void> {
  const code = await createProvisioningCode(chain.srv().db, shop);
  await registerTerminal(db, { server: chain.url(), code: code.code }, { fetchFn: online });
}
/** What the API and CLI do: hold on the server first (when reachable), then the synchronous commit. */
function sell(db: Db, req: SaleRequest, fetchFn: FetchFn) {
  return withChainRedemption(db, () => {
    const q = quoteSale(db, req);
    return { memberId: q.member?.id ?? null, redeemPoints: q.quote.redeemPoints };
  }, () => commitSale(db, req), { fetchFn });
}
async function serverBalance(memberId: string): Promise<{ balance: number; held: number }> {
  const r = await chain.srv().db.query<{ balance: string; held: string }>('SELECT balance, held FROM member_account WHERE member_id = $1', [memberId]);
  return { balance: Number(r.rows[0]!.balance), held: Number(r.rows[0]!.held) };
}

test('earn at till A, redeem at till B: holds, offline allowance, blocked cards, convergence, ledger verify', { timeout: 120_000 }, async () => {
  const a = await till('a');
  const b = await till('b');
  // The chain publishes the same program versions the tills were set up with.
  for (const v of [1, 2]) {
    const body = JSON.parse(a.prepare('SELECT body FROM program WHERE version = ?').pluck().get(v) as string);
    assert.equal((await publishProgram(chain.srv().db, body)).version, v);
  }
  await register(a, 'Shop A');
  await register(b, 'Shop B');

  // A registered till follows the chain's rules: a local edit is refused, nothing written.
  const before = dumpDb(b);
  assert.throws(() => saveProgram(b, PROGRAM, '2000-01-01T00:00:00Z'), (e: unknown) => e instanceof KopilkaError && e.code === 'FORBIDDEN' && /chain server/.test(e.message));
  assert.equal(dumpDb(b), before);

  const m = uuidv7();
  a.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, 'Анна', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(m);
  const earnSale = await sell(a, { items: [{ code: 'CAPPUCCINO', qty: 10 }], member: { id: m } }, online);
  const earned = earnSale.quote.earnPoints;
  assert.ok(earned > 0, 'the sale earned points');

  // The sale event carries the facts the server needs to recompute the earn (§2: earnsPoints per line).
  const saleEvent = earnSale.events.find((e) => e.kind === 'sale')!;
  const line0 = (saleEvent.payload as { lines: Record<string, unknown>[] }).lines[0]!;
  assert.equal(typeof line0.earnsPoints, 'boolean');
  assert.equal(typeof line0.payableWithPoints, 'boolean');
  assert.equal(typeof line0.category, 'string');
  assert.equal(recomputeEarn(saleEvent, new Map([[2, PROGRAM]])), earned, 'the server recomputes the same earn');

  // Expiry belongs to the server on a registered till: far in the future, the till expires nothing.
  assert.ok((a.prepare('SELECT count(*) FROM loyalty_lot WHERE member_id = ? AND expires_at IS NOT NULL').pluck().get(m) as number) > 0);
  assert.deepEqual(expirePoints(a, '2100-01-01T00:00:00Z'), []);

  await syncNow(a, { fetchFn: online });
  const sb = await syncNow(b, { fetchFn: online });
  assert.ok(sb.pulled >= 1);
  assert.deepEqual(syncStatus(b).programConflicts, [], 'the chain versions match the tills');
  assert.equal((await serverBalance(m)).balance, earned, 'no correction: the server agreed with the till');

  // Till B never saw this member's sale, yet spends the chain's balance.
  assert.equal(loadMemberSnapshot(b, m, new Date().toISOString()).balance, earned);
  const spend = Math.min(earned - 1, 150);
  const redeemSale = await sell(b, { items: [{ code: 'CAPPUCCINO', qty: 10 }], member: { id: m }, redeem: { mode: 'points', points: spend } }, online);
  assert.equal(redeemSale.quote.redeemPoints, spend);
  const redeemEvent = redeemSale.events.find((e) => e.kind === 'redeem')!;
  const holdId = (redeemEvent.payload as { holdId?: string }).holdId;
  assert.ok(holdId, 'an online redemption carries the server hold');
  assert.equal((await serverBalance(m)).held, spend, 'the hold reserves the points on the server before the sale is pushed');

  await syncNow(b, { fetchFn: online });
  await syncNow(a, { fetchFn: online });
  await syncNow(b, { fetchFn: online });
  const srvBal = await serverBalance(m);
  const earnedAtB = redeemSale.quote.earnPoints;
  assert.equal(srvBal.held, 0, 'the hold was posted by the redeem event');
  assert.equal(srvBal.balance, earned - spend + earnedAtB);
  assert.equal(effectiveBalance(a, m), srvBal.balance, 'till A converged');
  assert.equal(effectiveBalance(b, m), srvBal.balance, 'till B converged');
  const hold = await chain.srv().db.query<{ status: string }>('SELECT status FROM hold WHERE member_id = $1 AND hold_id = $2', [m, holdId]);
  assert.equal(hold.rows[0]!.status, 'posted');

  // Offline at B: the pushed allowance bounds redemption; above it the sale is refused and nothing changes.
  const limit = offlineRedeemLimit(b, m);
  assert.ok(limit.maxPoints > 0 && limit.maxPoints < srvBal.balance, JSON.stringify(limit));
  const dumpBefore = dumpDb(b);
  await assert.rejects(
    sell(b, { items: [{ code: 'CAPPUCCINO', qty: 10 }], member: { id: m }, redeem: { mode: 'points', points: limit.maxPoints + 1 } }, offline),
    (e: unknown) => e instanceof KopilkaError && e.code === 'INSUFFICIENT_POINTS' && new RegExp(`at most ${limit.maxPoints} points`).test(e.message),
  );
  assert.equal(dumpDb(b), dumpBefore, 'a refused offline redemption writes nothing');
  // Within the allowance the offline sale goes through, without a hold.
  const offlineSale = await sell(b, { items: [{ code: 'CAPPUCCINO', qty: 10 }], member: { id: m }, redeem: { mode: 'points', points: limit.maxPoints } }, offline);
  assert.equal((offlineSale.events.find((e) => e.kind === 'redeem')!.payload as { holdId?: string }).holdId, undefined);
  assert.equal(offlineRedeemLimit(b, m).maxPoints, 0, 'the allowance is used up until the next pull');

  await syncNow(b, { fetchFn: online });
  await syncNow(a, { fetchFn: online });
  const final = await serverBalance(m);
  assert.equal(effectiveBalance(a, m), final.balance);
  assert.equal(effectiveBalance(b, m), final.balance);
  assert.equal(verifyLedger(a).ok, true);
  assert.equal(verifyLedger(b).ok, true);

  // A member who joined at B a minute ago (not pushed yet) can redeem online: B pushes first, then holds.
  const fresh = uuidv7();
  b.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, 'Вера', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(fresh);
  const freshEarn = await sell(b, { items: [{ code: 'CAPPUCCINO', qty: 10 }], member: { id: fresh } }, online);
  const freshRedeem = await sell(b, { items: [{ code: 'CAPPUCCINO', qty: 1 }], member: { id: fresh }, redeem: { mode: 'points', points: 1 } }, online);
  assert.ok((freshRedeem.events.find((e) => e.kind === 'redeem')!.payload as { holdId?: string }).holdId);
  await syncNow(b, { fetchFn: online });
  assert.equal((await serverBalance(fresh)).balance, freshEarn.quote.earnPoints - 1 + freshRedeem.quote.earnPoints);
  assert.equal(verifyLedger(b).ok, true);

  // A card the chain blocked is refused at the next sale on any till.
  await setMemberFlags(chain.srv().db, m, { blocked: true });
  await syncNow(b, { fetchFn: online });
  const blockedBefore = dumpDb(b);
  await assert.rejects(
    sell(b, { items: [{ code: 'CAPPUCCINO', qty: 1 }], member: { id: m } }, online),
    (e: unknown) => e instanceof KopilkaError && e.code === 'FORBIDDEN' && /blocked/.test(e.message),
  );
  assert.equal(dumpDb(b), blockedBefore);
});

test('a stand-alone till is unchanged: local balance, local expiry, local rules', async () => {
  const s = await till('solo');
  const m = uuidv7();
  s.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, 'Борис', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(m);
  const sale = await sell(s, { items: [{ code: 'CAPPUCCINO', qty: 10 }], member: { id: m } }, offline);
  assert.ok(sale.quote.earnPoints > 0);
  // Redemption works without any chain server (the offline fetch would refuse a chain till).
  const r = await sell(s, { items: [{ code: 'CAPPUCCINO', qty: 1 }], member: { id: m }, redeem: { mode: 'points', points: 1 } }, offline);
  assert.equal(r.quote.redeemPoints, 1);
  assert.ok(expirePoints(s, '2100-01-01T00:00:00Z').length > 0, 'the till expires its own points');
  assert.equal(saveProgram(s, PROGRAM, '2000-01-01T00:00:00Z'), 3);

  // Registering later: a chain version whose number this till already used for other rules is reported, not silently mixed.
  const chainV3 = { ...PROGRAM, earn: { base: { mode: 'percent', bps: 700 } } };
  const published = await publishProgram(chain.srv().db, chainV3);
  await register(s, 'Solo shop');
  await syncNow(s, { fetchFn: online });
  assert.deepEqual(syncStatus(s).programConflicts, [published.version]);
  // Its own sales keep naming the local version; the local rules stay active and a new local edit is refused.
  assert.throws(() => saveProgram(s, PROGRAM, '2000-01-01T00:00:00Z'), /chain server/);
});
