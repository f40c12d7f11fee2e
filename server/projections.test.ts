import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../core/util/ids';
import { setLogSink } from '../core/util/logger';
import type { MemberSnapshotWire, PushResponse } from '../core/sync/protocol';
import { ingestBatch } from './ingest';
import { placeHold } from './holds';
import { publishProgram } from './programs';
import { catchUpProjections } from './projections';
import { memberSnapshot, pullChanges } from './pull';
import { ChainWriter, createTestServerDb, provisionTill, type TestServerDb } from './testing';

/**
 * Chain-wide tier, stamps and pending points (server/projections.ts) over real PostgreSQL
 * (TEST_DATABASE_URL) or PGlite: facts pushed by two tills add up, time is injected.
 */
let t: TestServerDb;
let version = 0;
before(async () => {
  setLogSink(() => {}); // the malformed program's warning is expected
  t = await createTestServerDb();
  version = (await publishProgram(t.db, PROGRAM)).version;
});
after(async () => {
  await t?.cleanup();
});

const PROGRAM = {
  name: 'chain loyalty',
  timezone: 'UTC',
  earn: { base: { mode: 'percent', bps: 1000 } },
  redeem: { pointValue: 100, maxShareBps: 10_000 },
  tiers: { basis: 'rolling', windowDays: 365, periodDays: 365, graceDays: 30, levels: [{ id: 'bronze', name: 'Bronze', threshold: 0 }, { id: 'silver', name: 'Silver', threshold: 100_000 }] },
  stamps: [{ id: 'coffee', name: 'Coffee', scope: { products: [], categories: ['coffee'] }, goal: 10, reward: { kind: 'free_item' } }],
  points: { pendingDays: 7 },
};

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-02T10:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY).toISOString();

async function till(shop: string) {
  const p = await provisionTill(t.db, shop);
  return { ...p, w: new ChainWriter(p.terminalId) };
}
type Till = Awaited<ReturnType<typeof till>> & { pushed: number };

/** A sale as a till's checkout records it: the sale fact with its lines, then the earn (10%). */
function sell(w: ChainWriter, memberId: string, lines: readonly { category: string; qty: number; unitPrice: number }[], occurredAt: string, programVersion: number | null = version) {
  const saleId = uuidv7();
  const total = lines.reduce((a, l) => a + l.qty * l.unitPrice, 0);
  w.add('sale', memberId, 0, {
    saleId, occurredAt, programVersion,
    payload: {
      total, subtotal: total, discount: 0, redeemPoints: 0,
      lines: lines.map((l, i) => ({ lineNo: i + 1, productId: `p-${l.category}`, sku: l.category.toUpperCase(), category: l.category, qty: l.qty, unitPrice: l.unitPrice, amount: l.qty * l.unitPrice, discount: 0, earnsPoints: true, payableWithPoints: true })),
    },
  });
  const earn = Math.floor(total / 10 / 100);
  if (earn > 0) w.add('earn', memberId, earn, { saleId, occurredAt, programVersion });
  return saleId;
}

async function push(p: Till, now: number): Promise<PushResponse> {
  const fresh = p.w.events.filter((e) => e.seq > p.pushed);
  const r = await ingestBatch(t.db, p.terminalId, p.shopId, p.w.batch(fresh, uuidv7(), new Date(now).toISOString()), { now: () => now });
  assert.equal(r.statusCode, 200, JSON.stringify(r.body));
  p.pushed = p.w.seq;
  return r.body as PushResponse;
}

async function pullAll(terminalId: string, now: number, cursor?: string): Promise<{ members: Map<string, MemberSnapshotWire>; cursor: string }> {
  const members = new Map<string, MemberSnapshotWire>();
  let c = cursor;
  for (;;) {
    const page = await pullChanges(t.db, terminalId, c, 500, () => now);
    for (const m of page.members) members.set(m.memberId, m);
    c = page.nextCursor;
    if (!page.hasMore) break;
  }
  return { members, cursor: c! };
}

