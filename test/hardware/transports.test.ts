import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SerialPort } from 'serialport';
import { KopilkaError } from '../../core/util/errors';
import { ByteReader } from '../../native/devices/byte-reader';
import { formatDeviceUri, parseDeviceUri } from '../../native/devices/uri';
import { layoutReceipt } from '../../native/printer/layout';
import { getProfile } from '../../native/printer/profiles';
import { sampleSaleReceipt } from '../../native/printer/sample';
import { openPrinter, printBytes } from '../../native/printer/transports';
import { textLines, tokenize } from './escpos-tokenizer';
import { epsonStatusByte, startFakePrinter } from './fake-printer';
import { ptyPair } from './pty';

const profile = getProfile('epson-80');
const receipt = layoutReceipt(sampleSaleReceipt(), profile).bytes;
let tmp: string;
before(() => { tmp = mkdtempSync(join(tmpdir(), 'kopilka-transport-')); });
after(() => rmSync(tmp, { recursive: true, force: true }));

function isDevice(e: unknown, fault: string): boolean {
  return e instanceof KopilkaError && e.code === 'DEVICE' && (e.details as { fault?: string } | undefined)?.fault === fault;
}

describe('device URIs', () => {
  it('parses and formats every scheme in one place', () => {
    const cases: [string, string][] = [
      ['tcp://192.168.1.50:9100', 'tcp://192.168.1.50:9100'],
      ['tcp://printer.local', 'tcp://printer.local:9100'],
      ['serial:/dev/ttyUSB0?baud=38400', 'serial:/dev/ttyUSB0?baud=38400'],
      ['serial:COM3?baud=9600&flow=rtscts', 'serial:COM3?baud=9600&flow=rtscts'],
      ['usb:/dev/usb/lp0', 'usb:/dev/usb/lp0'],
      ['queue:RECEIPT', 'queue:RECEIPT'],
      ['virtual:/tmp/prints', 'virtual:/tmp/prints'],
      ['hid:0C2E:b61', 'hid:0c2e:0b61'],
    ];
    for (const [input, out] of cases) assert.equal(formatDeviceUri(parseDeviceUri(input)), out);
    assert.deepEqual(parseDeviceUri('hid:0c2e:0b61'), { kind: 'hid', vendorId: 0x0c2e, productId: 0x0b61 });
  });
  it('refuses bad addresses with a message that shows examples', () => {
    for (const bad of ['', 'lpt1', 'tcp://', 'tcp://host:99999', 'serial:/dev/ttyS0?baud=12345', 'serial:/dev/x?speed=9600', 'usb:lp0', 'queue:a b', 'hid:zz:1', 'ftp://x']) {
      assert.throws(() => parseDeviceUri(bad), (e: unknown) => e instanceof KopilkaError && e.code === 'VALIDATION' && /Examples: tcp:\/\//.test(e.message), bad);
    }
  });
});

describe('ByteReader: status answers arriving one byte at a time', () => {
  it('assembles split chunks and times out with a clear message', async () => {
    const r = new ByteReader();
    const p = r.read(3, 1000, 'test');
    r.push(Uint8Array.of(1));
    setTimeout(() => r.push(Uint8Array.of(2)), 5);
    setTimeout(() => r.push(Uint8Array.of(3, 4)), 10);
    assert.deepEqual([...(await p)], [1, 2, 3]);
    assert.deepEqual([...(await r.read(1, 100, 'rest'))], [4]);
    await assert.rejects(r.read(1, 30, 'DLE EOT 1'), /no answer to DLE EOT 1 within 30 ms/);
  });
});

describe('TCP 9100 transport against a loopback printer', () => {
  it('checks status (DLE EOT 1,2,4) then delivers exactly the encoded bytes', async () => {
    const fp = await startFakePrinter({ answerDelayMs: 5 });
    try {
      const r = await printBytes(fp.uri, receipt);
      assert.equal(r.status?.fault, null);
      assert.deepEqual(fp.queries, [1, 2, 4]);
      await waitFor(() => fp.received().length >= receipt.length);
      assert.deepEqual(new Uint8Array(fp.received()), receipt);
      assert.ok(textLines(tokenize(fp.received()), 48).some((l) => l.includes('Кофейня')));
    } finally {
      await fp.close();
    }
  });
  for (const fault of ['paper_out', 'cover_open', 'error'] as const) {
    it(`${fault}: refuses before sending any print data`, async () => {
      const fp = await startFakePrinter();
      fp.fault = fault;
      try {
        await assert.rejects(printBytes(fp.uri, receipt), (e) => isDevice(e, fault));
        await new Promise((r) => setTimeout(r, 30));
        assert.equal(fp.received().length, 0);
      } finally {
        await fp.close();
      }
    });
  }
  it('nothing listening → offline', async () => {
    const fp = await startFakePrinter();
    const uri = fp.uri;
    await fp.close();
    await assert.rejects(printBytes(uri, receipt), (e) => isDevice(e, 'offline'));
  });
  it('a printer that never answers status → offline after the timeout (or prints with checkStatus off)', async () => {
    const fp = await startFakePrinter({ silent: true });
    try {
      await assert.rejects(printBytes(fp.uri, receipt, { statusTimeoutMs: 100 }), (e) => isDevice(e, 'offline'));
      await printBytes(fp.uri, receipt, { checkStatus: false });
      await waitFor(() => fp.received().length >= receipt.length);
      assert.deepEqual(new Uint8Array(fp.received()), receipt);
    } finally {
      await fp.close();
    }
  });
});

describe('serial transport over a socat PTY pair', () => {
  it('status bytes come back one at a time; the printer end receives the receipt', async () => {
    const pty = await ptyPair();
    const device = new SerialPort({ path: pty.b, baudRate: 38400, autoOpen: false });
    await new Promise<void>((res, rej) => device.open((e) => (e ? rej(e) : res())));
    const got: number[] = [];
    const queries: number[] = [];
    let fault: 'paper_out' | null = null;
    device.on('data', (c: Buffer) => {
      for (let i = 0; i < c.length; i++) {
        // Collect everything; answer DLE EOT n byte by byte with a small gap.
        got.push(c[i]!);
        const n = got.length;
        if (n >= 3 && got[n - 3] === 0x10 && got[n - 2] === 0x04) {
          queries.push(got[n - 1]!);
          got.length -= 3;
          const b = epsonStatusByte(queries.at(-1)!, fault);
          setTimeout(() => device.write(Buffer.of(b)), 4);
        }
      }
    });
    try {
      const uri = `serial:${pty.a}?baud=38400`;
      await printBytes(uri, receipt);
      await waitFor(() => got.length >= receipt.length);
      assert.deepEqual(Uint8Array.from(got), receipt);
      assert.deepEqual(queries, [1, 2, 4]);
      fault = 'paper_out';
      got.length = 0;
      await assert.rejects(printBytes(uri, receipt), (e) => isDevice(e, 'paper_out'));
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(got.length, 0);
    } finally {
      await new Promise<void>((res) => device.close(() => res()));
      await pty.close();
    }
  });
  it('a missing port → offline with the OS reason', async () => {
    await assert.rejects(printBytes('serial:/dev/ttyKOPILKA-none?baud=9600', receipt), (e) => isDevice(e, 'offline'));
  });
});

describe('USB printer device file, OS queue and virtual printer', () => {
  it('usb: appends raw bytes to the device file; a missing device → offline', async () => {
    const dev = join(tmp, 'lp0');
    writeFileSync(dev, '');
    const r = await printBytes(`usb:${dev}`, receipt);
    assert.equal(r.status, null, 'one-way: no status');
    assert.deepEqual(new Uint8Array(readFileSync(dev)), receipt);
    await assert.rejects(printBytes(`usb:${join(tmp, 'nope', 'lp9')}`, receipt), (e) => isDevice(e, 'offline'));
  });

  it('queue: the real `lp` refuses an unknown queue and that becomes a DEVICE error with its reason', async () => {
    await assert.rejects(printBytes('queue:KOPILKA_NO_SUCH_QUEUE', receipt), (e) => e instanceof KopilkaError && e.code === 'DEVICE' && /lp|printer|scheduler/i.test(String((e.details as { detail?: string })?.detail ?? e.message)));
  });

  it('queue: sends one raw job to lp -d NAME -o raw with the bytes on stdin', async () => {
    // A recording stand-in for lp (set through KOPILKA_LP), to check arguments and payload exactly.
    const out = join(tmp, 'lp-out');
    const script = join(tmp, 'lp.sh');
    writeFileSync(script, `#!/bin/sh\necho "$@" > ${out}.args\ncat > ${out}.bin\n`);
    chmodSync(script, 0o755);
    process.env.KOPILKA_LP = script;
    try {
      await printBytes('queue:RECEIPT', receipt);
    } finally {
      delete process.env.KOPILKA_LP;
    }
    assert.equal(readFileSync(`${out}.args`, 'utf8').trim(), '-d RECEIPT -o raw -s');
    assert.deepEqual(new Uint8Array(readFileSync(`${out}.bin`)), receipt);
  });

  it('virtual: stores the job, a PNG preview rendered from the bytes and its text; STATUS file simulates faults', async () => {
    const dir = join(tmp, 'virtual');
    await printBytes(`virtual:${dir}`, receipt, { dots: profile.dots });
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['job-000001.bin', 'job-000001.png', 'job-000001.txt']);
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'job-000001.bin'))), receipt);
    assert.deepEqual([...readFileSync(join(dir, 'job-000001.png')).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    assert.match(readFileSync(join(dir, 'job-000001.txt'), 'utf8'), /ИТОГО\s+756,50/);
    writeFileSync(join(dir, 'STATUS'), 'cover_open');
    await assert.rejects(printBytes(`virtual:${dir}`, receipt), (e) => isDevice(e, 'cover_open'));
    const conn = await openPrinter(`virtual:${dir}`);
    assert.equal((await conn.status()).coverOpen, true);
    await conn.close();
    assert.equal(existsSync(join(dir, 'job-000002.bin')), false);
  });
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
