import { makeScanEvent, type ScanEvent } from '../../core/scan/event';
import { KopilkaError } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import type { DeviceUri } from '../devices/uri';

const log = createLogger('scanner');

export type ScannerHandle = Readonly<{ stop(): Promise<void> }>;

/**
 * Serial (RS-232 or USB-CDC "virtual COM") scanners send each code as a line ending in CR,
 * LF or CR LF, optionally with an AIM prefix. Partial lines wait for their terminator.
 */
export async function openSerialScanner(d: Extract<DeviceUri, { kind: 'serial' }>, onScan: (e: ScanEvent) => void): Promise<ScannerHandle> {
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path: d.path, baudRate: d.baud, rtscts: d.flow === 'rtscts', autoOpen: false });
  await new Promise<void>((res, rej) =>
    port.open((e) => (e ? rej(new KopilkaError('DEVICE', `The scanner port ${d.path} could not be opened: ${e.message}. Check the cable and that this user may use serial ports (group "dialout")`, { uri: `serial:${d.path}` })) : res())),
  );
  let pending = '';
  port.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    const parts = pending.split(/\r\n|\r|\n/);
    pending = parts.pop() ?? '';
    for (const line of parts) {
      const ev = makeScanEvent('serial', line);
      if (ev) onScan(ev);
    }
  });
  port.on('error', (e) => log.warn(`serial scanner ${d.path}: ${e.message}`));
  return { stop: () => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())) };
}
