import receiptline from 'receiptline';
import { layoutReceipt } from '../native/printer/layout';
import { getProfile } from '../native/printer/profiles';
import { renderPreview } from '../native/printer/preview';
import { sampleSaleReceipt } from '../native/printer/sample';
import { percentile, round, sample, type BenchResult } from './types';

/**
 * Receipt encoding for a 25-line receipt with loyalty block and QR on an 80 mm Epson profile:
 * our layout + @point-of-sale/receipt-printer-encoder (printer-native GS ( k QR) beside
 * receiptline encoding the same text with its raster QR. Bytes matter on serial printers:
 * at 9600 baud a printer receives 960 bytes per second.
 */
function receiptlineDoc(lines: readonly string[]): string {
  const esc = (s: string) => s.replace(/[\\|{}~_"`^]/g, '\\$&').replace(/^([-=])/, '\\$1');
  return lines
    .map((l) => {
      const qr = /^\[qr (.*)\]$/.exec(l);
      if (qr) return `{code:${qr[1]!.replace(/[;{}|\\]/g, '\\$&')}; option:qrcode,6,m}`;
      return esc(l) || ' ';
    })
    .join('\n') + '\n=';
}

export async function run(): Promise<BenchResult[]> {
  const profile = getProfile('epson-80');
  const model = sampleSaleReceipt(25);
  const small = sampleSaleReceipt(4);
  const ours = layoutReceipt(model, profile);
  const ms = sample(2000, () => layoutReceipt(model, profile));
  const smallBytes = layoutReceipt(small, profile).bytes.length;

  const doc = receiptlineDoc(ours.lines);
  const rlOpts = { cpl: profile.columns, encoding: 'cp866', command: 'escpos', cutting: true } as const;
  const rlBytes = Buffer.from(receiptline.transform(doc, rlOpts), 'binary').length;
  const rlMs = sample(300, () => receiptline.transform(doc, rlOpts), 30);

  // What the QR itself costs on the wire: printer-native GS ( k vs our raster fallback.
  const noQr = layoutReceipt({ ...model, qr: undefined }, profile).bytes.length;
  const rasterQr = layoutReceipt(model, getProfile('generic-58-raster-qr')).bytes.length - layoutReceipt({ ...model, qr: undefined }, getProfile('generic-58-raster-qr')).bytes.length;
  const pvMs = sample(30, () => renderPreview(ours.bytes, { dots: profile.dots }), 3);
  const at9600 = (b: number) => round(b / 960, 2);
  return [
    { name: 'encode 25-line receipt + QR, p50', unit: 'ms', value: round(percentile(ms, 50), 4) },
    { name: 'encode 25-line receipt + QR, min', unit: 'ms', value: round(Math.min(...ms), 4), note: 'least-disturbed run: the intrinsic cost on a busy machine' },
    { name: 'encode 25-line receipt + QR, p99', unit: 'ms', value: round(percentile(ms, 99), 4), target: '≤ 0.5 ms', ok: percentile(ms, 99) <= 0.5 },
    { name: 'bytes, 25-line receipt + native QR', unit: 'B', value: ours.bytes.length, target: '≤ 400 B', ok: ours.bytes.length <= 400, note: `${at9600(ours.bytes.length)} s at 9600 baud; full-width lines are space-padded text` },
    { name: 'bytes of the QR: native GS ( k', unit: 'B', value: ours.bytes.length - noQr },
    { name: 'bytes of the QR: raster fallback (GS v 0)', unit: 'B', value: rasterQr, note: `${at9600(rasterQr)} s at 9600 baud` },
    { name: 'bytes, 4-line receipt + native QR', unit: 'B', value: smallBytes, target: '≤ 400 B', ok: smallBytes <= 400, note: `${at9600(smallBytes)} s at 9600 baud` },
    { name: 'receiptline: encode same 25-line receipt, p99', unit: 'ms', value: round(percentile(rlMs, 99), 3), note: 'receiptline 4.0.4, cp866, QR as raster' },
    { name: 'receiptline: bytes, same receipt', unit: 'B', value: rlBytes, note: `${at9600(rlBytes)} s at 9600 baud` },
    { name: 'virtual printer PNG preview of that receipt, p50', unit: 'ms', value: round(percentile(pvMs, 50), 2) },
  ];
}
