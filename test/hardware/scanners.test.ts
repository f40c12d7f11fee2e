import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { SerialPort } from 'serialport';
import type { ScanEvent } from '../../core/scan/event';
import { KopilkaError } from '../../core/util/errors';
import { discoverDevices, explainHidLoadError, listHid, type NodeHid } from '../../native/devices/discovery';
import { parseHidPosReport } from '../../native/scanner/hid-pos';
import { attachHidPos, openHidScanner } from '../../native/scanner/hid-scanner';
import { openScanner } from '../../native/scanner/open';
import { ptyPair } from './pty';

const HID_DIR = join(import.meta.dirname, '..', 'fixtures', 'hid');
const root = join(import.meta.dirname, '..', '..');

function loadReports(name: string): Buffer[] {
  return readFileSync(join(HID_DIR, name), 'utf8').trim().split('\n').map((h) => Buffer.from(h, 'hex'));
}

/** Plays recorded reports like node-hid's HIDAsync does ('data' events with Buffers). */
class ReplayDevice extends EventEmitter {
  closed = false;
  features: number[][] = [];
  async sendFeatureReport(d: number[]) { this.features.push(d); return d.length; }
  async close() { this.closed = true; }
  play(reports: Buffer[]) { for (const r of reports) this.emit('data', r); }
}

describe('serial scanner over a socat PTY pair', () => {
  it('one event per line; CR, LF or CRLF; lines split across reads; AIM ids', async () => {
    const pty = await ptyPair();
    const dev = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
    await new Promise<void>((res, rej) => dev.open((e) => (e ? rej(e) : res())));
    const got: ScanEvent[] = [];
    const scanner = await openScanner(`serial:${pty.a}?baud=9600`, (e) => got.push(e));
    try {
      const send = (s: string) => new Promise<void>((res) => dev.write(s, () => dev.drain(() => res())));
      await send(']E04601234567893\r\n');
      await send('KP-000');
      await new Promise((r) => setTimeout(r, 30));
      await send('003\r');
      await send('\n\r\n');
      await send('KOPILKA:CARD:AbC-12345\n');
      const t0 = Date.now();
      while (got.length < 3 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(got, [
        { source: 'serial', symbology: 'ean13', data: '4601234567893', aim: ']E0' },
        { source: 'serial', symbology: 'code128', data: 'KP-000003' },
        { source: 'serial', symbology: 'qr', data: 'KOPILKA:CARD:AbC-12345' },
      ]);
    } finally {
      await scanner.stop();
      await new Promise<void>((res) => dev.close(() => res()));
      await pty.close();
    }
  });
});

describe('USB HID POS scanner (recorded 64-byte reports)', () => {
  it('parses the report layout, with or without the report id byte', () => {
    const [r] = loadReports('honeywell-ean13.hex');
    const a = parseHidPosReport(r!);
    const b = parseHidPosReport(r!.subarray(1));
    assert.equal(a?.aim, ']E0');
    assert.equal(Buffer.from(a!.data).toString(), '4601234567893');
    assert.deepEqual(b, a);
    assert.equal(parseHidPosReport(Buffer.from('04010000', 'hex')), null);
  });

  it('replays EAN-13, Code 128 (after a trigger report) and a QR spanning two reports', () => {
    const got: ScanEvent[] = [];
    const dev = new ReplayDevice();
    attachHidPos(dev, (e) => got.push(e));
    dev.play(loadReports('honeywell-ean13.hex'));
    dev.play(loadReports('zebra-code128-card.hex'));
    const long = loadReports('honeywell-qr-long.hex');
    assert.equal(long.length, 2);
    dev.play(long);
    assert.deepEqual(got, [
      { source: 'hid', symbology: 'ean13', data: '4601234567893', aim: ']E0' },
      { source: 'hid', symbology: 'code128', data: 'KP-000003', aim: ']C0' },
      { source: 'hid', symbology: 'qr', data: 'KOPILKA:CARD:' + 'A'.repeat(40) + '-' + 'b'.repeat(40) + '-0123456789', aim: ']Q1' },
    ]);
  });

  it('opens the 0x8C collection, switches a Honeywell into HID POS mode, explains keyboard mode and absence', async () => {
    const dev = new ReplayDevice();
    const fakeHid = (list: object[]) => async () => ({ devicesAsync: async () => list, HIDAsync: { open: async () => dev } }) as unknown as NodeHid;
    const got: ScanEvent[] = [];
    const h = await openHidScanner(0x0c2e, 0x0b61, (e) => got.push(e), fakeHid([{ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x01, path: '/dev/hidraw0' }, { vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, path: '/dev/hidraw1' }]));
    dev.play(loadReports('honeywell-ean13.hex'));
    assert.equal(got[0]?.data, '4601234567893');
    assert.deepEqual(dev.features, [[0xfe, 0x01]]);
    await h.stop();
    assert.equal(dev.closed, true);
    await assert.rejects(openHidScanner(0x0c2e, 0x0b61, () => {}, fakeHid([{ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x01, path: '/dev/hidraw0' }])), /keyboard mode/);
    await assert.rejects(openHidScanner(0x0c2e, 0x0b61, () => {}, fakeHid([])), (e) => e instanceof KopilkaError && e.code === 'DEVICE' && /No USB scanner 0c2e:0b61/.test(e.message));
  });
});

describe('device discovery', () => {
  it('runs on this machine without crashing (real serialport, node-hid, lpstat)', async () => {
    const r = await discoverDevices();
    assert.ok(Array.isArray(r.serial.items));
    assert.ok(Array.isArray(r.hid.items));
    assert.ok(Array.isArray(r.queues.items));
    for (const h of r.hid.items) assert.match(h.uri, /^hid:[0-9a-f]{4}:[0-9a-f]{4}$/);
  });

  it('without udevadm on PATH the serial list says to install udev (real failure, child process)', () => {
    const code = `import { listSerial } from './native/devices/discovery.ts'; listSerial().then((r) => process.stdout.write(JSON.stringify(r)));`;
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, env: { ...process.env, PATH: '/nonexistent' }, encoding: 'utf8', timeout: 20_000 });
    const out = JSON.parse(res.stdout) as { items: unknown[]; problem?: string };
    assert.deepEqual(out.items, []);
    assert.match(out.problem ?? '', /apt-get install udev/);
  });

  it('a missing libusb becomes an install hint, not a crash', async () => {
    const r = await listHid(async () => { throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory'); });
    assert.deepEqual(r.items, []);
    assert.match(r.problem ?? '', /apt-get install libusb-1.0-0/);
    assert.match(explainHidLoadError(new Error('boom')), /keyboard and serial scanners still work/);
  });
});

describe('virtual scanner (stdin:)', () => {
  it('one event per line', async () => {
    const input = new PassThrough();
    const got: ScanEvent[] = [];
    const h = await openScanner('stdin:', (e) => got.push(e), { stdin: input });
    input.end('4601234567893\n\nGC-77\r\n');
    await (h as unknown as { done: Promise<void> }).done;
    assert.deepEqual(got, [
      { source: 'virtual', symbology: 'ean13', data: '4601234567893' },
      { source: 'virtual', symbology: 'code128', data: 'GC-77' },
    ]);
  });
});
