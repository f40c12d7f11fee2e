import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../../core/util/ids';
import { outcomesOf, type PushResponse } from '../../../core/sync/protocol';
import { migrateServer } from '../migrate';
import { ingestBatch } from '../../ingest';
import type { LedgerEvent } from '../../../core/ledger/event';
import type { ServerDb } from '../database';
import { partitionOf } from '../../settings';
import { ChainWriter, createTestServerDb, provisionTill } from '../../testing';

/** What ingest wrote for `[earn 10, expire −4]` before migration 11: ids as text, the expiry undone by a server entry. */
async function seedAtVersion10(db: ServerDb, p: Readonly<{ terminalId: string; shopId: string }>, m: string, events: readonly LedgerEvent[]): Promise<void> {
  const at = events[0]!.occurredAt;
  for (const e of events) {
    await db.query(
      `INSERT INTO terminal_event (terminal_id, seq, event_id, kind, member_id, delta, occurred_at, business_at, payload, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9, $10)`,
      [p.terminalId, e.seq, e.id, e.kind, m, e.delta, e.occurredAt, e.occurredAt, e.prevHash, e.hash],
    );
    await db.query(
      `INSERT INTO ledger_entry (member_id, entry_id, source, kind, delta, terminal_id, terminal_seq, shop_id, business_at)
       VALUES ($1, $2, 'terminal', $3, $4, $5, $6, $7, $8)`,
      [m, e.id, e.kind, e.delta, p.terminalId, e.seq, p.shopId, e.occurredAt],
    );
  }
  await db.query(
    `INSERT INTO ledger_entry (member_id, entry_id, source, kind, delta, terminal_id, shop_id, ref_event_id, business_at, reason)
     VALUES ($1, $2, 'server', 'correction', 4, $3, $4, $5, $6, 'expiry_is_server_decided')`,
    [m, uuidv7(), p.terminalId, p.shopId, events[1]!.id, at],
  );
  await db.query('UPDATE log_head SET pos = 1 WHERE part = $1', [partitionOf(m)]);
  await db.query(
    `INSERT INTO member_account (member_id, part, pos, balance, earned, expired, home_shop_id) VALUES ($1, $2, 1, 10, 10, 0, $3)`,
    [m, partitionOf(m), p.shopId],
  );
  await db.query('UPDATE terminal SET last_seq = $2, last_hash = $3 WHERE terminal_id = $1', [p.terminalId, events.length, events[events.length - 1]!.hash]);
}

test('011 turns event and entry ids into uuid: rows written as text read back the same; dedupe and server entries still work', async () => {
  const t = await createTestServerDb({ migrateUpTo: 10 });
  try {
    const p = await provisionTill(t.db, 'Shop');
    const w = new ChainWriter(p.terminalId);
    const m = uuidv7();
    // Stored while the ids were text: an earn, and an expiry the server undid with its own entry.
    // Written as rows of the version-10 schema (today's ingest needs tables of later migrations).
    const first = [w.add('earn', m, 10), w.add('expire', m, -4)];
    await seedAtVersion10(t.db, p, m, first);
    const rows = async () => ({
      events: (await t.db.query('SELECT event_id::text AS id, seq FROM terminal_event ORDER BY seq')).rows,
      entries: (await t.db.query('SELECT entry_id::text AS id, source, kind, delta::int AS delta FROM ledger_entry ORDER BY source, entry_id')).rows,
    });
    const before = await rows();
    assert.equal(before.entries.length, 3);

    assert.deepEqual(await migrateServer(t.db, { upTo: 11 }), [11]);
    const types = await t.db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE (table_name, column_name) IN (('terminal_event', 'event_id'), ('ledger_entry', 'entry_id')) ORDER BY table_name`,
    );
    assert.deepEqual(types.rows.map((x) => [x.table_name, x.column_name, x.data_type]), [['ledger_entry', 'entry_id', 'uuid'], ['terminal_event', 'event_id', 'uuid']]);
    assert.deepEqual(await rows(), before);

    // The events stored as text are still recognised: re-sent they are duplicates; the next is accepted with a server entry.
    await migrateServer(t.db);
    const next = w.add('expire', m, -1);
    const body = w.batch([...first, next]);
    const r1 = await ingestBatch(t.db, p.terminalId, p.shopId, body);
    assert.equal(r1.statusCode, 200);
    const resp = r1.body as PushResponse;
    assert.deepEqual(outcomesOf(body.events, resp).map((x) => x.status), ['duplicate', 'duplicate', 'accepted']);
    assert.equal(resp.serverEntries?.[0]?.refEventId, next.id);
    const stored = await t.db.query<{ id: string }>('SELECT entry_id AS id FROM ledger_entry WHERE entry_id = $1', [resp.serverEntries![0]!.entryId]);
    assert.deepEqual(stored.rows, [{ id: resp.serverEntries![0]!.entryId }], 'uuid reads back as the same lowercase string');
    const bal = await t.db.query<{ b: string; s: string }>('SELECT (SELECT balance FROM member_account WHERE member_id = $1) AS b, (SELECT SUM(delta) FROM ledger_entry WHERE member_id = $1) AS s', [m]);
    assert.equal(Number(bal.rows[0]!.b), 10);
    assert.equal(Number(bal.rows[0]!.s), 10);
  } finally {
    await t.cleanup();
  }
});
