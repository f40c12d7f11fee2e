import type { ShopHeader } from '../../core/receipt/model';
import { getSetting, readSettings } from '../db/settings';
import type { Db } from '../db/types';
import { shiftReportModel } from '../reports/print-model';
import { buildRefundReceipt, buildSaleReceipt } from '../sales/receipt';
import { getZReport } from '../shifts/close';
import { xReport } from '../shifts/close';
import { sampleSaleReceipt } from '../../native/printer/sample';
import { cancelJob, enqueue, processQueue, reprintLast, type PrintJob, type ProcessResult } from './queue';

/**
 * What the app and CLI call: put a document in the queue and try to print it now. A fault
 * leaves the job pending (the caller shows `result.message`); the sale is never touched.
 */
export type PrintOutcome = Readonly<{ job: PrintJob; printed: boolean; result: ProcessResult }>;
export type Target = Readonly<{ printerUri?: string; profile?: string }>;

async function enqueueAndRun(db: Db, job: PrintJob): Promise<PrintOutcome> {
  const result = await processQueue(db);
  const printed = result.printed.includes(job.id);
  return { job, printed, result };
}

export function shopHeader(db: Db): ShopHeader {
  const s = readSettings(db);
  const taxId = getSetting<string>(db, 'shop.taxId');
  return { name: s.shopName, address: getSetting<string[]>(db, 'shop.address'), ...(taxId ? { taxId } : {}) };
}

export function printSale(db: Db, saleRef: string | number, t: Target = {}): Promise<PrintOutcome> {
  const model = buildSaleReceipt(db, saleRef);
  const saleId = db.prepare('SELECT id FROM sale WHERE id = ? OR receipt_no = ?').pluck().get(String(saleRef), Number(saleRef) || -1) as string | undefined;
  return enqueueAndRun(db, enqueue(db, { kind: 'sale', ref: saleId ?? String(saleRef), model, ...t }));
}

export function printRefund(db: Db, refundId: string, t: Target = {}): Promise<PrintOutcome> {
  return enqueueAndRun(db, enqueue(db, { kind: 'refund', ref: refundId, model: buildRefundReceipt(db, refundId), ...t }));
}

function staffNames(db: Db): Record<string, string> {
  try {
    const rows = db.prepare('SELECT id, name FROM staff').all() as { id: string; name: string }[];
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  } catch {
    return {};
  }
}

export function printZ(db: Db, shift: string | number, t: Target = {}): Promise<PrintOutcome> {
  const z = getZReport(db, shift);
  const model = shiftReportModel(z.report, 'z_report', { shop: shopHeader(db), timezone: readSettings(db).timezone, staffNames: staffNames(db), unsyncedEvents: z.unsyncedEvents });
  return enqueueAndRun(db, enqueue(db, { kind: 'z_report', ref: String(shift), model, ...t }));
}

export function printX(db: Db, t: Target = {}): Promise<PrintOutcome> {
  const r = xReport(db);
  const model = shiftReportModel(r, 'x_report', { shop: shopHeader(db), timezone: readSettings(db).timezone, staffNames: staffNames(db) });
  return enqueueAndRun(db, enqueue(db, { kind: 'x_report', ref: null, model, ...t }));
}

export function printTest(db: Db, t: Target = {}): Promise<PrintOutcome> {
  // The sample receipt exercises every block (Cyrillic, ₽, QR, loyalty) under the shop's own name.
  const sample = sampleSaleReceipt();
  const model = { ...sample, shop: shopHeader(db), number: 'TEST', footer: ['Тестовая печать — это не чек'] };
  return enqueueAndRun(db, enqueue(db, { kind: 'test', ref: null, model, ...t })).then((o) => {
    // A test print that did not go through is not worth printing later.
    if (!o.printed) return { ...o, job: cancelJob(db, o.job.id) };
    return o;
  });
}

export function reprintLastReceipt(db: Db, t: Target = {}): Promise<PrintOutcome> {
  return enqueueAndRun(db, reprintLast(db, t));
}
