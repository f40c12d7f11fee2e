import { createInterface } from 'node:readline';
import { makeScanEvent, type ScanEvent } from '../../core/scan/event';
import { fail } from '../../core/util/errors';
import { parseDeviceUri } from '../devices/uri';
import { openHidScanner } from './hid-scanner';
import { openSerialScanner, type ScannerHandle } from './serial-scanner';

/**
 * Open any scanner the backend can read by its URI: serial:, hid:VID:PID, or stdin: (the
 * virtual scanner — one code per line, e.g. piped from a file or typed). Keyboard-wedge and
 * camera scanners live in the renderer (renderer/src/scanner).
 */
export async function openScanner(uri: string, onScan: (e: ScanEvent) => void, io: { stdin?: NodeJS.ReadableStream } = {}): Promise<ScannerHandle> {
  const d = parseDeviceUri(uri);
  switch (d.kind) {
    case 'serial':
      return openSerialScanner(d, onScan);
    case 'hid':
      return openHidScanner(d.vendorId, d.productId, onScan);
    case 'stdin': {
      const rl = createInterface({ input: io.stdin ?? process.stdin, crlfDelay: Infinity });
      rl.on('line', (line) => {
        const ev = makeScanEvent('virtual', line);
        if (ev) onScan(ev);
      });
      const closed = new Promise<void>((res) => rl.once('close', () => res()));
      return { stop: async () => { rl.close(); await closed; }, done: closed } as ScannerHandle & { done: Promise<void> };
    }
    case 'tcp':
    case 'usb':
    case 'queue':
    case 'virtual':
      return fail('VALIDATION', `${uri} is a printer address; scanners use serial:, hid:VID:PID or stdin:`);
    default: {
      const never: never = d;
      return never;
    }
  }
}
