import { aimSymbology, makeScanEvent, type ScanEvent, type Symbology } from '../../core/scan/event';

/**
 * USB HID POS barcode scanners (usage page 0x8C "Bar Code Scanner", usage 0x02). Input
 * report 2 ("Scanned Data Report"), 64 bytes, as Honeywell, Zebra, Datalogic and Access-IS
 * implement it:
 *   [0] report id 0x02 | [1] data length (≤ 56) | [2..4] AIM id "]Q1" | [5..60] data
 *   [61] vendor code id | [62] reserved | [63] bit 0 = more data follows in the next report
 * Long codes span several reports; we join them until bit 0 is clear. hidraw on Linux passes
 * the report id as the first byte; some stacks strip it (63-byte reports) — both are read.
 */
export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_SCANNER_USAGE = 0x02;

export type HidPosChunk = Readonly<{ aim: string; data: Uint8Array; more: boolean }>;

export function parseHidPosReport(report: Uint8Array): HidPosChunk | null {
  let r = report;
  if (r.length === 64 && r[0] === 0x02) r = r.subarray(1);
  else if (r.length !== 63) return null; // not a scanned-data report (trigger/status reports differ)
  const len = r[0]!;
  if (len > 56) return null;
  const aim = String.fromCharCode(r[1]!, r[2]!, r[3]!);
  return { aim: aim.startsWith(']') ? aim : '', data: r.subarray(4, 4 + len), more: (r[62]! & 0x01) === 1 };
}

/** Joins multi-report codes into ScanEvents. Feed it every input report. */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];
  private aim = '';
  constructor(private readonly emit: (e: ScanEvent) => void) {}

  push(report: Uint8Array): void {
    const c = parseHidPosReport(report);
    if (!c) return;
    if (this.parts.length === 0) this.aim = c.aim;
    this.parts.push(c.data);
    if (c.more) return;
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    // Scanned data is bytes; codes on receipts and cards are ASCII/UTF-8 (QR from our app is UTF-8).
    const text = bytes.toString('utf8');
    const sym: Symbology | undefined = this.aim ? aimSymbology(this.aim) : undefined;
    const ev = makeScanEvent('hid', text, sym);
    if (ev) this.emit(this.aim ? { ...ev, aim: this.aim } : ev);
  }
}
