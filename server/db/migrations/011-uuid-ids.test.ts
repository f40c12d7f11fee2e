import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../../core/util/ids';
import { outcomesOf, type PushResponse } from '../../../core/sync/protocol';
import { migrateServer } from '../migrate';
import { ingestBatch } from '../../ingest';
import { ChainWriter, createTestServerDb, provisionTill } from '../../testing';

test('011 turns event and entry ids into uuid: rows written as text read back the same; dedupe and server entries still work', async () => {
  const t = await createTestServerDb({ migrateUpTo: 10 });
  try {
    const p = await provisionTill(t.db, 'Shop');
    const w = new ChainWriter(p.terminalId);
    const m = uuidv7();
    // Stored while the ids were text: an earn, and an expiry the server undoes with its own entry.
    const first = [w.add('earn', m, 10), w.add('expire', m, -4)];
    const r0 = await ingestBatch(t.db, p.terminalId, p.shopId, w.batch(first));
    assert.equal(r0.statusCode, 200);
    const rows = async () => ({
      events: (await t.db.query('SELECT event_id::text AS id, seq FROM terminal_event ORDER BY seq')).rows,
      entries: (await t.db.query('SELECT entry_id::text AS id, source, kind, delta::int AS delta FROM ledger_entry ORDER BY source, entry_id')).rows,
    });
    const before = await rows();
    assert.equal(before.entries.length, 3);

    assert.deepEqual(await migrateServer(t.db), [11]);
    const types = await t.db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE (table_name, column_name) IN (('terminal_event', 'event_id'), ('ledger_entry', 'entry_id')) ORDER BY table_name`,
    );
    assert.deepEqual(types.rows.map((x) => [x.table_name, x.column_name, x.data_type]), [['ledger_entry', 'entry_id', 'uuid'], ['terminal_event', 'event_id', 'uuid']]);
    assert.deepEqual(await rows(), before);

    // The events stored as text are still recognised: re-sent they are duplicates; the next is accepted with a server entry.
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
