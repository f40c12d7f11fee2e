import { fail } from '../../core/util/errors';

/**
 * Device URIs — the one place they are parsed. The settings screen, the CLI (`--printer`,
 * `--source`) and the print queue all store these strings:
 *   tcp://HOST[:PORT]            network printer (raw port 9100)
 *   serial:/dev/ttyUSB0?baud=38400[&flow=rtscts|xonxoff]   RS-232 / USB virtual COM (printer or scanner)
 *   usb:/dev/usb/lp0             Linux USB printer-class device file
 *   queue:NAME                   OS print queue in raw mode (CUPS `lp -o raw`; the Windows spooler, RAW
 *                                datatype). A Windows name's spaces and other characters are %-encoded:
 *                                queue:EPSON%20TM-T20III%20Receipt
 *   virtual:DIR                  virtual printer: stores each job + a PNG preview in DIR
 *   hid:VID:PID                  USB HID POS scanner (hex ids, e.g. hid:0c2e:0b61)
 *   stdin:                       scanner lines typed/piped on standard input (virtual scanner)
 */
export type DeviceUri =
  | Readonly<{ kind: 'tcp'; host: string; port: number }>
  | Readonly<{ kind: 'serial'; path: string; baud: number; flow: 'none' | 'rtscts' | 'xonxoff' }>
  | Readonly<{ kind: 'usb'; path: string }>
  | Readonly<{ kind: 'queue'; name: string }>
  | Readonly<{ kind: 'virtual'; dir: string }>
  | Readonly<{ kind: 'hid'; vendorId: number; productId: number }>
  | Readonly<{ kind: 'stdin' }>;

const BAUDS = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400]);

function bad(uri: string, why: string): never {
  fail('VALIDATION', `Device address "${uri}" is not valid: ${why}. Examples: tcp://192.168.1.50:9100, serial:/dev/ttyUSB0?baud=38400, usb:/dev/usb/lp0, queue:RECEIPT, virtual:/tmp/prints, hid:0c2e:0b61`);
}

export function parseDeviceUri(uri: string): DeviceUri {
  const s = uri.trim();
  const colon = s.indexOf(':');
  if (colon <= 0) bad(s, 'it has no scheme');
  const scheme = s.slice(0, colon).toLowerCase();
  const rest = s.slice(colon + 1);
  switch (scheme) {
    case 'tcp': {
      const m = /^\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(rest);
      if (!m) bad(s, 'expected tcp://HOST:PORT');
      const port = m[2] ? Number(m[2]) : 9100;
      if (port < 1 || port > 65535) bad(s, 'port must be 1–65535');
      return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
    }
    case 'serial': {
      const [path, query = ''] = rest.split('?', 2) as [string, string?];
      if (!path) bad(s, 'no port path');
      const params = new URLSearchParams(query);
      for (const k of params.keys()) if (k !== 'baud' && k !== 'flow') bad(s, `unknown option "${k}"`);
      const baud = params.has('baud') ? Number(params.get('baud')) : 9600;
      if (!BAUDS.has(baud)) bad(s, `baud must be one of ${[...BAUDS].join(', ')}`);
      const flow = (params.get('flow') ?? 'none') as 'none' | 'rtscts' | 'xonxoff';
      if (!['none', 'rtscts', 'xonxoff'].includes(flow)) bad(s, 'flow must be none, rtscts or xonxoff');
      return { kind: 'serial', path, baud, flow };
    }
    case 'usb':
      if (!rest.startsWith('/') && !/^[A-Za-z]:/.test(rest)) bad(s, 'expected a device file such as usb:/dev/usb/lp0');
      return { kind: 'usb', path: rest };
    case 'queue': {
      if (!/^(?:[A-Za-z0-9_.@()\\#+-]|%[0-9A-Fa-f]{2})+$/.test(rest)) bad(s, 'queue name may contain letters, digits, _ . @ - ( ) \\ # + and %-encoded characters (%20 for a space)');
      let name: string;
      try {
        name = decodeURIComponent(rest);
      } catch {
        return bad(s, 'the %-encoding of the queue name is broken');
      }
      if (name.length > 220 || /[\x00-\x1f\x7f]/.test(name)) bad(s, 'queue name is too long or holds control characters');
      return { kind: 'queue', name };
    }
    case 'virtual':
      if (!rest) bad(s, 'expected virtual:DIRECTORY');
      return { kind: 'virtual', dir: rest };
    case 'hid': {
      const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(rest);
      if (!m) bad(s, 'expected hid:VID:PID in hex');
      return { kind: 'hid', vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16) };
    }
    case 'stdin':
      return { kind: 'stdin' };
    default:
      return bad(s, `unknown scheme "${scheme}"`);
  }
}

export function formatDeviceUri(d: DeviceUri): string {
  switch (d.kind) {
    case 'tcp':
      return `tcp://${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`;
    case 'serial':
      return `serial:${d.path}?baud=${d.baud}${d.flow === 'none' ? '' : `&flow=${d.flow}`}`;
    case 'usb':
      return `usb:${d.path}`;
    case 'queue':
      return `queue:${d.name.replace(/[^A-Za-z0-9_.@()\\#+-]/gu, (c) => encodeURIComponent(c))}`;
    case 'virtual':
      return `virtual:${d.dir}`;
    case 'hid':
      return `hid:${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}`;
    case 'stdin':
      return 'stdin:';
    default: {
      const never: never = d;
      return never;
    }
  }
}

export function isPrinterUri(d: DeviceUri): boolean {
  return d.kind === 'tcp' || d.kind === 'serial' || d.kind === 'usb' || d.kind === 'queue' || d.kind === 'virtual';
}
