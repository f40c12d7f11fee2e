// A stand-in for the `electron` module's main-process API, loaded in place of the real one by
// electron-loader.mjs so the BUILT main bundle (dist-electron/main/index.mjs) runs in plain Node.
// It records what main registers; the test drives the recorded handlers and reads the report.
const rec = (globalThis.__electronStub = {
  ipc: new Map(), appListeners: new Map(), windows: [], privileged: null, protocolHandler: null,
  permissionRequest: null, permissionCheck: null, headersReceived: null, quit: false,
});

class Emitter {
  constructor() { this.l = new Map(); }
  on(ev, f) { (this.l.get(ev) ?? this.l.set(ev, []).get(ev)).push(f); return this; }
  once(ev, f) { return this.on(ev, f); }
  emit(ev, ...a) { for (const f of this.l.get(ev) ?? []) f(...a); }
}

export const app = new (class extends Emitter {
  whenReady() { return Promise.resolve(); }
  requestSingleInstanceLock() { return true; }
  getPath() { return process.env.KOPILKA_STUB_USERDATA ?? '/tmp'; }
  quit() { rec.quit = true; }
  exit(code) { rec.exitCode = code; }
  on(ev, f) { rec.appListeners.set(ev, f); return super.on(ev, f); }
})();

export const ipcMain = {
  handle(ch, f) { if (rec.ipc.has(ch)) throw new Error('second handler for ' + ch); rec.ipc.set(ch, f); },
  removeHandler(ch) { rec.ipc.delete(ch); },
};

export const protocol = {
  registerSchemesAsPrivileged(s) { rec.privileged = s; },
  handle(scheme, f) { rec.protocolHandler = { scheme, f }; },
};

export const net = { fetch: async (url) => new Response('file:' + url, { status: 200 }) };

export const session = {
  defaultSession: {
    setPermissionRequestHandler(f) { rec.permissionRequest = f; },
    setPermissionCheckHandler(f) { rec.permissionCheck = f; },
    webRequest: { onHeadersReceived(f) { rec.headersReceived = f; } },
  },
};

export class BrowserWindow extends Emitter {
  constructor(opts) {
    super();
    this.opts = opts;
    this.webContents = { send() {}, isDestroyed: () => false, getURL: () => this.url ?? '' };
    rec.windows.push(this);
  }
  removeMenu() {}
  show() {}
  focus() {}
  isMinimized() { return false; }
  async loadURL(url) { this.url = url; setTimeout(() => rec.onLoaded?.(), 0); }
}

export default { app, ipcMain, protocol, net, session, BrowserWindow };
