import { z } from 'zod';
import { channel } from '../define';
import { Empty, Id, IsoDateTime, Session } from '../common';

/**
 * Receipt printer and scanners: settings, test print, reprint, the print queue (what waits
 * and why), a preview of any printed job rendered from its bytes, device discovery, and scan
 * routing. Device URIs are the strings of native/devices/uri.ts (tcp://, serial:, usb:,
 * queue:, virtual:, hid:, stdin:).
 */
export const PrinterFault = z.enum(['paper_out', 'cover_open', 'offline', 'error']);

export const PrinterSettingsSchema = z.object({
  uri: z.string(),
  profile: z.string(),
  qrTemplate: z.string(),
  drawer: z.enum(['auto', 'never']),
  checkStatus: z.boolean(),
  autoPrint: z.boolean(),
});

export const PrinterProfileSchema = z.object({
  name: z.string(),
  description: z.string(),
  paper: z.union([z.literal(58), z.literal(80)]),
  columns: z.number().int(),
  codepage: z.string(),
  codepageNumber: z.number().int(),
  nativeQr: z.boolean(),
});

export const PrintJobSchema = z.object({
  id: Id,
  kind: z.enum(['sale', 'refund', 'x_report', 'z_report', 'report', 'test']),
  ref: z.string().nullable(),
  copy: z.boolean(),
  printerUri: z.string(),
  profile: z.string(),
  state: z.enum(['pending', 'printed', 'cancelled']),
  attempts: z.number().int().min(0),
  lastFault: PrinterFault.nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoDateTime,
  printedAt: IsoDateTime.nullable(),
  bytes: z.number().int().min(0),
});

export const PrintOutcomeSchema = z.object({
  printed: z.boolean(),
  job: PrintJobSchema,
  /** For the cashier when not printed: why, and that the job waits in the queue. */
  message: z.string().nullable(),
  fault: PrinterFault.nullable(),
});

export const QueueStatusSchema = z.object({
  pending: z.array(PrintJobSchema),
  blockedBy: z.object({ fault: PrinterFault.nullable(), message: z.string() }).nullable(),
  lastPrinted: PrintJobSchema.nullable(),
});

const Found = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), problem: z.string().optional() });
export const DeviceReportSchema = z.object({
  serial: Found(z.object({ uri: z.string(), path: z.string(), manufacturer: z.string().optional(), vendorId: z.string().optional(), productId: z.string().optional() })),
  hid: Found(z.object({ uri: z.string(), vendorId: z.number().int(), productId: z.number().int(), product: z.string().optional(), manufacturer: z.string().optional(), usagePage: z.number().int().optional(), posScanner: z.boolean() })),
  usbPrinters: Found(z.object({ uri: z.string(), path: z.string() })),
  queues: Found(z.object({ uri: z.string(), name: z.string() })),
});

export const Symbology = z.enum(['ean13', 'ean8', 'upca', 'upce', 'code128', 'gs1-128', 'code39', 'itf', 'qr', 'datamatrix', 'pdf417', 'databar', 'unknown']);
export const ScanEventSchema = z.object({
  source: z.enum(['wedge', 'serial', 'hid', 'camera', 'virtual']),
  symbology: Symbology,
  data: z.string().min(1).max(4096),
  aim: z.string().optional(),
});
export const ScanRouteSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('product'), code: z.string(), maybeMember: z.boolean() }),
  z.object({ kind: z.literal('member'), code: z.string() }),
  z.object({ kind: z.literal('coupon'), code: z.string() }),
  z.object({ kind: z.literal('gift'), code: z.string() }),
  z.object({ kind: z.literal('unknown'), code: z.string(), reason: z.string() }),
]);

const Target = z.object({ printerUri: z.string().max(300).optional(), profile: z.string().max(64).optional() });

export const devicesChannels = {
  'printer.settings.get': channel(
    Empty,
    z.object({ settings: PrinterSettingsSchema, effectiveUri: z.string(), profiles: z.array(PrinterProfileSchema) }),
    'This terminal’s printer settings, the address actually used ("" = virtual printer) and the profiles to choose from.',
  ),
  'printer.settings.set': channel(
    PrinterSettingsSchema.partial().extend({ session: Session }),
    z.object({ settings: PrinterSettingsSchema, effectiveUri: z.string() }),
    'Change the printer address, profile, QR template, drawer or status checks (manager).',
    { manager: true },
  ),
  'printer.test': channel(Target, PrintOutcomeSchema, 'Print the test receipt (Cyrillic, ₽, QR, loyalty block) on the configured or given printer.'),
  'printer.reprintLast': channel(Empty, PrintOutcomeSchema, 'Reprint the last customer receipt as a copy; the sale is only read.'),
  'printer.queue': channel(Empty, QueueStatusSchema, 'Receipts waiting for the printer and why the first one waits.'),
  'printer.retry': channel(Empty, z.object({ printed: z.array(Id), message: z.string().nullable() }), 'Try the waiting receipts again now.'),
  'printer.cancel': channel(z.object({ session: Session, jobId: Id }), PrintJobSchema, 'Drop a waiting receipt (manager).', { manager: true }),
  'printer.preview': channel(
    z.object({ jobId: Id }),
    z.object({ png: z.string(), width: z.number().int(), height: z.number().int(), text: z.array(z.string()) }),
    'A PNG (base64) of a print job rendered from its ESC/POS bytes, and its text lines.',
  ),
  'devices.discover': channel(Empty, DeviceReportSchema, 'Serial ports, HID devices, USB printers and print queues; `problem` says what to install.'),
  'scan.route': channel(ScanEventSchema, ScanRouteSchema, 'Where a scan goes: product → cart, member card/QR → identify, coupon or gift code → apply.'),
  'scanner.sources': channel(Empty, z.array(z.object({ uri: z.string(), state: z.enum(['ready', 'error']), detail: z.string() })), 'Device scanners (serial/HID/virtual) the backend is listening to.'),
  'scanner.listen': channel(z.object({ session: Session, uri: z.string().max(300) }), z.object({ uri: z.string() }), 'Start listening to a serial or HID scanner (manager).', { manager: true }),
  'scanner.stop': channel(z.object({ session: Session, uri: z.string().max(300) }), z.object({ stopped: z.boolean() }), 'Stop listening to a device scanner (manager).', { manager: true }),
} as const;

export const devicesEvents = {
  /** Every device-scanner scan, typed and routed (wedge and camera scans stay in the renderer). */
  'scan.event': ScanEventSchema.extend({ route: ScanRouteSchema, at: IsoDateTime }),
  'printer.queue': QueueStatusSchema,
} as const;
