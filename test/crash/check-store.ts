/**
 * The crash test's check of one store after a kill (crash.test.ts). It runs in a worker thread:
 * done on the test's main thread, a check held up the other lane's kill timer, so on a fast
 * machine that lane's child ran long past its kill time, wrote hundreds of sales instead of tens,
 * made the next check longer still, and a run could grow until it hit the test's timeout.
 */
import assert from 'node:assert/strict';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { verifyLedger } from '../../backend/db/ledger';

export type StoreCheck = Readonly<{ sales: number; events: number }>;
export type StoreCheckRequest = Readonly<{ kind: 'crash-check'; dbPath: string; reported: readonly string[] }>;

export function checkStore(dbPath: string, reported: Iterable<string>): StoreCheck {
  const db = new Database(dbPath);
  try {
    // Opening a writable connection replays the WAL, as the app would after a crash.
    const present = new Set(db.prepare('SELECT id FROM sale').pluck().all() as string[]);
    for (const id of reported) assert.ok(present.has(id), `sale ${id} was reported committed but is missing`);
    const halfWritten = db
      .prepare(
        `SELECT s.id FROM sale s
         WHERE (SELECT count(*) FROM sale_line l WHERE l.sale_id = s.id) = 0
            OR (SELECT coalesce(sum(amount), 0) FROM payment p WHERE p.sale_id = s.id) <> s.total
            OR (SELECT count(*) FROM ledger_event e WHERE e.sale_id = s.id AND e.kind = 'sale') <> 1
            OR (SELECT coalesce(sum(-delta), 0) FROM ledger_event e WHERE e.sale_id = s.id AND e.kind = 'redeem') <> s.redeem_points
            OR (SELECT coalesce(sum(delta), 0) FROM ledger_event e WHERE e.sale_id = s.id AND e.kind = 'earn') <> s.earn_points
            OR (SELECT coalesce(sum(amount), 0) FROM sale_line l WHERE l.sale_id = s.id) <> s.subtotal`,
      )
      .pluck()
      .all();
    assert.deepEqual(halfWritten, [], 'no half-written sale');
    // The refund events counted per refund in one pass over the ledger (a count per refund by a
    // scan each grew with refunds × events).
    const badRefunds = db
      .prepare(
        `WITH ev AS (SELECT json_extract(payload, '$.refundId') AS refund_id, count(*) AS n FROM ledger_event WHERE kind = 'refund' GROUP BY 1)
         SELECT r.id FROM refund r LEFT JOIN ev ON ev.refund_id = r.id
         WHERE NOT EXISTS (SELECT 1 FROM refund_line l WHERE l.refund_id = r.id) OR coalesce(ev.n, 0) <> 1`,
      )
      .pluck()
      .all();
    assert.deepEqual(badRefunds, [], 'no half-written refund');
    const events = db.prepare('SELECT count(*) FROM ledger_event').pluck().get() as number;
    assert.equal(db.prepare('SELECT count(*) FROM outbox').pluck().get(), events, 'an outbox row for every event');
    const v = verifyLedger(db);
    assert.equal(v.ok, true, JSON.stringify(v.problem));
    return { sales: present.size, events };
  } finally {
    db.close();
  }
}


if (!isMainThread && (workerData as StoreCheckRequest | null)?.kind === 'crash-check') {
  const req = workerData as StoreCheckRequest;
  parentPort!.postMessage(checkStore(req.dbPath, req.reported));
}
