import type { Handlers } from '../../../core/contract';
import { routeScan } from '../../../core/scan/router';
import { KopilkaError, fail } from '../../../core/util/errors';
import { createLogger } from '../../../core/util/logger';
import { discoverDevices } from '../../../native/devices/discovery';
import { formatDeviceUri, parseDeviceUri } from '../../../native/devices/uri';
import { renderPreview } from '../../../native/printer/preview';
import { PROFILES, getProfile, listProfiles } from '../../../native/printer/profiles';
import { openScanner } from '../../../native/scanner/open';
import type { ScannerHandle } from '../../../native/scanner/serial-scanner';
import {
  cancelJob,
  effectivePrinterUri,
  getJob,
  jobBytes,
  printTest,
  processQueue,
  queueStatus,
  readPrinterSettings,
  reprintLastReceipt,
  writePrinterSettings,
  type PrintOutcome,
} from '../../printing/index';
import type { ApiDeps } from '../deps';

const log = createLogger('devices');

type DeviceChannels =
  | 'printer.settings.get' | 'printer.settings.set' | 'printer.test' | 'printer.reprintLast' | 'printer.queue'
  | 'printer.retry' | 'printer.cancel' | 'printer.preview' | 'devices.discover' | 'scan.route'
  | 'scanner.sources' | 'scanner.listen' | 'scanner.stop';

/** Printer and scanner channels over backend/printing and native/. */
export function devicesHandlers(deps: ApiDeps): Pick<Handlers, DeviceChannels> {
  const { db } = deps;
  const sources = new Map<string, { handle: ScannerHandle | null; state: 'ready' | 'error'; detail: string }>();
  const outcome = (o: PrintOutcome) => ({ printed: o.printed, job: o.job, message: o.printed ? null : o.result.message, fault: o.result.fault });
  const pushQueue = () => {
    const q = queueStatus(db);
    deps.emit('printer.queue', { ...q, pending: [...q.pending], blockedBy: q.blockedBy ? { ...q.blockedBy } : null });
  };
  return {
    'printer.settings.get': () => {
      const settings = readPrinterSettings(db);
      return { settings, effectiveUri: effectivePrinterUri(db, settings), profiles: listProfiles().map(({ name, description, paper, columns, codepage, codepageNumber, nativeQr }) => ({ name, description, paper, columns, codepage, codepageNumber, nativeQr })) };
    },
    'printer.settings.set': ({ session, ...patch }) => {
      deps.sessions.require(session);
      if (patch.uri) patch.uri = formatDeviceUri(parseDeviceUri(patch.uri));
      const settings = writePrinterSettings(db, patch);
      return { settings, effectiveUri: effectivePrinterUri(db, settings) };
    },
    'printer.test': async ({ printerUri, profile }) => {
      if (profile !== undefined && !PROFILES.has(profile)) getProfile(profile);
      const o = await printTest(db, { ...(printerUri ? { printerUri: formatDeviceUri(parseDeviceUri(printerUri)) } : {}), ...(profile ? { profile } : {}) });
      pushQueue();
      return outcome(o);
    },
    'printer.reprintLast': async () => {
      const o = await reprintLastReceipt(db);
      pushQueue();
      return outcome(o);
    },
    'printer.queue': () => queueStatus(db),
    'printer.retry': async () => {
      const r = await processQueue(db);
      pushQueue();
      return { printed: [...r.printed], message: r.message };
    },
    'printer.cancel': ({ session, jobId }) => {
      deps.sessions.require(session);
      const j = cancelJob(db, jobId);
      pushQueue();
      return j;
    },
    'printer.preview': ({ jobId }) => {
      const job = getJob(db, jobId);
      const pv = renderPreview(jobBytes(db, jobId), { dots: getProfile(job.profile).dots });
      return { png: pv.png.toString('base64'), width: pv.width, height: pv.height, text: pv.text };
    },
    'devices.discover': () => discoverDevices(),
    'scan.route': (e) => routeScan(e),
    'scanner.sources': () => [...sources].map(([uri, s]) => ({ uri, state: s.state, detail: s.detail })),
    'scanner.listen': async ({ session, uri }) => {
      deps.sessions.require(session);
      const d = parseDeviceUri(uri);
      if (d.kind !== 'serial' && d.kind !== 'hid') fail('VALIDATION', 'Only serial: and hid: scanners are read by the backend; keyboard and camera scanners work in the till screen');
      const key = formatDeviceUri(d);
      if (sources.get(key)?.handle) return { uri: key };
      try {
        const handle = await openScanner(key, (e) => {
          const at = (deps.now?.() ?? new Date()).toISOString();
          deps.emit('scan.event', { ...e, route: routeScan(e), at });
          deps.emit('device.scanned', { code: e.data, source: e.source, at });
        });
        sources.set(key, { handle, state: 'ready', detail: `${d.kind} scanner` });
      } catch (err) {
        sources.set(key, { handle: null, state: 'error', detail: err instanceof Error ? err.message : String(err) });
        log.warn(`scanner ${key} could not start`, err instanceof Error ? err.message : err);
        throw err instanceof KopilkaError ? err : new KopilkaError('DEVICE', `The scanner ${key} could not start: ${String(err)}`);
      }
      return { uri: key };
    },
    'scanner.stop': async ({ session, uri }) => {
      deps.sessions.require(session);
      const key = formatDeviceUri(parseDeviceUri(uri));
      const s = sources.get(key);
      sources.delete(key);
      if (s?.handle) await s.handle.stop();
      return { stopped: Boolean(s) };
    },
  };
}
