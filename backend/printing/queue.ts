import { dirname, join } from 'node:path';
import { isReportModel, type ReceiptModel, type SaleReceiptModel } from '../../core/receipt/model';
import { KopilkaError, fail } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';
import { createLogger } from '../../core/util/logger';
import { layoutReceipt } from '../../native/printer/layout';
import { getProfile } from '../../native/printer/profiles';
import { faultMessage, type PrinterFault } from '../../native/printer/status';
import { printBytes } from '../../native/printer/transports';
import type { Db } from '../db/types';
import { readPrinterSettings, type PrinterSettings } from './settings';

const log = createLogger('print-queue');

/**
 * Receipts and reports wait here until a printer takes them. Jobs print strictly in order:
 * when the printer reports a fault, the failing job and everything after it stay pending and
 * the queue tells the app why; `processQueue` (called again by the recovery loop) prints them
 * once the printer is back. A job stores the bytes it will send, so printing never reads or
 * writes the sale: a reprint is a new job with the "КОПИЯ" banner.
 */
export type JobKind = 'sale' | 'refund' | 'x_report' | 'z_report' | 'report' | 'test';
export type JobState = 'pending' | 'printed' | 'cancelled';

export type PrintJob = Readonly<{
  id: string;
  seq: number;
  kind: JobKind;
  ref: string | null;
  copy: boolean;
  printerUri: string;
  profile: string;
  state: JobState;
  attempts: number;
  lastFault: PrinterFault | null;
  lastError: string | null;
  createdAt: string;
  printedAt: string | null;
  bytes: number;
}>;

export type QueueStatus = Readonly<{
  pending: readonly PrintJob[];
  /** Why the first pending job is waiting (a message for the cashier), or null. */
  blockedBy: Readonly<{ fault: PrinterFault | null; message: string }> | null;
  lastPrinted: PrintJob | null;
}>;

type Row = {
  seq: number; id: string; kind: JobKind; ref: string | null; copy: number; printer_uri: string; profile: string;
  model: string | null; bytes: Buffer; state: JobState; attempts: number; last_fault: string | null; last_error: string | null;
  created_at: string; printed_at: string | null;
};

function toJob(r: Row): PrintJob {
  return {
    id: r.id, seq: r.seq, kind: r.kind, ref: r.ref, copy: r.copy === 1, printerUri: r.printer_uri, profile: r.profile, state: r.state,
    attempts: r.attempts, lastFault: (r.last_fault as PrinterFault | null) ?? null, lastError: r.last_error, createdAt: r.created_at,
    printedAt: r.printed_at, bytes: r.bytes.length,
  };
}

/** '' in settings = the embedded virtual printer in `<data dir>/prints`. */
export function effectivePrinterUri(db: Db, s: PrinterSettings = readPrinterSettings(db)): string {
  if (s.uri) return s.uri;
  const file = db.name && db.name !== ':memory:' ? db.name : join(process.cwd(), 'kopilka.db');
  return `virtual:${join(dirname(file), 'prints')}`;
}

export function fillQrTemplate(template: string, m: SaleReceiptModel, saleId: string | null): string | undefined {
  if (!template) return undefined;
  return template
    .replaceAll('{receipt}', encodeURIComponent(m.number))
    .replaceAll('{sale}', encodeURIComponent(saleId ?? ''))
    .replaceAll('{total}', String(m.totals.total))
    .replaceAll('{terminal}', encodeURIComponent(m.terminal ?? ''));
}

export type EnqueueInput = Readonly<{
  kind: JobKind;
  ref?: string | null;
  model: ReceiptModel;
  /** Override the terminal's settings (CLI --printer / --profile). */
  printerUri?: string;
  profile?: string;
  at?: string;
}>;

