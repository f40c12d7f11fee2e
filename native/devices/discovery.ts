import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createLogger } from '../../core/util/logger';

const log = createLogger('discovery');

/**
 * What is plugged in: serial ports, HID devices, USB printer device files, OS print queues.
 * Every probe that needs something the OS lacks (udevadm, libusb, CUPS) returns a `problem`
 * telling the manager what to install, instead of throwing.
 */
export type NodeHid = typeof import('node-hid');

export type Found<T> = Readonly<{ items: readonly T[]; problem?: string }>;
export type SerialPortInfo = Readonly<{ uri: string; path: string; manufacturer?: string; vendorId?: string; productId?: string }>;
export type HidInfo = Readonly<{ uri: string; vendorId: number; productId: number; product?: string; manufacturer?: string; usagePage?: number; posScanner: boolean }>;
export type DeviceReport = Readonly<{ serial: Found<SerialPortInfo>; hid: Found<HidInfo>; usbPrinters: Found<{ uri: string; path: string }>; queues: Found<{ uri: string; name: string }> }>;

export async function loadNodeHid(): Promise<NodeHid> {
  const mod = (await import('node-hid')) as NodeHid & { default?: NodeHid };
  return (mod.default ?? mod) as NodeHid;
}

export function explainHidLoadError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/libusb-1\.0\.so/.test(msg)) return 'USB HID scanners need libusb: install it with "sudo apt-get install libusb-1.0-0" and restart Kopilka';
  if (/libudev\.so/.test(msg)) return 'USB HID scanners need libudev: install it with "sudo apt-get install libudev1" and restart Kopilka';
  return `USB HID support could not load (${msg}); keyboard and serial scanners still work`;
}

export async function listHid(load: () => Promise<NodeHid> = loadNodeHid): Promise<Found<HidInfo>> {
  try {
    const HID = await load();
    const devs = await HID.devicesAsync();
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    return {
      items: devs.map((d) => ({
        uri: `hid:${hex(d.vendorId)}:${hex(d.productId)}`, vendorId: d.vendorId, productId: d.productId,
        ...(d.product ? { product: d.product } : {}), ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}),
        ...(d.usagePage !== undefined ? { usagePage: d.usagePage } : {}), posScanner: d.usagePage === 0x8c,
      })),
    };
  } catch (e) {
    log.warn('HID discovery failed', e instanceof Error ? e.message : e);
    return { items: [], problem: explainHidLoadError(e) };
  }
}

export async function listSerial(): Promise<Found<SerialPortInfo>> {
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return {
      items: ports.map((p) => ({
        uri: `serial:${p.path}?baud=9600`, path: p.path,
        ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}), ...(p.vendorId ? { vendorId: p.vendorId } : {}), ...(p.productId ? { productId: p.productId } : {}),
      })),
    };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const problem = /udevadm/.test(msg)
      ? 'Serial ports cannot be listed because "udevadm" is missing: install it with "sudo apt-get install udev". You can still type the port path (e.g. /dev/ttyUSB0)'
      : `Serial ports could not be listed (${msg}); you can still type the port path`;
    return { items: [], problem };
  }
}

export function listUsbPrinters(dir = '/dev/usb'): Found<{ uri: string; path: string }> {
  if (process.platform !== 'linux') return { items: [] };
  if (!existsSync(dir)) return { items: [] };
  const items = readdirSync(dir).filter((f) => /^lp\d+$/.test(f)).map((f) => ({ uri: `usb:${dir}/${f}`, path: `${dir}/${f}` }));
  return { items };
}

export function listQueues(lpstat = process.env.KOPILKA_LPSTAT ?? 'lpstat'): Promise<Found<{ uri: string; name: string }>> {
  return new Promise((resolve) => {
    execFile(lpstat, ['-e'], { timeout: 3000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        resolve({ items: [], problem: 'OS print queues cannot be listed: install CUPS ("sudo apt-get install cups cups-client")' });
        return;
      }
      const names = String(stdout).split('\n').map((s) => s.trim()).filter(Boolean);
      if (err && names.length === 0) {
        const why = String(stderr).trim() || err.message;
        resolve({ items: [], ...(/scheduler|connect/i.test(why) ? { problem: `The CUPS print service is not running (${why})` } : {}) });
        return;
      }
      resolve({ items: names.map((name) => ({ uri: `queue:${name}`, name })) });
    });
  });
}

export async function discoverDevices(opts: { loadHid?: () => Promise<NodeHid> } = {}): Promise<DeviceReport> {
  const [serial, hid, queues] = await Promise.all([listSerial(), listHid(opts.loadHid), listQueues()]);
  return { serial, hid, usbPrinters: listUsbPrinters(), queues };
}
