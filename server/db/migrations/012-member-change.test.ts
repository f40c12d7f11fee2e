import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../../core/util/ids';
import { migrateServer } from '../migrate';
import { ingestBatch } from '../../ingest';
import { encodeCursor, pullChanges } from '../../pull';
import { partitionOf, PARTITIONS } from '../../settings';
import { ChainWriter, createTestServerDb, provisionTill, pullAll } from '../../testing';

test('012 moves pull positions into member_change: every member keeps its position, an old cursor goes on where it was, later writes supersede', async () => {
  const t = await createTestServerDb({ migrateUpTo: 11 });
  try {
    // Members as ingest left them before the migration: positions taken from log_head per partition.
    const members = Array.from({ length: 40 }, () => uuidv7());
    const heads = new Array<number>(PARTITIONS).fill(0);
    const pos = new Map<string, number>();
    for (const [i, m] of members.entries()) {
      const part = partitionOf(m);
      heads[part]! += 1;
      pos.set(m, heads[part]!);
      await t.db.query('INSERT INTO member_account (member_id, part, pos, balance, earned) VALUES ($1, $2, $3, $4, $4)', [m, part, heads[part], 10 + i]);
    }
    for (const [part, head] of heads.entries()) await t.db.query('UPDATE log_head SET pos = $2 WHERE part = $1', [part, head]);
    // A till that had pulled each partition up to its first member before the upgrade.
    const seenBefore = new Array<number>(PARTITIONS).fill(0).map((_, part) => (heads[part]! > 0 ? 1 : 0));

    assert.deepEqual(await migrateServer(t.db), [12]);

    const changes = await t.db.query<{ part: number; pos: string; member_id: string }>('SELECT part, pos, member_id FROM member_change ORDER BY member_id');
    assert.deepEqual(
      changes.rows.map((r) => [r.member_id, Number(r.part), Number(r.pos)]),
      [...members].sort().map((m) => [m, partitionOf(m), pos.get(m)]),
    );
    const indexes = await t.db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'member_account' ORDER BY 1");
    assert.deepEqual(indexes.rows.map((r) => r.indexname), ['member_account_pkey'], 'pos is no longer indexed, so a balance update can be HOT');
    const opts = await t.db.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE relname = 'member_account'");
    assert.deepEqual(opts.rows[0]!.reloptions, ['fillfactor=70']);

    const till = await provisionTill(t.db, 'Shop');
    const pull = (cursor: string | undefined) => pullChanges(t.db, till.terminalId, cursor, 7);
    const all = await pullAll(pull);
    assert.deepEqual(
      all.members.map((s) => [s.memberId, s.version, s.balance]).sort(),
      members.map((m, i) => [m, `${partitionOf(m)}:${pos.get(m)}`, 10 + i]).sort(),
      'every member once, at the position it had',
    );
    const resumed = await pullAll(pull, encodeCursor({ v: 1, p: seenBefore }));
    assert.deepEqual(
      resumed.members.map((s) => s.memberId).sort(),
      members.filter((m) => pos.get(m)! > 1).sort(),
      'a cursor from before the migration gets exactly the members it had not seen',
    );
    assert.equal(resumed.cursor, all.cursor);

    // After the migration: a write supersedes the member's change row; it comes once more, with its new balance.
    const w = new ChainWriter(till.terminalId);
    const m0 = members[0]!;
    assert.equal((await ingestBatch(t.db, till.terminalId, till.shopId, w.batch([w.add('earn', m0, 5)]))).statusCode, 200);
    const after = await pullAll(pull, all.cursor);
    assert.deepEqual(after.members.map((s) => [s.memberId, s.balance, s.version]), [[m0, 15, `${partitionOf(m0)}:${heads[partitionOf(m0)]! + 1}`]]);
    const rows = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM member_change WHERE member_id = $1', [m0]);
    assert.equal(Number(rows.rows[0]!.n), 2, 'the older row stays until compaction');
    const again = await pullAll(pull);
    assert.equal(again.members.length, members.length, 'a full pull still sends each member once');
    assert.equal(again.members.find((s) => s.memberId === m0)?.balance, 15);
  } finally {
    await t.cleanup();
  }
});
