/**
 * Electron main: windows, security wiring, IPC routing. The policies live in ./security.ts
 * and ./protocol.ts as pure functions (tested in Node); this file only hands them to Electron.
 *
 * The backend runs in this process: better-sqlite3 calls are short at POS volumes and it keeps
 * one writer. If a native driver ever needs isolating, move `createApi` behind a utilityProcess;
 * the contract and handlers stay the same.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHANNELS, EVENTS } from '../../core/contract';
import { createLogger } from '../../core/util/logger';
import { createApi, createSessionRegistry, currentStatus } from '../../backend/api/index';
import { openStore } from '../../backend/db/connection';
import { seedDemo } from '../../backend/db/seed-demo';
import { startRecoveryLoop } from '../../backend/printing/index';
import { addStaff, staffCount } from '../../backend/staff/staff';
import { createEventEmitter, registerContract } from './ipc';
import { bundledMigrations } from './migrations';
import { contentTypeFor, resolveAppPath } from './protocol';
import { startHostAutoSync } from '../../backend/sync/agent';
import { warmMemberLookupsGradually } from '../../backend/members/members';
import {
  APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, isNavigationAllowed, isPermissionAllowed, isPermissionCheckAllowed, secureWebPreferences, windowOpenPolicy,
} from './security';

const log = createLogger('main');
// Bundled to dist-electron/main/index.mjs: two levels below the app root, like the sources.
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
const PRELOAD = join(ROOT, 'dist-electron', 'preload', 'index.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;

async function main(): Promise<void> {
  await app.whenReady();
  const dbPath = process.env.KOPILKA_DB ?? join(app.getPath('userData'), 'kopilka.db');
  mkdirSync(dirname(dbPath), { recursive: true });
  // Checkpoints in a worker thread, off the sale's commit path (backend/db/checkpointer.ts).
  const db = await openStore(dbPath, { migrations: await bundledMigrations(), backgroundCheckpoints: true });
  // Chain sync runs in the background once the till is registered (idle otherwise).
  const autoSync = startHostAutoSync(db);
  // Lookup pages into the OS page cache in the background, so the first scans of the day are as
  // fast as the rest (a page read from disk costs ~1 ms; on a big store that is most of a lookup).
  const warm = warmMemberLookupsGradually(db);
  void warm.done.then((p) => log.info('member lookups warmed', p), (e: unknown) => log.warn('member lookup warm-up failed', { error: String(e) }));
  const demo = process.env.KOPILKA_DEMO === '1';
  if (demo && (db.prepare('SELECT count(*) FROM product').pluck().get() as number) === 0) seedDemo(db);
  if (demo && staffCount(db) === 0) {
    // Same demo PINs as browser mode (scripts/web-host.ts): manager 1234, owner 2580, cashier 4826.
    const owner = addStaff(db, null, { name: 'Ольга (владелец)', role: 'owner', pin: '2580' });
    const by = { staffId: owner.id, name: owner.name, role: owner.role };
    addStaff(db, by, { name: 'Мария (менеджер)', role: 'manager', pin: '1234' });
    addStaff(db, by, { name: 'Иван (кассир)', role: 'cashier', pin: '4826' });
  }

  const emit = createEventEmitter(EVENTS, () => win?.webContents ?? null);
  const deps = { db, sessions: createSessionRegistry(), emit: emit as never, demo, autoPrint: true };
  registerContract(ipcMain, CHANNELS, createApi(deps));
  const stopPrinting = startRecoveryLoop(db, { onChange: () => emit('status.changed', currentStatus(deps)) });

  protocol.handle(APP_SCHEME, async (req) => {
    const file = resolveAppPath(RENDERER_DIR, req.url);
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!res.ok) return res;
    return new Response(res.body, { status: 200, headers: { 'content-type': contentTypeFor(file), 'content-security-policy': CONTENT_SECURITY_POLICY } });
  });

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const d = details as { requestingUrl?: string; mediaTypes?: string[]; isMainFrame?: boolean };
    callback(isPermissionAllowed(permission, d.requestingUrl ?? wc.getURL(), { mediaTypes: d.mediaTypes ?? [], isMainFrame: d.isMainFrame ?? false }));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionCheckAllowed(permission, requestingOrigin));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isNavigationAllowed(url)) {
        log.warn('blocked navigation', { url });
        e.preventDefault();
      }
    });
    contents.on('will-redirect', (e, url) => {
      if (!isNavigationAllowed(url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(() => windowOpenPolicy());
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  win = new BrowserWindow({ width: 1366, height: 800, minWidth: 1024, minHeight: 700, show: false, backgroundColor: '#f4f5f7', title: 'Kopilka', webPreferences: secureWebPreferences(PRELOAD) as Electron.WebPreferences });
  win.removeMenu();
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(`${APP_ORIGIN}/index.html${process.env.KOPILKA_LANG === 'en' ? '?lang=en' : ''}`);

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('window-all-closed', () => {
    stopPrinting();
    warm.stop();
    // Let a sync in flight finish its SQLite write before the store closes.
    void autoSync.stop().finally(() => {
      db.close();
      app.quit();
    });
  });
}

main().catch((e) => {
  log.error('failed to start', { error: e instanceof Error ? e.stack : String(e) });
  app.exit(1);
});
