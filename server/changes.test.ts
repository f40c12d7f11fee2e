import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../core/util/ids';
import { compactChanges, compactionStart } from './changes';
import { placeHold, voidHold } from './holds';
import { ingestBatch } from './ingest';
import { setMemberFlags } from './members';
import { encodeCursor, pullChanges } from './pull';
import { partitionOf } from './settings';
import { ChainWriter, createTestServerDb, provisionTill, pullAll, type TestServerDb } from './testing';

let t: TestServerDb;
before(async () => {
  t = await createTestServerDb({ max: 8 });
});
after(async () => {
  await t?.cleanup();
});

async function till(shop: string) {
  const p = await provisionTill(t.db, shop);
  return { ...p, w: new ChainWriter(p.terminalId) };
}

async function compactAll(): Promise<{ scanned: number; deleted: number }> {
  const state = compactionStart();
  let scanned = 0;
  let deleted = 0;
  for (;;) {
    const r = await compactChanges(t.db, state, { slice: 5, maxRows: 12 });
    scanned += r.scanned;
    deleted += r.deleted;
    if (r.wrapped) return { scanned, deleted };
  }
}

const count = async (sql: string) => Number((await t.db.query<{ n: string }>(sql)).rows[0]!.n);

test('compaction deletes exactly the superseded change rows, and pulls answer the same before and after', async () => {
  const a = await till('Compaction A');
  const b = await till('Compaction B');
  const members = Array.from({ length: 30 }, () => uuidv7());
  // Every member written by several batches of both tills, then a flag change and a hold placed
  // and voided: each of these takes a new position and supersedes the member's previous row.
  for (let round = 0; round < 4; round++) {
    for (const x of [a, b]) {
      const evs = members.filter((_m, i) => (i + round) % 3 !== 0).map((m, i) => x.w.add('earn', m, 1 + ((i + round) % 7)));
      assert.equal((await ingestBatch(t.db, x.terminalId, x.shopId, x.w.batch(evs))).statusCode, 200);
    }
  }
  await setMemberFlags(t.db, members[1]!, { offlineRedeemAllowed: false });
  const holdId = uuidv7();
  await placeHold(t.db, a.terminalId, { holdId, memberId: members[2]!, points: 3 });
  await voidHold(t.db, a.terminalId, members[2]!, holdId);

  const pull = (cursor: string | undefined) => pullChanges(t.db, a.terminalId, cursor, 7);
  const before = await pullAll(pull);
  const firstPage = await pull(undefined);
  const fromMiddle = await pullAll(pull, firstPage.nextCursor);
  const rowsBefore = await count('SELECT count(*) AS n FROM member_change');
  const live = await count('SELECT count(*) AS n FROM member_account');
  assert.ok(rowsBefore > live * 3, `members were superseded many times (${rowsBefore} rows for ${live} members)`);

  const r = await compactAll();
  assert.equal(r.deleted, rowsBefore - live);
  assert.ok(r.scanned >= rowsBefore);
  assert.equal(await count('SELECT count(*) AS n FROM member_change'), live);
  assert.equal(await count('SELECT count(*) AS n FROM member_change c JOIN member_account m ON m.member_id = c.member_id AND m.pos = c.pos'), live, 'what is left is each member\'s newest row');

  assert.deepEqual(await pullAll(pull), before, 'the same snapshots and the same cursor');
  assert.deepEqual(await pullAll(pull, firstPage.nextCursor), fromMiddle, 'a cursor from before compaction goes on the same way');
  assert.deepEqual(await compactAll(), { scanned: live, deleted: 0 });
  const idle = await compactChanges(t.db, compactionStart(), { slice: 5, whileFinding: true });
  assert.ok(idle.deleted === 0 && idle.scanned <= 5, `with nothing to delete a round reads one slice (${JSON.stringify(idle)})`);
});

