import { z } from 'zod';
import { defineSetting, getSetting, setSetting } from '../db/settings';
import type { Db } from '../db/types';
import { parseDeviceUri, isPrinterUri } from '../../native/devices/uri';
import { PROFILES, DEFAULT_PROFILE } from '../../native/printer/profiles';

/**
 * Per-terminal printer settings, stored in the shared `settings` table. The printer address is
 * a device URI (native/devices/uri.ts); '' means the embedded virtual printer next to the
 * database, so a terminal with no hardware still "prints" and shows previews.
 */
const printerUri = z.string().max(300).refine((s) => s === '' || isPrinterUri(safeParse(s)), 'not a printer address (tcp://, serial:, usb:, queue:, virtual:)');
function safeParse(s: string) {
  try {
    return parseDeviceUri(s);
  } catch {
    return { kind: 'stdin' } as const;
  }
}

defineSetting('printer.uri', printerUri, '', 'Receipt printer address; empty = virtual printer in the data folder');
defineSetting('printer.profile', z.string().refine((s) => PROFILES.has(s), 'unknown printer profile'), DEFAULT_PROFILE, 'Printer profile: paper width, code page and vendor');
defineSetting('printer.qrTemplate', z.string().max(300), '', 'URL printed as a QR code on receipts; {receipt}, {sale}, {total}, {terminal} are filled in. Empty = no QR');
defineSetting('printer.drawer', z.enum(['auto', 'never']), 'auto', 'Open the cash drawer on cash sales');
defineSetting('printer.checkStatus', z.boolean(), true, 'Ask the printer for paper/cover status before each receipt');
defineSetting('printer.autoPrint', z.boolean(), true, 'Print a receipt after every sale');

export type PrinterSettings = Readonly<{
  uri: string;
  profile: string;
  qrTemplate: string;
  drawer: 'auto' | 'never';
  checkStatus: boolean;
  autoPrint: boolean;
}>;

export function readPrinterSettings(db: Db): PrinterSettings {
  return {
    uri: getSetting<string>(db, 'printer.uri'),
    profile: getSetting<string>(db, 'printer.profile'),
    qrTemplate: getSetting<string>(db, 'printer.qrTemplate'),
    drawer: getSetting<'auto' | 'never'>(db, 'printer.drawer'),
    checkStatus: getSetting<boolean>(db, 'printer.checkStatus'),
    autoPrint: getSetting<boolean>(db, 'printer.autoPrint'),
  };
}

export function writePrinterSettings(db: Db, patch: Partial<PrinterSettings>): PrinterSettings {
  db.transaction(() => {
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) setSetting(db, `printer.${k}`, v);
  })();
  return readPrinterSettings(db);
}
