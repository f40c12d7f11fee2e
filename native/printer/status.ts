/**
 * Real-time status (DLE EOT n), Epson semantics shared by Xprinter and most clones.
 * Every answer byte has the fixed pattern 0xx1 xx10 (bits 1 and 4 set, 0 and 7 clear),
 * which lets us tell an answer from garbage.
 */
export const DLE_EOT_PRINTER = Uint8Array.of(0x10, 0x04, 0x01);
export const DLE_EOT_OFFLINE_CAUSE = Uint8Array.of(0x10, 0x04, 0x02);
export const DLE_EOT_PAPER = Uint8Array.of(0x10, 0x04, 0x04);

export type PrinterFault = 'paper_out' | 'cover_open' | 'offline' | 'error';

export type PrinterStatus = Readonly<{
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
  /** The reason printing cannot proceed now, most actionable first; null = ready. */
  fault: PrinterFault | null;
  raw: readonly number[];
}>;

export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export function parseStatus(printer: number, cause: number, paper: number): PrinterStatus {
  for (const b of [printer, cause, paper]) {
    if (!isStatusByte(b)) throw new Error(`not a DLE EOT answer: 0x${b.toString(16)}`);
  }
  const online = (printer & 0x08) === 0;
  const coverOpen = (cause & 0x04) !== 0;
  const paperOut = (cause & 0x20) !== 0 || (paper & 0x60) !== 0;
  const paperNearEnd = (paper & 0x0c) !== 0;
  const error = (cause & 0x40) !== 0;
  const fault: PrinterFault | null = paperOut ? 'paper_out' : coverOpen ? 'cover_open' : error ? 'error' : !online ? 'offline' : null;
  return { online, coverOpen, paperOut, paperNearEnd, error, fault, raw: [printer, cause, paper] };
}

/** What a cashier reads when a receipt is held back. */
export function faultMessage(f: PrinterFault): string {
  switch (f) {
    case 'paper_out':
      return 'The receipt printer is out of paper. Load a new roll; the receipt will print by itself.';
    case 'cover_open':
      return 'The receipt printer cover is open. Close it; the receipt will print by itself.';
    case 'offline':
      return 'The receipt printer is off or not connected. Check power and cable; the receipt will print when it is back.';
    case 'error':
      return 'The receipt printer reports an error (cutter jam or overheating). Switch it off and on; the receipt will print when it recovers.';
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** Answer bytes a healthy printer (or a simulated fault) sends: used by the virtual printer and test fakes. */
export function statusAnswer(n: number, fault: PrinterFault | null): number {
  const base = 0x12;
  if (n === 1) return base | (fault === 'offline' || fault === 'cover_open' || fault === 'paper_out' ? 0x08 : 0);
  if (n === 2) return base | (fault === 'cover_open' ? 0x04 : 0) | (fault === 'paper_out' ? 0x20 : 0) | (fault === 'error' ? 0x40 : 0);
  if (n === 4) return base | (fault === 'paper_out' ? 0x60 : 0);
  return base;
}
