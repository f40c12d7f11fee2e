import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { KopilkaError, fail } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import { ByteReader } from '../devices/byte-reader';
import { formatDeviceUri, parseDeviceUri, type DeviceUri } from '../devices/uri';
import { renderPreview } from './preview';
import { checkWindowsPrinterName, printViaSpooler } from './winspool';
import {
  DLE_EOT_OFFLINE_CAUSE,
  DLE_EOT_PAPER,
  DLE_EOT_PRINTER,
  faultMessage,
  parseStatus,
  statusAnswer,
  type PrinterFault,
  type PrinterStatus,
} from './status';

const log = createLogger('printer');

/**
 * A connection to one printer for one job. Two-way transports (TCP, serial, virtual) can
 * answer DLE EOT status queries; one-way ones (USB device file, OS queue) cannot, so for them
 * a fault shows up only as a failed write.
 */
export interface PrinterConnection {
  readonly uri: string;
  readonly twoWay: boolean;
  status(timeoutMs?: number): Promise<PrinterStatus>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export type OpenOptions = Readonly<{
  connectTimeoutMs?: number;
  /** Dots across the paper, for the virtual printer's preview. */
  dots?: number;
}>;

export function deviceError(uri: string, fault: PrinterFault, detail?: string): KopilkaError {
  return new KopilkaError('DEVICE', faultMessage(fault), { fault, uri, ...(detail ? { detail } : {}) });
}

export async function openPrinter(uri: string, opts: OpenOptions = {}): Promise<PrinterConnection> {
  const d = parseDeviceUri(uri);
  switch (d.kind) {
    case 'tcp':
      return openTcp(d, opts);
    case 'serial':
      return openSerial(d);
    case 'usb':
      return openUsbFile(d);
    case 'queue':
      return openQueue(d);
    case 'virtual':
      return openVirtual(d, opts);
    case 'hid':
    case 'stdin':
      return fail('VALIDATION', `${uri} is a scanner address, not a printer`);
    default: {
      const never: never = d;
      return never;
    }
  }
}

async function queryStatus(reader: ByteReader, send: (b: Uint8Array) => Promise<void>, timeoutMs: number): Promise<PrinterStatus> {
  reader.clear();
  const answers: number[] = [];
  for (const q of [DLE_EOT_PRINTER, DLE_EOT_OFFLINE_CAUSE, DLE_EOT_PAPER]) {
    await send(q);
    const [b] = await reader.read(1, timeoutMs, `DLE EOT ${q[2]}`);
    answers.push(b!);
  }
  return parseStatus(answers[0]!, answers[1]!, answers[2]!);
}

function openTcp(d: Extract<DeviceUri, { kind: 'tcp' }>, opts: OpenOptions): Promise<PrinterConnection> {
  const uri = formatDeviceUri(d);
  return new Promise((resolve, reject) => {
    const reader = new ByteReader();
    const sock: Socket = connect({ host: d.host, port: d.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(deviceError(uri, 'offline', 'connect timeout'));
    }, opts.connectTimeoutMs ?? 3000);
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(deviceError(uri, 'offline', e.message));
    });
    sock.on('data', (c: Buffer) => reader.push(c));
    sock.on('close', () => reader.close(new Error('connection closed by printer')));
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      sock.on('error', (e) => {
        log.warn(`${uri}: ${e.message}`);
        reader.close(e);
      });
      sock.setNoDelay(true);
      const send = (b: Uint8Array) =>
        new Promise<void>((res, rej) => sock.write(b, (err) => (err ? rej(deviceError(uri, 'offline', err.message)) : res())));
      resolve({
        uri,
        twoWay: true,
        status: (t = 1500) => queryStatus(reader, send, t).catch((e: Error) => Promise.reject(e instanceof KopilkaError ? e : deviceError(uri, 'offline', e.message))),
        write: send,
        close: () => new Promise<void>((res) => { sock.end(() => res()); setTimeout(() => { sock.destroy(); res(); }, 1000).unref(); }),
      });
    });
  });
}

async function openSerial(d: Extract<DeviceUri, { kind: 'serial' }>): Promise<PrinterConnection> {
  const uri = formatDeviceUri(d);
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path: d.path, baudRate: d.baud, rtscts: d.flow === 'rtscts', xon: d.flow === 'xonxoff', xoff: d.flow === 'xonxoff', autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(deviceError(uri, 'offline', e.message)) : res())));
  const reader = new ByteReader();
  port.on('data', (c: Buffer) => reader.push(c));
  port.on('close', () => reader.close(new Error('serial port closed')));
  const send = (b: Uint8Array) =>
    new Promise<void>((res, rej) => {
      port.write(Buffer.from(b), (e) => {
        if (e) return rej(deviceError(uri, 'offline', e.message));
        port.drain((e2) => (e2 ? rej(deviceError(uri, 'offline', e2.message)) : res()));
      });
    });
  return {
    uri,
    twoWay: true,
    status: (t = 1500) => queryStatus(reader, send, t).catch((e: Error) => Promise.reject(e instanceof KopilkaError ? e : deviceError(uri, 'offline', e.message))),
    write: send,
    close: () => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())),
  };
}

async function openUsbFile(d: Extract<DeviceUri, { kind: 'usb' }>): Promise<PrinterConnection> {
  const uri = formatDeviceUri(d);
  const fh = await openFile(d.path, 'a').catch((e: NodeJS.ErrnoException) => {
    const hint = e.code === 'EACCES' ? ' (add this user to the "lp" group)' : '';
    throw deviceError(uri, 'offline', `${e.code ?? e.message}${hint}`);
  });
  return {
    uri,
    twoWay: false,
    status: () => Promise.reject(new KopilkaError('DEVICE', 'This printer connection is one-way: status is not available', { uri })),
    write: async (b) => {
      // The usblp driver blocks or fails writes when the printer is out of paper or offline.
      await fh.write(b).catch((e: Error) => { throw deviceError(uri, 'offline', e.message); });
    },
    close: () => fh.close(),
  };
}