export function enqueue(db: Db, input: EnqueueInput): PrintJob {
  const s = readPrinterSettings(db);
  const uri = input.printerUri ?? effectivePrinterUri(db, s);
  const profileName = input.profile ?? s.profile;
  const profile = getProfile(profileName);
  let model = input.model;
  if (!isReportModel(model) && !model.qr) {
    const qr = fillQrTemplate(s.qrTemplate, model, input.ref ?? null);
    if (qr) model = { ...model, qr };
  }
  const encoded = layoutReceipt(model, profile, { drawer: s.drawer === 'never' ? 'never' : 'auto' });
  if (encoded.replaced.length) log.info(`replaced characters the printer lacks: ${[...new Set(encoded.replaced.map((r) => `${r.char}→${r.with}`))].join(' ')}`);
  const at = input.at ?? new Date().toISOString();
  const id = uuidv7();
  const copy = !isReportModel(model) && model.copy === true;
  db.prepare(
    `INSERT INTO print_job (id, kind, ref, copy, printer_uri, profile, model, bytes, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
  ).run(id, input.kind, input.ref ?? null, copy ? 1 : 0, uri, profileName, JSON.stringify(model), Buffer.from(encoded.bytes), at, at);
  return getJob(db, id);
}

export function getJob(db: Db, id: string): PrintJob {
  const r = db.prepare('SELECT * FROM print_job WHERE id = ?').get(id) as Row | undefined;
  if (!r) fail('NOT_FOUND', `No print job ${id}`);
  return toJob(r);
}

export function jobBytes(db: Db, id: string): Uint8Array {
  const r = db.prepare('SELECT bytes FROM print_job WHERE id = ?').get(id) as { bytes: Buffer } | undefined;
  if (!r) fail('NOT_FOUND', `No print job ${id}`);
  return new Uint8Array(r.bytes);
}

const running = new WeakMap<Db, Promise<ProcessResult>>();

export type ProcessResult = Readonly<{ printed: readonly string[]; held: PrintJob | null; fault: PrinterFault | null; message: string | null }>;

/**
 * Print pending jobs, in order per printer; a printer's first fault holds its later jobs
 * (receipts never print out of order) but not other printers' (a test print to a wrong
 * address does not block the till's receipts). Concurrent calls share one run.
 */
export function processQueue(db: Db, opts: { statusTimeoutMs?: number } = {}): Promise<ProcessResult> {
  const cur = running.get(db);
  if (cur) return cur;
  const run = (async (): Promise<ProcessResult> => {
    const printed: string[] = [];
    const s = readPrinterSettings(db);
    const printers = db.prepare("SELECT printer_uri FROM print_job WHERE state = 'pending' GROUP BY printer_uri ORDER BY min(seq)").pluck().all() as string[];
    let first: { held: PrintJob; fault: PrinterFault | null; message: string } | null = null;
    for (const uri of printers) {
      for (;;) {
        const r = db.prepare("SELECT * FROM print_job WHERE state = 'pending' AND printer_uri = ? ORDER BY seq LIMIT 1").get(uri) as Row | undefined;
        if (!r) break;
        const profile = getProfile(r.profile);
        try {
          await printBytes(r.printer_uri, new Uint8Array(r.bytes), { dots: profile.dots, checkStatus: s.checkStatus, ...(opts.statusTimeoutMs ? { statusTimeoutMs: opts.statusTimeoutMs } : {}) });
          const at = new Date().toISOString();
          db.prepare("UPDATE print_job SET state = 'printed', attempts = attempts + 1, printed_at = ?, updated_at = ?, last_fault = NULL, last_error = NULL WHERE id = ? AND state = 'pending'").run(at, at, r.id);
          printed.push(r.id);
        } catch (e) {
          const fault = e instanceof KopilkaError && e.code === 'DEVICE' ? ((e.details as { fault?: PrinterFault } | undefined)?.fault ?? null) : null;
          const message = e instanceof Error ? e.message : String(e);
          const detail = e instanceof KopilkaError ? (e.details as { detail?: string } | undefined)?.detail : undefined;
          db.prepare('UPDATE print_job SET attempts = attempts + 1, last_fault = ?, last_error = ?, updated_at = ? WHERE id = ?').run(fault, detail ? `${message} (${detail})` : message, new Date().toISOString(), r.id);
          log.warn(`job ${r.id} (${r.kind}) held: ${message}`);
          first ??= { held: getJob(db, r.id), fault, message: fault ? faultMessage(fault) : message };
          break;
        }
      }
    }
    return first ? { printed, ...first } : { printed, held: null, fault: null, message: null };
  })().finally(() => running.delete(db));
  running.set(db, run);
  return run;
}

export function queueStatus(db: Db): QueueStatus {
  const pending = (db.prepare("SELECT * FROM print_job WHERE state = 'pending' ORDER BY seq").all() as Row[]).map(toJob);
  const last = db.prepare("SELECT * FROM print_job WHERE state = 'printed' ORDER BY printed_at DESC, seq DESC LIMIT 1").get() as Row | undefined;
  // What blocks the till's own printer matters most; otherwise the oldest held job.
  const own = effectivePrinterUri(db);
  const first = pending.find((j) => j.attempts > 0 && j.printerUri === own) ?? pending.find((j) => j.attempts > 0);
  const blockedBy = first && first.attempts > 0 ? { fault: first.lastFault, message: first.lastFault ? faultMessage(first.lastFault) : (first.lastError ?? 'The printer did not accept the receipt') } : null;
  return { pending, blockedBy, lastPrinted: last ? toJob(last) : null };
}

export function cancelJob(db: Db, id: string): PrintJob {
  const res = db.prepare("UPDATE print_job SET state = 'cancelled', updated_at = ? WHERE id = ? AND state = 'pending'").run(new Date().toISOString(), id);
  if (res.changes === 0) {
    const j = getJob(db, id);
    fail('CONFLICT', `Print job ${id} is already ${j.state}; only waiting jobs can be cancelled`);
  }
  return getJob(db, id);
}

/**
 * Reprint the last customer receipt: a new job built from the stored model with the
 * "КОПИЯ" banner and no drawer pulse. The sale itself is only read, never written.
 */
export function reprintLast(db: Db, opts: { printerUri?: string; profile?: string } = {}): PrintJob {
  const r = db.prepare("SELECT * FROM print_job WHERE kind IN ('sale', 'refund') AND copy = 0 AND model IS NOT NULL ORDER BY seq DESC LIMIT 1").get() as Row | undefined;
  if (!r) fail('NOT_FOUND', 'There is no receipt to reprint yet');
  const model = JSON.parse(r.model!) as SaleReceiptModel;
  return enqueue(db, { kind: r.kind, ref: r.ref, model: { ...model, copy: true }, ...opts });
}

/**
 * Keep retrying held jobs while the app runs: the "prints when the printer recovers" part.
 * Polls only while something is pending; returns a stop function.
 */
export function startRecoveryLoop(db: Db, opts: { intervalMs?: number; onChange?: (s: QueueStatus) => void; statusTimeoutMs?: number } = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    if (stopped) return;
    try {
      const has = db.prepare("SELECT 1 FROM print_job WHERE state = 'pending' LIMIT 1").get();
      if (has) {
        const res = await processQueue(db, opts.statusTimeoutMs ? { statusTimeoutMs: opts.statusTimeoutMs } : {});
        if (res.printed.length || res.held) opts.onChange?.(queueStatus(db));
      }
    } catch (e) {
      log.error('recovery loop', e);
    }
    if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 2000);
  };
  timer = setTimeout(tick, opts.intervalMs ?? 2000);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
