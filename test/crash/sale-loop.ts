/**
 * The crash-test child: opens an already-initialised store and commits sales (and now and then
 * a refund) in a tight loop through the real checkout, printing `C <saleId>` only after
 * commitSale returned — i.e. after SQLite reported the transaction durable. The parent SIGKILLs
 * it at random moments and then checks that everything reported is there and nothing is half-written.
 * Usage: node sale-loop.mjs DB_PATH SEED CARD...
 */
import { writeSync } from 'node:fs';
import { startBackgroundCheckpoints } from '../../backend/db/checkpointer';
import { openStoreWith } from '../../backend/db/connection';
import { commitSale } from '../../backend/sales/checkout';
import { refundSale } from '../../backend/sales/refund';
import { KopilkaError } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';

const [dbPath, seedText, ...cards] = process.argv.slice(2);
let seed = Number(seedText) >>> 0 || 1;
const rand = (n: number) => {
  // xorshift32: deterministic per child, enough to vary carts.
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
};
const SKUS = ['A', 'C', 'D', 'BEER'];
const db = openStoreWith(dbPath!, [], { migrate: false });
// Some lanes checkpoint in a worker thread, as the till does, so kills also land mid-pass. The
// bundle cannot resolve better-sqlite3 from its temp dir; the parent passes the path.
const driver = process.env.KOPILKA_CRASH_CHECKPOINT_DRIVER;
if (driver) startBackgroundCheckpoints(db, { driver, intervalMs: 2, thresholdFrames: 20 });
/**
 * A line to the parent, written whole before the loop goes on. stdout is a non-blocking pipe:
 * when the parent falls behind (a loaded machine) a write fails with EAGAIN or takes part of the
 * line, so wait a millisecond and write the rest, as a blocking pipe would.
 */
const pause = new Int32Array(new SharedArrayBuffer(4));
function report(line: string): void {
  let buf = Buffer.from(line);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(1, buf));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
report('READY\n');
const mine: string[] = [];
for (;;) {
  const saleId = uuidv7();
  try {
    if (mine.length > 0 && rand(5) === 0) {
      const sale = mine[rand(mine.length)]!;
      refundSale(db, { sale, lines: [{ lineNo: 1, qty: 1 }], refundId: uuidv7() });
      report(`R ${sale}\n`);
      continue;
    }
    const items = Array.from({ length: 1 + rand(3) }, () => ({ code: SKUS[rand(SKUS.length)]!, qty: 1 + rand(3) }));
    const card = cards[rand(cards.length + 1)];
    commitSale(db, {
      saleId,
      items,
      member: card ? { card } : null,
      redeem: card && rand(2) === 0 ? { mode: 'max' } : { mode: 'none' },
      payment: rand(2) === 0 ? { method: 'card' } : { method: 'cash', tendered: 10_000_000 },
    });
    mine.push(saleId);
    report(`C ${saleId}\n`);
  } catch (e) {
    if (process.env.KOPILKA_CRASH_DEBUG) writeSync(2, String(e) + "\n"); // why a sale was refused
    if (!(e instanceof KopilkaError) || e.code === 'INTERNAL') throw e;
  }
}