function openQueue(d: Extract<DeviceUri, { kind: 'queue' }>): Promise<PrinterConnection> {
  const uri = formatDeviceUri(d);
  const chunks: Uint8Array[] = [];
  if (process.platform === 'win32') {
    // Checked now, so a bad name fails at open and not after the job was accepted.
    checkWindowsPrinterName(d.name);
    return Promise.resolve({
      uri,
      twoWay: false,
      status: () => Promise.reject(new KopilkaError('DEVICE', 'Status is not available through the Windows spooler', { uri })),
      write: async (b) => {
        chunks.push(b);
      },
      // One spooler job per receipt, like lp below.
      close: () => printViaSpooler(d.name, Buffer.concat(chunks), uri),
    });
  }
  if (!/^[A-Za-z0-9_.@-]{1,127}$/.test(d.name)) {
    return Promise.reject(new KopilkaError('VALIDATION', `"${d.name}" is not a CUPS queue name: CUPS names hold only letters, digits, _ . @ - (see lpstat -e)`, { uri }));
  }
  return Promise.resolve({
    uri,
    twoWay: false,
    status: () => Promise.reject(new KopilkaError('DEVICE', 'Status is not available through the OS print queue', { uri })),
    write: async (b) => {
      chunks.push(b);
    },
    // The whole job goes to `lp` on close: one spooler job per receipt.
    close: () =>
      new Promise<void>((resolve, reject) => {
        const lp = spawn(process.env.KOPILKA_LP ?? 'lp', ['-d', d.name, '-o', 'raw', '-s'], { stdio: ['pipe', 'ignore', 'pipe'] });
        let err = '';
        lp.stderr.on('data', (c: Buffer) => (err += c.toString()));
        lp.on('error', (e: NodeJS.ErrnoException) =>
          reject(new KopilkaError('DEVICE', e.code === 'ENOENT' ? 'The "lp" command is missing: install CUPS (apt-get install cups-client)' : e.message, { uri })),
        );
        lp.on('close', (code) => (code === 0 ? resolve() : reject(deviceError(uri, 'offline', err.trim() || `lp exited with ${code}`))));
        lp.stdin.on('error', () => {});
        lp.stdin.end(Buffer.concat(chunks));
      }),
  });
}

/** The virtual printer's fault switch: write "paper_out" etc. into DIR/STATUS (or delete it). */
export function virtualFault(dir: string): PrinterFault | null {
  const f = join(dir, 'STATUS');
  if (!existsSync(f)) return null;
  const s = readFileSync(f, 'utf8').trim();
  return s === 'paper_out' || s === 'cover_open' || s === 'offline' || s === 'error' ? s : null;
}

function openVirtual(d: Extract<DeviceUri, { kind: 'virtual' }>, opts: OpenOptions): Promise<PrinterConnection> {
  const uri = formatDeviceUri(d);
  mkdirSync(d.dir, { recursive: true });
  const chunks: Uint8Array[] = [];
  return Promise.resolve({
    uri,
    twoWay: true,
    status: async () => {
      const fault = virtualFault(d.dir);
      if (fault === 'offline') throw deviceError(uri, 'offline');
      return parseStatus(statusAnswer(1, fault), statusAnswer(2, fault), statusAnswer(4, fault));
    },
    write: async (b) => {
      const fault = virtualFault(d.dir);
      if (fault) throw deviceError(uri, fault);
      chunks.push(b);
    },
    close: async () => {
      if (!chunks.length) return;
      const bytes = Buffer.concat(chunks);
      const n = readdirSync(d.dir).filter((f) => /^job-\d+\.bin$/.test(f)).length + 1;
      const base = join(d.dir, `job-${String(n).padStart(6, '0')}`);
      writeFileSync(`${base}.bin`, bytes);
      const pv = renderPreview(bytes, { dots: opts.dots ?? 576 });
      writeFileSync(`${base}.png`, pv.png);
      writeFileSync(`${base}.txt`, pv.text.join('\n') + '\n');
      log.info(`virtual printer: stored ${base}.bin (${bytes.length} bytes) and preview ${base}.png`);
    },
  });
}

export type PrintResult = Readonly<{ uri: string; bytes: number; status: PrinterStatus | null; ms: number }>;

/**
 * Send one job: check status first where the transport can answer (so a job never goes
 * into a printer that is out of paper), write, close. Throws KopilkaError('DEVICE') with
 * details.fault on any fault, leaving the caller (the print queue) to keep the job.
 */
export type PrintOptions = OpenOptions &
  Readonly<{
    statusTimeoutMs?: number;
    /** Ask DLE EOT before printing (default true); turn off for printers that never answer. */
    checkStatus?: boolean;
  }>;

export async function printBytes(uri: string, bytes: Uint8Array, opts: PrintOptions = {}): Promise<PrintResult> {
  const t0 = performance.now();
  const conn = await openPrinter(uri, opts);
  let status: PrinterStatus | null = null;
  try {
    if (conn.twoWay && opts.checkStatus !== false) {
      status = await conn.status(opts.statusTimeoutMs);
      if (status.fault) throw deviceError(conn.uri, status.fault);
    }
    await conn.write(bytes);
  } catch (e) {
    await conn.close().catch(() => {});
    throw e;
  }
  await conn.close();
  return { uri: conn.uri, bytes: bytes.length, status, ms: Math.round(performance.now() - t0) };
}
