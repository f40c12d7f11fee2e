import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { chainPreimage, type LedgerEvent } from '../core/ledger/event';
import { uuidv7 } from '../core/util/ids';
import { DEFAULT_PROGRAM } from '../core/loyalty/program';
import { outcomesOf, serverEntriesOf, type PushRequest, type PushResponse } from '../core/sync/protocol';
import { pgArray, serializationFailure } from './db/database';
import { envelopePreimage, eventHash, ingestBatch } from './ingest';
import { publishProgram } from './programs';
import { runExpiry } from './expiry';
import { expireDueHolds, placeHold, voidHold } from './holds';
import { pullChanges } from './pull';
import { saveSettings } from './settings';
import { ChainWriter, createTestServerDb, provisionTill, type TestServerDb } from './testing';

let t: TestServerDb;
before(async () => {
  t = await createTestServerDb();
});
after(async () => {
  await t?.cleanup();
});

async function till(shop = 'Shop A') {
  const p = await provisionTill(t.db, shop);
  return { ...p, w: new ChainWriter(p.terminalId) };
}
const push = async (p: { terminalId: string; shopId: string }, body: unknown, now?: () => number) => ingestBatch(t.db, p.terminalId, p.shopId, body, now ? { now } : {});
const ok = (r: Awaited<ReturnType<typeof push>>) => {
  assert.equal(r.statusCode, 200, JSON.stringify(r.body));
  return r.body as PushResponse;
};
/** Every event's status in request order, as a till reads the answer (only non-accepted events are listed). */
const statuses = (body: PushRequest, r: PushResponse) => outcomesOf(body.events, r).map((x) => x.status);
const entriesOf = (r: PushResponse, eventId: string) => serverEntriesOf(r).filter((x) => x.refEventId === eventId);
async function balances(memberIds: string[]) {
  const out: Record<string, { balance: number; sum: number; debt: number }> = {};
  for (const m of memberIds) {
    const a = await t.db.query<{ balance: string; debt: string }>('SELECT balance, debt FROM member_account WHERE member_id = $1', [m]);
    const s = await t.db.query<{ s: string }>('SELECT COALESCE(SUM(delta), 0) AS s FROM ledger_entry WHERE member_id = $1', [m]);
    out[m] = { balance: Number(a.rows[0]?.balance ?? 0), sum: Number(s.rows[0]!.s), debt: Number(a.rows[0]?.debt ?? 0) };
  }
  return out;
}

