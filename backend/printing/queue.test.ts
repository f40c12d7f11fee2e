import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importCatalog } from '../catalog/catalog';
import { commitSale } from '../sales/checkout';
import { createTestStore, dumpDb, type TestStore } from '../testing/store';
import { textLines, tokenize } from '../../test/hardware/escpos-tokenizer';
import { startFakePrinter, type FakePrinter } from '../../test/hardware/fake-printer';
import { printRefund, printSale, printTest, reprintLastReceipt } from './service';
import { refundSale } from '../sales/refund';
import { cancelJob, processQueue, queueStatus, startRecoveryLoop } from './queue';
import { readPrinterSettings, writePrinterSettings } from './settings';

const MENU = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'resources', 'demo', 'menu.json'), 'utf8')) as { products: { price: number; barcodes: string[] }[] };

let store: TestStore;
let fp: FakePrinter;
before(async () => {
  store = await createTestStore('kopilka-print-');
  importCatalog(store.db, MENU);
  fp = await startFakePrinter();
  writePrinterSettings(store.db, { uri: fp.uri, profile: 'epson-58', qrTemplate: 'https://kopilka.example/r/{receipt}?s={total}' });
});
after(async () => {
  await fp.close();
  store.cleanup();
});

/** Everything except the print queue, to prove printing never touches sales or the ledger. */
function dumpWithoutQueue(): string {
  return dumpDb(store.db).replace(/## print_job[\s\S]*?(?=\n## |$)/, '');
}
/** Wait until the fake printer has every byte of every job the queue marked printed on it. */
async function settled(): Promise<void> {
  const total = store.db.prepare("SELECT coalesce(sum(length(bytes)), 0) FROM print_job WHERE state = 'printed' AND printer_uri = ?").pluck().get(fp.uri) as number;
  await waitFor(() => fp.received().length >= total);
  assert.equal(fp.received().length, total);
}
function sell(tendered = 50000) {
  const code = MENU.products[0]!.barcodes[0]!;
  return commitSale(store.db, { items: [{ code, qty: 2 }], payment: { method: 'cash', tendered } });
}

describe('print queue with a real sale and a loopback printer', () => {
  it('settings: validated, with the virtual printer as the default', () => {
    assert.equal(readPrinterSettings(store.db).profile, 'epson-58');
    assert.throws(() => writePrinterSettings(store.db, { uri: 'hid:0c2e:0b61' }), /not a printer address/);
    assert.throws(() => writePrinterSettings(store.db, { profile: 'epson-99' }), /unknown printer profile/);
  });

  it('prints a committed sale: receipt number, QR from the template, drawer pulse', async () => {
    const sale = sell();
    const out = await printSale(store.db, sale.saleId);
    assert.equal(out.printed, true);
    await settled();
    const tokens = tokenize(fp.received());
    const lines = textLines(tokens);
    assert.ok(lines.some((l) => l.includes(`ЧЕК № ${sale.receiptNo}`)), lines.join('\n'));
    const store80 = tokens.filter((t) => t.t === 'qr' && t.fn === 80);
    assert.equal(Buffer.from((store80[0] as { params: number[] }).params.slice(1)).toString(), `https://kopilka.example/r/${sale.receiptNo}?s=${sale.quote.total}`);
    assert.equal(tokens.filter((t) => t.t === 'pulse').length, 1);
  });

  it('paper out: the sale stays committed once, the receipt waits, and prints when paper is back', async () => {
    await settled();
    const received0 = fp.received().length;
    fp.fault = 'paper_out';
    const sale = sell();
    const salesBefore = store.db.prepare('SELECT count(*) FROM sale').pluck().get();
    const before = dumpWithoutQueue();
    const out = await printSale(store.db, sale.saleId);
    assert.equal(out.printed, false);
    assert.equal(out.result.fault, 'paper_out');
    assert.match(out.result.message ?? '', /out of paper/);
    const st = queueStatus(store.db);
    assert.equal(st.pending.length, 1);
    assert.equal(st.pending[0]!.ref, sale.saleId);
    assert.equal(st.blockedBy?.fault, 'paper_out');
    // A second receipt queues behind the first; order is kept.
    const sale2 = sell();
    const before2 = dumpWithoutQueue();
    await printSale(store.db, sale2.saleId);
    assert.equal(queueStatus(store.db).pending.length, 2);
    assert.equal(fp.received().length, received0, 'nothing sent while out of paper');
    // Recovery: the loop notices and prints both, in order.
    fp.fault = null;
    const changes: number[] = [];
    const stop = startRecoveryLoop(store.db, { intervalMs: 20, onChange: (s) => changes.push(s.pending.length) });
    try {
      await waitFor(() => queueStatus(store.db).pending.length === 0);
    } finally {
      stop();
    }
    await settled();
    assert.ok(changes.includes(0));
    const lines = textLines(tokenize(fp.received().subarray(received0)));
    const i1 = lines.findIndex((l) => l.includes(`ЧЕК № ${sale.receiptNo}`));
    const i2 = lines.findIndex((l) => l.includes(`ЧЕК № ${sale2.receiptNo}`));
    assert.ok(i1 >= 0 && i2 > i1, 'both receipts, in order');
    assert.equal(store.db.prepare('SELECT count(*) FROM sale').pluck().get(), salesBefore as number + 1);
    assert.equal(dumpWithoutQueue(), before2);
    assert.notEqual(before, before2);
  });

  it('reprint last: a КОПИЯ without a drawer pulse; sales and ledger unchanged', async () => {
    const before = dumpWithoutQueue();
    await settled();
    const received0 = fp.received().length;
    const out = await reprintLastReceipt(store.db);
    assert.equal(out.printed, true);
    assert.equal(out.job.copy, true);
    await settled();
    const tokens = tokenize(fp.received().subarray(received0));
    assert.ok(textLines(tokens).some((l) => l.includes('КОПИЯ')));
    assert.equal(tokens.filter((t) => t.t === 'pulse').length, 0);
    assert.equal(dumpWithoutQueue(), before);
  });

  it('a cash refund prints as ВОЗВРАТ and opens the drawer to hand the money back', async () => {
    const sale = sell();
    await printSale(store.db, sale.saleId);
    await settled();
    const received0 = fp.received().length;
    const r = refundSale(store.db, { sale: sale.saleId, reason: 'не понравилось' });
    const out = await printRefund(store.db, r.refundId);
    assert.equal(out.printed, true);
    await settled();
    const tokens = tokenize(fp.received().subarray(received0));
    assert.ok(textLines(tokens).some((l) => l.includes('ВОЗВРАТ')), textLines(tokens).join('\n'));
    assert.equal(tokens.filter((t) => t.t === 'pulse').length, 1);
  });

  it('printer offline: held with the reason; cancel removes a waiting job; test prints are not kept', async () => {
    const uri = fp.uri;
    const dead = await startFakePrinter();
    const deadUri = dead.uri;
    await dead.close();
    writePrinterSettings(store.db, { uri: deadUri });
    try {
      const t = await printTest(store.db);
      assert.equal(t.printed, false);
      assert.equal(t.job.state, 'cancelled');
      const sale = sell();
      const out = await printSale(store.db, sale.saleId);
      assert.equal(out.result.fault, 'offline');
      // A job held for one printer does not block another printer's receipts.
      const other = await printSale(store.db, sale.saleId, { printerUri: uri });
      assert.equal(other.printed, true);
      await settled();
      assert.equal(queueStatus(store.db).pending.length, 1);
      const c = cancelJob(store.db, out.job.id);
      assert.equal(c.state, 'cancelled');
      assert.throws(() => cancelJob(store.db, out.job.id), /already cancelled/);
      assert.equal((await processQueue(store.db)).printed.length, 0);
    } finally {
      writePrinterSettings(store.db, { uri });
    }
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
