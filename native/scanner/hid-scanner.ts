import type { ScanEvent } from '../../core/scan/event';
import { KopilkaError } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import { loadNodeHid, type NodeHid } from '../devices/discovery';
import { HID_POS_USAGE_PAGE, HidPosAssembler } from './hid-pos';
import type { ScannerHandle } from './serial-scanner';

const log = createLogger('scanner');

/** The part of a node-hid device we use; tests replay recorded reports through the same shape. */
export interface HidReportSource {
  on(event: 'data', cb: (report: Buffer) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  sendFeatureReport?(data: number[] | Buffer): Promise<number> | number;
  close(): Promise<void> | void;
}

/** Wire any report source to the HID POS parser. */
export function attachHidPos(dev: HidReportSource, onScan: (e: ScanEvent) => void): ScannerHandle {
  const asm = new HidPosAssembler(onScan);
  dev.on('data', (r) => asm.push(new Uint8Array(r)));
  dev.on('error', (e) => log.warn(`HID scanner: ${e.message}`));
  return { stop: async () => { await dev.close(); } };
}

/**
 * Open a USB HID POS scanner by vendor/product id, picking its 0x8C (bar code scanner)
 * collection. A scanner in keyboard mode has no such collection: we say how to switch it.
 */
export async function openHidScanner(vendorId: number, productId: number, onScan: (e: ScanEvent) => void, load: () => Promise<NodeHid> = loadNodeHid): Promise<ScannerHandle> {
  const HID = await load();
  const id = `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
  const all = await HID.devicesAsync(vendorId, productId);
  if (all.length === 0) throw new KopilkaError('DEVICE', `No USB scanner ${id} is connected. Plug it in, or check the vendor:product id with "kopilka scan --list"`, { uri: `hid:${id}` });
  const pos = all.find((d) => d.usagePage === HID_POS_USAGE_PAGE);
  if (!pos?.path) {
    throw new KopilkaError('DEVICE', `Scanner ${id} is in keyboard mode. Scan the "USB HID POS" programming barcode from its manual, or use it as a keyboard scanner`, { uri: `hid:${id}` });
  }
  const dev = await HID.HIDAsync.open(pos.path).catch((e: Error) => {
    throw new KopilkaError('DEVICE', `Scanner ${id} could not be opened (${e.message}). On Linux add a udev rule: KERNEL=="hidraw*", ATTRS{idVendor}=="${id.slice(0, 4)}", MODE="0660", GROUP="plugdev"`, { uri: `hid:${id}` });
  });
  // Honeywell scanners start sending HID POS data after feature report 0xFE = 1.
  if (vendorId === 0x0c2e) await Promise.resolve(dev.sendFeatureReport([0xfe, 0x01])).catch(() => {});
  return attachHidPos(dev as unknown as HidReportSource, onScan);
}