describe('push ingest', () => {
  test('accepts a contiguous chained batch, acks the head, balance == Σ entries', async () => {
    const a = await till();
    const m = uuidv7();
    a.w.add('member_create', m, 0);
    a.w.add('earn', m, 120);
    a.w.add('redeem', m, -20);
    const body = a.w.batch(a.w.events);
    const r = ok(await push(a, body));
    assert.deepEqual(statuses(body, r), ['accepted', 'accepted', 'accepted']);
    assert.deepEqual(r.results, [], 'accepted events are not listed one by one');
    assert.equal(r.accepted, 3);
    assert.equal(r.ackedThroughSeq, 3);
    assert.equal(r.chainHead, a.w.head);
    assert.equal(r.terminalStatus, 'active');
    assert.deepEqual(await balances([m]), { [m]: { balance: 100, sum: 100, debt: 0 } });
  });

  test('same batch id + same body replays the original response; other body → 409; nothing changes', async () => {
    const a = await till();
    const m = uuidv7();
    const body = a.w.batch([a.w.add('earn', m, 50)]);
    const first = ok(await push(a, body));
    const dump = await t.dump();
    const again = await push(a, body);
    assert.equal(again.replayed, true);
    assert.deepEqual(again.body, first);
    const other = await push(a, { ...body, clientTime: new Date(Date.now() + 1000).toISOString() });
    assert.equal(other.statusCode, 409);
    assert.equal(await t.dump(), dump);
  });

  test('re-sent events under a new batch id are duplicates; balances unchanged', async () => {
    const a = await till();
    const m = uuidv7();
    const evs = [a.w.add('earn', m, 10), a.w.add('earn', m, 5)];
    ok(await push(a, a.w.batch(evs)));
    const before = await balances([m]);
    const next = a.w.add('earn', m, 1);
    const body = a.w.batch([...evs, next]);
    const r = ok(await push(a, body));
    assert.deepEqual(statuses(body, r), ['duplicate', 'duplicate', 'accepted']);
    assert.deepEqual(r.results.map((x) => [x.index, x.eventId]), [[0, evs[0]!.id], [1, evs[1]!.id]]);
    assert.equal((await balances([m]))[m]!.balance, before[m]!.balance + 1);
  });

  test('the answer lists only events not accepted, by position: an id repeated inside the batch is a duplicate there', async () => {
    const a = await till();
    const m = uuidv7();
    const [e1, e2, e3] = [a.w.add('earn', m, 1), a.w.add('earn', m, 2), a.w.add('earn', m, 3)];
    const body = a.w.batch([e1!, e2!, e2!, e3!]);
    const r = ok(await push(a, body));
    assert.deepEqual(statuses(body, r), ['accepted', 'accepted', 'duplicate', 'accepted']);
    assert.deepEqual(r.results, [{ eventId: e2!.id, seq: 2, status: 'duplicate', index: 2 }]);
    assert.equal(r.accepted, 3);
    assert.equal(r.ackedThroughSeq, 3);
    assert.equal((await balances([m]))[m]!.balance, 6);
    // An answer that does not account for every event of the request is refused, not guessed at.
    assert.throws(() => outcomesOf(body.events.slice(1), r), /does not cover the request/);
  });

  test('an older server\'s answer (every event listed, entries nested) reads the same', () => {
    const entry = { entryId: uuidv7(), memberId: uuidv7(), kind: 'correction' as const, delta: -5, refEventId: 'e2', reason: 'earn_recomputed' };
    const old: PushResponse = {
      ackedThroughSeq: 2, chainHead: 'h', appliedThroughSeq: 2, terminalStatus: 'active', serverTime: '', clockOffsetMs: 0, clockDrift: false,
      results: [{ eventId: 'e1', seq: 1, status: 'duplicate' }, { eventId: 'e2', seq: 2, status: 'accepted', serverEntries: [entry] }],
    };
    assert.deepEqual(outcomesOf([{ id: 'e1', seq: 1 }, { id: 'e2', seq: 2 }], old).map((x) => x.status), ['duplicate', 'accepted']);
    assert.deepEqual(serverEntriesOf(old), [entry]);
  });

  test('same id with another payload is a conflict and quarantines the till; later pushes are refused', async () => {
    const a = await till();
    const m = uuidv7();
    const e = a.w.add('earn', m, 10);
    ok(await push(a, a.w.batch([e])));
    const forged = new ChainWriter(a.terminalId);
    const f = forged.add('earn', m, 1000);
    const r = ok(await push(a, forged.batch([{ ...f, id: e.id }])));
    assert.equal(r.results[0]!.status, 'conflict');
    assert.equal(r.terminalStatus, 'quarantined');
    const dump = await t.dump();
    const later = await push(a, a.w.batch([a.w.add('earn', m, 1)]));
    assert.equal(later.statusCode, 423);
    assert.equal(await t.dump(), dump);
  });

  test('a gap is never accepted: expected seq returned, till quarantined, prefix kept', async () => {
    const a = await till();
    const m = uuidv7();
    const e1 = a.w.add('earn', m, 10);
    a.w.add('earn', m, 20); // seq 2 never sent
    const e3 = a.w.add('earn', m, 30);
    const body = a.w.batch([e1, e3]);
    const r = ok(await push(a, body));
    assert.deepEqual(statuses(body, r), ['accepted', 'gap']);
    assert.equal(r.results[0]!.expected, 2);
    assert.equal(r.ackedThroughSeq, 1);
    assert.equal(r.terminalStatus, 'quarantined');
    assert.equal((await balances([m]))[m]!.balance, 10);
  });

  test('a reused seq (restored backup) and a broken chain quarantine the till', async () => {
    const a = await till();
    const m = uuidv7();
    ok(await push(a, a.w.batch([a.w.add('earn', m, 10), a.w.add('earn', m, 10)])));
    const clone = new ChainWriter(a.terminalId);
    clone.add('earn', m, 10);
    const reused = clone.add('earn', m, 99); // seq 2 again, new id
    const r = ok(await push(a, clone.batch([reused])));
    assert.equal(r.results[0]!.status, 'seq_reused');

    const b = await till();
    const e1 = b.w.add('earn', m, 1);
    ok(await push(b, b.w.batch([e1])));
    const other = new ChainWriter(b.terminalId);
    other.seq = 1; // right seq, wrong previous hash
    const bad = other.add('earn', m, 1);
    const r2 = ok(await push(b, other.batch([bad])));
    assert.equal(r2.results[0]!.status, 'chain_mismatch');
    assert.equal(r2.terminalStatus, 'quarantined');
  });

  test('an altered event (hash does not match contents) is chain_mismatch', async () => {
    const a = await till();
    const m = uuidv7();
    const e = a.w.add('earn', m, 10);
    const r = ok(await push(a, a.w.batch([{ ...e, delta: 1000 }])));
    assert.equal(r.results[0]!.status, 'chain_mismatch');
    assert.equal((await balances([m]))[m]?.balance ?? 0, 0);
  });

  test('a till cannot upload another till\'s events; malformed batches change nothing', async () => {
    const a = await till();
    const b = await till();
    const dump = await t.dump();
    await assert.rejects(push(a, b.w.batch([b.w.add('earn', uuidv7(), 1)])), /only upload its own/);
    await assert.rejects(push(a, { batchId: 'short', events: [] }), /batchId/);
    const e = a.w.add('earn', uuidv7(), 1);
    await assert.rejects(push(a, a.w.batch([{ ...e, delta: 1.5 }])), /integer/);
    assert.equal(await t.dump(), dump);
  });

  test('injected serialization failures (40001) are retried without double-applying', async () => {
    const a = await till();
    const m = uuidv7();
    let injected = 0;
    t.db.faultHook = (attempt, label) => {
      if (label === 'ingest' && attempt <= 2) {
        injected++;
        throw serializationFailure();
      }
    };
    try {
      const r = ok(await push(a, a.w.batch([a.w.add('earn', m, 70), a.w.add('redeem', m, -30)])));
      assert.equal(r.ackedThroughSeq, 2);
    } finally {
      t.db.faultHook = null;
    }
    assert.equal(injected, 2);
    assert.deepEqual(await balances([m]), { [m]: { balance: 40, sum: 40, debt: 0 } });
    const n = await t.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM terminal_event WHERE terminal_id = $1', [a.terminalId]);
    assert.equal(Number(n.rows[0]!.n), 2);
  });

  test('two tills enrolling the same new member at once: both applied, nothing lost (retry on the race)', async () => {
    const a = await till();
    const b = await till();
    for (let i = 0; i < 5; i++) {
      const m = uuidv7();
      const [ra, rb] = await Promise.all([
        push(a, a.w.batch([a.w.add('member_create', m, 0), a.w.add('earn', m, 11)])),
        push(b, b.w.batch([b.w.add('earn', m, 7)])),
      ]);
      ok(ra);
      ok(rb);
      assert.deepEqual((await balances([m]))[m], { balance: 18, sum: 18, debt: 0 });
    }
  });

  test('a failure mid-batch rolls back everything (one transaction per batch)', async () => {
    const a = await till();
    const dump = await t.dump();
    t.db.faultHook = (_a, label) => {
      if (label === 'ingest') throw new Error('disk full (injected)');
    };
    try {
      await assert.rejects(push(a, a.w.batch([a.w.add('earn', uuidv7(), 5)])), /disk full/);
    } finally {
      t.db.faultHook = null;
    }
    assert.equal(await t.dump(), dump);
  });

  test('offline double spend: both redemptions accepted, debt flagged, offline redemption switched off, recovered from earnings', async () => {
    const a = await till('Shop A');
    const b = await till('Shop B');
    const m = uuidv7();
    ok(await push(a, a.w.batch([a.w.add('earn', m, 100)])));
    ok(await push(a, a.w.batch([a.w.add('redeem', m, -80)])));
    ok(await push(b, b.w.batch([b.w.add('redeem', m, -80)])));
    let bal = await balances([m]);
    assert.deepEqual(bal[m], { balance: -60, sum: -60, debt: 60 });
    const rev = await t.db.query<{ kind: string }>("SELECT kind FROM review_item WHERE member_id = $1 AND kind = 'overdraft'", [m]);
    assert.equal(rev.rows.length, 1);
    const pulled = await pullChanges(t.db, a.terminalId, undefined, 5000);
    const snap = pulled.members.find((x) => x.memberId === m)!;
    assert.equal(snap.offlineRedeemAllowed, false);
    assert.equal(snap.offlineAllowance, 0);
    const r = ok(await push(b, b.w.batch([b.w.add('earn', m, 100)])));
    assert.equal(serverEntriesOf(r)[0]?.kind, 'overdraft_settle');
    bal = await balances([m]);
    assert.deepEqual(bal[m], { balance: 40, sum: 40, debt: 0 });
    const again = (await pullChanges(t.db, a.terminalId, pulled.nextCursor, 5000)).members.find((x) => x.memberId === m)!;
    assert.equal(again.offlineRedeemAllowed, true);
  });

  test('earned points are recomputed from the sale facts and program version; the correction flows back', async () => {
    const { version } = await publishProgram(t.db, { ...DEFAULT_PROGRAM, name: 'Five percent' });
    const a = await till();
    const m = uuidv7();
    const saleId = uuidv7();
    const line = { lineNo: 1, productId: 'p1', sku: 'LATTE', name: 'Latte', category: 'coffee', qty: 2, unitPrice: 25_000, earnsPoints: true, payableWithPoints: true };
    a.w.add('sale', m, 0, { saleId, programVersion: version, payload: { lines: [line], total: 50_000 } });
    const earn = a.w.add('earn', m, 999, { saleId, programVersion: version }); // the till claims 999
    const r = ok(await push(a, a.w.batch(a.w.events)));
    const res = entriesOf(r, earn.id);
    assert.equal(res[0]?.kind, 'correction');
    const expected = 999 + res[0]!.delta;
    assert.ok(expected > 0 && expected < 999, `recomputed ${expected}`);
    assert.equal((await balances([m]))[m]!.balance, expected);
    // A refund cannot take back more than was earned.
    const rev = a.w.add('earn_reversal', m, -999, { saleId });
    const r2 = ok(await push(a, a.w.batch([rev])));
    assert.equal(entriesOf(r2, rev.id)[0]?.delta, 999 - expected);
    assert.deepEqual((await balances([m]))[m], { balance: 0, sum: 0, debt: 0 });
  });

  test('a business-invalid event never blocks the queue: later events in the same and next batch are acked (I15)', async () => {
    const a = await till();
    const m = uuidv7();
    const saleId = uuidv7();
    a.w.add('earn', m, 10, { saleId });
    const poison = a.w.add('earn_reversal', m, -500, { saleId }); // takes back far more than earned
    const after1 = a.w.add('earn', m, 3);
    const body = a.w.batch(a.w.events);
    const r = ok(await push(a, body));
    assert.deepEqual(statuses(body, r), ['accepted', 'accepted', 'accepted']);
    assert.equal(entriesOf(r, poison.id)[0]?.delta, 490);
    assert.equal(r.ackedThroughSeq, after1.seq);
    const body2 = a.w.batch([a.w.add('earn', m, 1)]);
    const r2 = ok(await push(a, body2));
    assert.deepEqual(statuses(body2, r2), ['accepted']);
    assert.deepEqual((await balances([m]))[m], { balance: 4, sum: 4, debt: 0 });
  });

  test('a till clock days ahead: accepted, flagged, business time clamped to the server clock', async () => {
    const a = await till();
    const m = uuidv7();
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const e = a.w.add('earn', m, 10, { occurredAt: future });
    const body = a.w.batch([e], uuidv7(), future);
    const r = ok(await push(a, body));
    assert.equal(r.clockDrift, true);
    assert.deepEqual(statuses(body, r), ['accepted']);
    const row = await t.db.query<{ drift_flagged: boolean; business_at: Date }>('SELECT drift_flagged, business_at FROM terminal_event WHERE event_id = $1', [e.id]);
    assert.equal(row.rows[0]!.drift_flagged, true);
    assert.ok(new Date(row.rows[0]!.business_at).getTime() <= Date.now());
    const alerts = await t.db.query<{ kind: string }>('SELECT kind FROM terminal_alert WHERE terminal_id = $1 ORDER BY kind', [a.terminalId]);
    assert.deepEqual(alerts.rows.map((x) => x.kind), ['clock_drift', 'event_time_clamped']);
  });

  test('expiry is server-decided (FIFO); a till\'s own expiry is undone by a correction', async () => {
    await t.db.tx('s', (sql) => saveSettings(sql, { expiryDays: 30 }));
    const a = await till();
    const m = uuidv7();
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    ok(await push(a, a.w.batch([a.w.add('earn', m, 100, { occurredAt: old }), a.w.add('redeem', m, -30), a.w.add('earn', m, 50)])));
    const r = await runExpiry(t.db, new Date());
    assert.ok(r.points >= 70);
    assert.deepEqual((await balances([m]))[m], { balance: 50, sum: 50, debt: 0 });
    assert.equal((await runExpiry(t.db, new Date())).points, 0, 'expiry is idempotent');
    const te = ok(await push(a, a.w.batch([a.w.add('expire', m, -50)])));
    assert.equal(serverEntriesOf(te)[0]?.delta, 50);
    assert.equal((await balances([m]))[m]!.balance, 50);
    await t.db.tx('s', (sql) => saveSettings(sql, { expiryDays: 365 }));
  });

  test('holds: available = balance − pending; resolve at most once; expired holds release', async () => {
    const a = await till();
    const b = await till();
    const m = uuidv7();
    ok(await push(a, a.w.batch([a.w.add('earn', m, 100)])));
    const h1 = await placeHold(t.db, a.terminalId, { holdId: uuidv7(), memberId: m, points: 70 });
    assert.equal(h1.available, 30);
    await assert.rejects(placeHold(t.db, b.terminalId, { holdId: uuidv7(), memberId: m, points: 50 }), /Only 30 points/);
    // Posting: the redeem event carries the hold id.
    ok(await push(a, a.w.batch([a.w.add('redeem', m, -70, { payload: { holdId: h1.holdId } })])));
    const v = await voidHold(t.db, a.terminalId, m, h1.holdId);
    assert.equal(v.status, 'posted', 'a posted hold cannot be voided');
    assert.equal(v.available, 30);
    const h2 = await placeHold(t.db, b.terminalId, { holdId: uuidv7(), memberId: m, points: 30, ttlSeconds: 30 });
    assert.equal(h2.available, 0);
    const later = Date.now() + 31_000;
    const h3 = await placeHold(t.db, b.terminalId, { holdId: uuidv7(), memberId: m, points: 30 }, () => later);
    assert.equal(h3.available, 0, 'the expired hold released its points, the new one took them');
    const st = await t.db.query<{ status: string }>('SELECT status FROM hold WHERE member_id = $1 ORDER BY created_at', [m]);
    assert.deepEqual(st.rows.map((x) => x.status), ['posted', 'expired', 'pending']);
    // The background sweep releases a hold nobody touches again.
    assert.equal(await expireDueHolds(t.db, later + 16 * 60_000), 30);
    const acc = await t.db.query<{ held: string }>('SELECT held FROM member_account WHERE member_id = $1', [m]);
    assert.equal(Number(acc.rows[0]!.held), 0);
    assert.equal(await expireDueHolds(t.db, later + 16 * 60_000), 0, 'a hold resolves once');
  });
});