async function twoTills() {
  const a = Object.assign(await till(`A ${uuidv7()}`), { pushed: 0 });
  const b = Object.assign(await till(`B ${uuidv7()}`), { pushed: 0 });
  return { a, b };
}

describe('chain-wide loyalty projection', () => {
  test('stamps collected at till A and at till B add up, and both tills pull the same card', async () => {
    const { a, b } = await twoTills();
    const m = uuidv7();
    sell(a.w, m, [{ category: 'coffee', qty: 3, unitPrice: 20_000 }], at(0));
    await push(a, T0 + DAY);
    sell(b.w, m, [{ category: 'coffee', qty: 4, unitPrice: 20_000 }, { category: 'cake', qty: 1, unitPrice: 30_000 }], at(1));
    await push(b, T0 + DAY + 1000);
    for (const p of [a, b]) {
      const snap = (await pullAll(p.terminalId, T0 + 2 * DAY)).members.get(m)!;
      assert.equal(snap.stamps, 7);
      assert.deepEqual(snap.loyalty?.stamps, { coffee: { count: 7, lastAt: at(1) } });
    }
  });

  test('a tier reached by spend split across two tills; the sale that crosses upgrades at once', async () => {
    const { a, b } = await twoTills();
    const m = uuidv7();
    sell(a.w, m, [{ category: 'cake', qty: 1, unitPrice: 60_000 }], at(0));
    await push(a, T0 + 1000);
    let snap = (await pullAll(b.terminalId, T0 + 2000)).members.get(m)!;
    assert.equal(snap.tier, 'bronze');
    assert.equal(snap.loyalty?.windowSpend, 60_000);
    sell(b.w, m, [{ category: 'cake', qty: 1, unitPrice: 50_000 }], at(1));
    await push(b, T0 + DAY + 1000);
    snap = (await pullAll(a.terminalId, T0 + DAY + 2000)).members.get(m)!;
    assert.equal(snap.tier, 'silver');
    assert.equal(snap.loyalty?.windowSpend, 110_000);
    assert.equal(snap.loyalty?.tier?.levelId, 'silver');
    assert.equal(Date.parse(snap.loyalty!.tier!.reviewAt), Date.parse(at(1)) + 365 * DAY); // one period from the upgrade
  });

  test('points earned at A stay pending everywhere for pendingDays: reported apart, kept out of the offline allowance', async () => {
    const { a, b } = await twoTills();
    const m = uuidv7();
    sell(a.w, m, [{ category: 'cake', qty: 1, unitPrice: 200_000 }], at(0)); // 200 pts, pending 7 days
    await push(a, T0 + 1000);
    let snap = (await pullAll(b.terminalId, T0 + DAY)).members.get(m)!;
    assert.equal(snap.balance, 200);
    assert.equal(snap.pending, 200);
    assert.equal(snap.offlineAllowance, 0);
    assert.deepEqual(snap.loyalty?.pendingLots, [{ points: 200, availableAt: at(7), terminalId: a.terminalId, fromTill: true }]);
    // One day before and after the pending period ends (server clock injected).
    assert.equal((await memberSnapshot(t.db, m, () => T0 + 6 * DAY)).pending, 200);
    const later = await memberSnapshot(t.db, m, () => T0 + 7 * DAY + 1);
    assert.equal(later.pending, 0);
    assert.equal(later.offlineAllowance, 100); // 50% of 200
    // A recheck when the lot matures moves the member's pull position, so a till's cursor delivers it.
    const { cursor } = await pullAll(b.terminalId, T0 + DAY);
    const before = await pullAll(b.terminalId, T0 + DAY, cursor);
    assert.equal(before.members.has(m), false);
    await catchUpProjections(t.db, { now: () => T0 + 8 * DAY });
    const after = await pullAll(b.terminalId, T0 + 8 * DAY, cursor);
    assert.equal(after.members.get(m)?.pending, 0);
    assert.deepEqual(after.members.get(m)?.loyalty?.pendingLots, []);
  });

  test('an online hold never takes points still pending: refused (nothing changed) until the period ends', async () => {
    const { a, b } = await twoTills();
    const m = uuidv7();
    sell(a.w, m, [{ category: 'cake', qty: 1, unitPrice: 200_000 }], at(0)); // 200 pts, pending 7 days
    await push(a, T0 + 1000);
    const before = await t.dump();
    await assert.rejects(
      placeHold(t.db, b.terminalId, { holdId: uuidv7(), memberId: m, points: 50 }, () => T0 + DAY),
      (e: Error & { code?: string }) => e.code === 'INSUFFICIENT_POINTS' && /Only 0 points .*200 more are still pending/.test(e.message),
    );
    assert.equal(await t.dump(), before, 'a refused hold writes nothing');
    const h = await placeHold(t.db, b.terminalId, { holdId: uuidv7(), memberId: m, points: 50 }, () => T0 + 7 * DAY + 1);
    assert.equal(h.status, 'pending');
    assert.equal(h.available, 150);
  });

  test('a refund takes its sale out of the tier spend and its stamps off the card', async () => {
    const { a } = await twoTills();
    const m = uuidv7();
    const saleId = sell(a.w, m, [{ category: 'coffee', qty: 5, unitPrice: 30_000 }], at(0));
    a.w.add('refund', m, 0, { saleId, occurredAt: at(1), payload: { amount: 60_000, lines: [{ lineNo: 1, qty: 2, amount: 60_000 }] } });
    await push(a, T0 + 2 * DAY);
    const snap = (await pullAll(a.terminalId, T0 + 2 * DAY)).members.get(m)!;
    assert.equal(snap.loyalty?.stamps.coffee?.count, 3);
    assert.equal(snap.loyalty?.windowSpend, 90_000);
  });

  test('re-projection is idempotent: running again, or from a reset cursor, changes nothing and moves no position', async () => {
    const { a, b } = await twoTills();
    const m = uuidv7();
    sell(a.w, m, [{ category: 'coffee', qty: 2, unitPrice: 20_000 }], at(0));
    sell(b.w, m, [{ category: 'coffee', qty: 2, unitPrice: 20_000 }], at(0.5));
    await push(a, T0 + DAY);
    await push(b, T0 + DAY);
    const now = () => T0 + DAY;
    await catchUpProjections(t.db, { now });
    const dump1 = await t.dump();
    await catchUpProjections(t.db, { now });
    assert.equal(await t.dump(), dump1);
    // A projector that crashed before moving its cursor re-reads the same events: same rows.
    await t.db.query('UPDATE projection_cursor SET seq = 0 WHERE terminal_id = $1', [a.terminalId]);
    await catchUpProjections(t.db, { now });
    assert.equal(await t.dump(), dump1);
  });

  test('projectors and pulls running at once neither wait on each other forever nor disagree', async () => {
    const { a, b } = await twoTills();
    const members = Array.from({ length: 12 }, () => uuidv7());
    members.forEach((m, i) => sell((i % 2 ? a : b).w, m, [{ category: 'coffee', qty: 1 + (i % 3), unitPrice: 20_000 }], at(i / 10)));
    await Promise.all([push(a, T0 + DAY), push(b, T0 + DAY)]);
    const now = () => T0 + DAY;
    await Promise.all([
      catchUpProjections(t.db, { now, chunkEvents: 3 }),
      catchUpProjections(t.db, { now, chunkEvents: 5 }),
      pullAll(a.terminalId, T0 + DAY),
      pullAll(b.terminalId, T0 + DAY),
    ]);
    await catchUpProjections(t.db, { now });
    const once = await t.dump();
    await t.db.query('DELETE FROM member_loyalty WHERE member_id IN (SELECT jsonb_array_elements_text($1::jsonb))', [JSON.stringify(members)]);
    await t.db.query('UPDATE projection_cursor SET seq = 0 WHERE terminal_id IN ($1, $2)', [a.terminalId, b.terminalId]);
    await catchUpProjections(t.db, { now });
    assert.equal(await t.dump(), once);
    const snap = (await pullAll(a.terminalId, T0 + DAY)).members;
    members.forEach((m, i) => assert.equal(snap.get(m)?.loyalty?.stamps.coffee?.count, 1 + (i % 3)));
  });

  test('unknown, malformed and old program versions: facts still count with the newest readable program', async () => {
    const { a } = await twoTills();
    const m = uuidv7();
    // A version stored by an older server that no longer parses, and a sale naming a version the server never had.
    await t.db.query(`INSERT INTO program_version (version, program) VALUES (1000, '{"name": 5, "earn": "garbage"}'::jsonb)`);
    sell(a.w, m, [{ category: 'coffee', qty: 2, unitPrice: 20_000 }], at(0), 999);
    sell(a.w, m, [{ category: 'coffee', qty: 1, unitPrice: 20_000 }], at(0.1), 1000);
    // A sale without line facts (an old till): counts for spend, adds no stamps.
    a.w.add('sale', m, 0, { saleId: uuidv7(), occurredAt: at(0.2), programVersion: version, payload: { total: 10_000 } });
    await push(a, T0 + DAY);
    const snap = (await pullAll(a.terminalId, T0 + DAY)).members.get(m)!;
    assert.equal(snap.loyalty?.stamps.coffee?.count, 3);
    assert.equal(snap.loyalty?.windowSpend, 70_000);
    assert.equal(snap.loyalty?.programVersion, version);
    await t.db.query('DELETE FROM program_version WHERE version = 1000');
  });

  test('a level reviewed at period end drops only after the grace period; the recheck moves the pull position', async () => {
    const { a } = await twoTills();
    const m = uuidv7();
    sell(a.w, m, [{ category: 'cake', qty: 1, unitPrice: 110_000 }], at(0));
    await push(a, T0 + 1000);
    const first = await pullAll(a.terminalId, T0 + 2000);
    assert.equal(first.members.get(m)?.tier, 'silver');
    // The sale leaves the window at day 365; the review is due then, the downgrade after 30 days of grace.
    await catchUpProjections(t.db, { now: () => T0 + 370 * DAY });
    const inGrace = await pullAll(a.terminalId, T0 + 370 * DAY, first.cursor);
    assert.equal(inGrace.members.get(m)?.tier ?? 'silver', 'silver');
    await catchUpProjections(t.db, { now: () => T0 + 396 * DAY });
    const after = await pullAll(a.terminalId, T0 + 396 * DAY, inGrace.cursor);
    assert.equal(after.members.get(m)?.tier, 'bronze');
    assert.equal(after.members.get(m)?.loyalty?.windowSpend, 0);
  });

  test('a new program version is swept over every member; only members whose figures change are sent again', async () => {
    const { a } = await twoTills();
    const m = uuidv7();
    const other = uuidv7();
    sell(a.w, m, [{ category: 'cake', qty: 1, unitPrice: 60_000 }], at(0));
    sell(a.w, other, [{ category: 'tea', qty: 1, unitPrice: 1_000 }], at(0));
    await push(a, T0 + 1000);
    const first = await pullAll(a.terminalId, T0 + 2000);
    assert.equal(first.members.get(m)?.tier, 'bronze');
    // Silver from 500 ₽ now: m qualifies at once, `other` does not change.
    await publishProgram(t.db, { ...PROGRAM, tiers: { ...PROGRAM.tiers, levels: [{ id: 'bronze', name: 'Bronze', threshold: 0 }, { id: 'silver', name: 'Silver', threshold: 50_000 }] } });
    await catchUpProjections(t.db, { now: () => T0 + 3000, maxMembers: 100_000 });
    const next = await pullAll(a.terminalId, T0 + 3000, first.cursor);
    assert.equal(next.members.get(m)?.tier, 'silver');
    assert.equal(next.members.has(other), false);
    const sweep = await t.db.query<{ target_version: number; swept_version: number }>('SELECT target_version, swept_version FROM projection_sweep');
    assert.equal(sweep.rows[0]!.swept_version, sweep.rows[0]!.target_version);
  });
});
