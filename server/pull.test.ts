import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../core/util/ids';
import { ingestBatch } from './ingest';
import { decodeCursor, pullChanges } from './pull';
import { ChainWriter, createTestServerDb, provisionTill, type TestServerDb } from './testing';

let t: TestServerDb;
before(async () => {
  t = await createTestServerDb({ max: 8 });
});
after(async () => {
  await t?.cleanup();
});

test('a puller running beside overlapping writers never skips a committed row (I10)', { timeout: 120_000 }, async () => {
  const tills = await Promise.all([0, 1, 2, 3].map(async (i) => {
    const p = await provisionTill(t.db, `Shop ${i}`);
    return { ...p, w: new ChainWriter(p.terminalId) };
  }));
  // Writers hold their transaction open for a random while before COMMIT, so transactions that
  // took positions earlier can commit later than ones that took them after (sequences would skip).
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  t.db.faultHook = async (_attempt, label) => {
    if (label === 'ingest') await new Promise((r) => setTimeout(r, Math.floor(rnd() * 25)));
  };
  const expected = new Map<string, number>();
  const writers = tills.map(async (till) => {
    for (let b = 0; b < 12; b++) {
      const evs = Array.from({ length: 5 }, () => {
        const m = uuidv7(); // each member written exactly once: a skipped row would never come back
        const pts = 1 + Math.floor(rnd() * 100);
        expected.set(m, pts);
        return till.w.add('earn', m, pts);
      });
      const r = await ingestBatch(t.db, till.terminalId, till.shopId, till.w.batch(evs));
      assert.equal(r.statusCode, 200);
    }
  });
  const seen = new Map<string, number>();
  let cursor: string | undefined;
  let done = false;
  const puller = (async () => {
    while (!done) {
      const page = await pullChanges(t.db, tills[0]!.terminalId, cursor, 7);
      for (const m of page.members) seen.set(m.memberId, m.balance);
      cursor = page.nextCursor;
      if (!page.hasMore) await new Promise((r) => setTimeout(r, 3));
    }
  })();
  await Promise.all(writers);
  t.db.faultHook = null;
  done = true;
  await puller;
  for (;;) {
    const page = await pullChanges(t.db, tills[0]!.terminalId, cursor, 50);
    for (const m of page.members) seen.set(m.memberId, m.balance);
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  assert.equal(seen.size, expected.size);
  for (const [m, pts] of expected) assert.equal(seen.get(m), pts, `member ${m} was skipped or stale`);
  assert.equal(decodeCursor(cursor).p.reduce((a, b) => a + b, 0), expected.size);
});

test('a malformed cursor is refused with advice; an empty cursor starts over', async () => {
  await assert.rejects(pullChanges(t.db, uuidv7(), 'not-a-cursor'), /start over/);
  const page = await pullChanges(t.db, uuidv7(), undefined, 1);
  assert.equal(page.members.length, 1);
  assert.equal(page.hasMore, true);
});