describe('ingest fast paths answer exactly as the general ones', () => {
  test('an id this till already used, sent again under the next seq with a valid chain, is a conflict; nothing of that batch is kept', async () => {
    const a = await till();
    const m = uuidv7();
    const first = a.w.add('earn', m, 10);
    ok(await push(a, a.w.batch([first])));
    const dump = await t.dump();
    // seq 2 chains correctly and hashes correctly, but reuses seq 1's id.
    const forged = new ChainWriter(a.terminalId);
    forged.seq = a.w.seq;
    forged.head = a.w.head;
    const e = forged.add('earn', m, 500);
    const body = forged.batch([{ ...e, id: first.id, hash: createHash('sha256').update(chainPreimage({ ...e, id: first.id, hash: undefined } as never), 'utf8').digest('hex') }]);
    const r = ok(await push(a, body));
    assert.equal(r.results[0]!.status, 'conflict');
    assert.equal(r.terminalStatus, 'quarantined');
    assert.equal(r.ackedThroughSeq, 1);
    assert.equal((await balances([m]))[m]!.balance, 10);
    const n = await t.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM terminal_event WHERE terminal_id = $1', [a.terminalId]);
    assert.equal(Number(n.rows[0]!.n), 1);
    assert.notEqual(await t.dump(), dump, 'the quarantine and its alert are recorded');
  });

  test('a resend racing its own first attempt is answered with the replay, not applied twice', async () => {
    const a = await till();
    const m = uuidv7();
    const body = a.w.batch([a.w.add('earn', m, 10), a.w.add('earn', m, 5)]);
    const [x, y] = await Promise.all([push(a, body), push(a, body)]);
    assert.equal(x.statusCode, 200);
    assert.equal(y.statusCode, 200);
    assert.deepEqual(x.body, y.body);
    assert.equal([x, y].filter((r) => r.replayed).length, 1);
    assert.deepEqual((await balances([m]))[m], { balance: 15, sum: 15, debt: 0 });
  });

  test('the envelope preimage equals the generic canonical preimage; other shapes fall back (property)', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.uuid());
    const int = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(-0));
    const num = fc.oneof(int, fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2));
    const envelope = fc.record({
      id: text, terminalId: text, seq: int, kind: text, memberId: fc.option(text, { nil: null }), delta: int,
      saleId: fc.option(text, { nil: null }), refEventId: fc.option(text, { nil: null }), occurredAt: text,
      programVersion: fc.option(int, { nil: null }), payload: fc.dictionary(fc.string(), fc.oneof(text, int, fc.boolean(), fc.constant(null), fc.array(int, { maxLength: 3 }))),
      prevHash: text, hash: text,
    });
    // Off-shape variants: a field missing, an extra field, undefined, or another type.
    const odd = fc.tuple(envelope, fc.constantFrom('drop', 'extra', 'undefined', 'type'), fc.constantFrom('id', 'seq', 'delta', 'memberId', 'saleId', 'refEventId', 'programVersion', 'payload', 'kind'), fc.oneof(num, text, fc.boolean(), fc.jsonValue()))
      .map(([e, how, key, v]) => {
        const o: Record<string, unknown> = { ...e };
        if (how === 'drop') delete o[key];
        else if (how === 'extra') o['x' + key] = v;
        else if (how === 'undefined') o[key] = undefined;
        else o[key] = v;
        return o;
      });
    const reference = (e: Record<string, unknown>): string => {
      const { hash: _h, ...rest } = e;
      return createHash('sha256').update(chainPreimage(rest as never), 'utf8').digest('hex');
    };
    const outcome = (f: () => string): string => {
      try {
        return f();
      } catch {
        return 'throws';
      }
    };
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(envelope, odd), (e) => {
        if (outcome(() => envelopePreimage(e as unknown as LedgerEvent) ?? '') !== '') fast++;
        assert.equal(outcome(() => eventHash(e as unknown as LedgerEvent)), outcome(() => reference(e)));
      }),
      { numRuns: 3000 },
    );
    assert.ok(fast > 1000, `the envelope path ran ${fast} times`);
  });

  test('pgArray literals read back as the same values', async () => {
    const texts = fc.array(fc.option(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('NULL', 'null', '', ' ', '{}', '"', '\\', 'a,b', '{"a":"\\\\"}')), { nil: null }), { maxLength: 8 })
      .map((xs) => xs.map((x) => (x === null ? null : x.replace(/\u0000/g, ''))));
    const samples = fc.sample(texts, 150);
    for (const xs of samples) {
      const r = await t.db.query<{ v: (string | null)[] }>('SELECT $1::text[] AS v', [pgArray(xs)]);
      assert.deepEqual(r.rows[0]!.v, xs);
    }
    const ints = [0, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, null];
    assert.deepEqual((await t.db.query<{ v: (string | null)[] }>('SELECT $1::bigint[]::text[] AS v', [pgArray(ints)])).rows[0]!.v, ['0', '-1', String(Number.MAX_SAFE_INTEGER), String(-Number.MAX_SAFE_INTEGER), null]);
    assert.deepEqual((await t.db.query<{ v: (boolean | null)[] }>('SELECT $1::boolean[] AS v', [pgArray([true, false, null])])).rows[0]!.v, [true, false, null]);
    assert.deepEqual((await t.db.query<{ v: unknown[] }>('SELECT $1::jsonb[] AS v', [pgArray([JSON.stringify({ a: 'q"\\,{}' }), '{}'])])).rows[0]!.v, [{ a: 'q"\\,{}' }, {}]);
  });
});