test('a puller beside writers that keep changing the same members and a compactor ends with every member as committed (I10)', { timeout: 120_000 }, async () => {
  const tills = await Promise.all([0, 1, 2].map((i) => till(`Rewrite ${i}`)));
  const members = Array.from({ length: 12 }, () => uuidv7());
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  // Commits held back a random while, so positions taken earlier can become visible later.
  t.db.faultHook = async (_attempt, label) => {
    if (label === 'ingest') await new Promise((res) => setTimeout(res, Math.floor(rnd() * 20)));
  };
  let writing = true;
  const writers = Promise.all(tills.map(async (x) => {
    for (let batch = 0; batch < 10; batch++) {
      const evs = Array.from({ length: 4 }, () => x.w.add('earn', members[Math.floor(rnd() * members.length)]!, 1 + Math.floor(rnd() * 50)));
      assert.equal((await ingestBatch(t.db, x.terminalId, x.shopId, x.w.batch(evs))).statusCode, 200);
    }
  })).finally(() => (writing = false));
  const compactor = (async () => {
    const state = compactionStart();
    while (writing) {
      await compactChanges(t.db, state, { slice: 3, maxRows: 6 });
      await new Promise((res) => setTimeout(res, 2));
    }
  })();
  const seen = new Map<string, { balance: number; version: string }>();
  let cursor: string | undefined;
  const puller = (async () => {
    while (writing) {
      const page = await pullChanges(t.db, tills[0]!.terminalId, cursor, 5);
      for (const s of page.members) seen.set(s.memberId, { balance: s.balance, version: s.version });
      cursor = page.nextCursor;
      if (!page.hasMore) await new Promise((res) => setTimeout(res, 3));
    }
  })();
  await Promise.all([writers, compactor, puller]);
  t.db.faultHook = null;
  const rest = await pullAll((c) => pullChanges(t.db, tills[0]!.terminalId, c, 5), cursor);
  for (const s of rest.members) seen.set(s.memberId, { balance: s.balance, version: s.version });

  const committed = await t.db.query<{ member_id: string; balance: string; part: number; pos: string }>(
    'SELECT member_id, balance, part, pos FROM member_account WHERE member_id = ANY($1::text[])',
    [members],
  );
  assert.equal(committed.rows.length, members.length);
  for (const m of committed.rows) {
    assert.deepEqual(seen.get(m.member_id), { balance: Number(m.balance), version: `${m.part}:${m.pos}` }, `member ${m.member_id} was skipped or stale`);
  }
});

test('superseded rows use up a page like any other: pages without members still say there is more, and the member comes once', async () => {
  const x = await till('Pages');
  const m = uuidv7();
  const heads = (await t.db.query<{ pos: string }>('SELECT pos FROM log_head ORDER BY part')).rows.map((r) => Number(r.pos));
  for (let i = 1; i <= 10; i++) assert.equal((await ingestBatch(t.db, x.terminalId, x.shopId, x.w.batch([x.w.add('earn', m, i)]))).statusCode, 200);
  const pages: { members: string[]; hasMore: boolean }[] = [];
  let cursor: string | undefined = encodeCursor({ v: 1, p: heads });
  for (;;) {
    const page = await pullChanges(t.db, x.terminalId, cursor, 3);
    pages.push({ members: page.members.map((s) => s.memberId), hasMore: page.hasMore });
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  assert.deepEqual(pages, [
    { members: [], hasMore: true },
    { members: [], hasMore: true },
    { members: [], hasMore: true },
    { members: [m], hasMore: false },
  ]);
  const part = partitionOf(m);
  const expected = heads.map((h, i) => (i === part ? h + 10 : h));
  assert.equal(cursor, encodeCursor({ v: 1, p: expected }), 'the cursor ends at the partition head');
  // A round that keeps finding superseded rows goes on past its first slice, and stops at the first that finds none.
  const r = await compactChanges(t.db, { part, after: heads[part]! }, { slice: 3, whileFinding: true });
  assert.deepEqual([r.scanned, r.deleted], [10, 9]);
});
