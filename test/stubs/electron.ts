/**
 * An in-memory stand-in for the bits of Electron the IPC wiring touches: an ipcMain and an
 * ipcRenderer joined back to back, with a settable sender frame so tests can play a foreign
 * origin or an iframe. Tests pass these objects in; nothing imports `electron` at runtime.
 */
import type { IpcMainLike, WebContentsLike } from '../../electron/main/ipc';
import type { IpcRendererLike } from '../../electron/preload/bridge';

type Frame = { url: string; parent: unknown };
type Handler = (event: { senderFrame: Frame }, ...args: unknown[]) => unknown;

export function createIpcPair(initialUrl = 'app://pos/index.html') {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>();
  const frame: Frame = { url: initialUrl, parent: null };

  const ipcMain: IpcMainLike & { channels(): string[] } = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener as Handler);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
    channels: () => [...handlers.keys()].sort(),
  };

  // Electron structured-clones arguments both ways; JSON round trip is close enough for our plain data.
  const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const h = handlers.get(channel);
      if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return clone(await h({ senderFrame: { ...frame } }, ...args.map(clone)));
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };

  const webContents: WebContentsLike = {
    send(channel, payload) {
      for (const l of listeners.get(channel) ?? []) l({}, clone(payload));
    },
  };

  return {
    ipcMain,
    ipcRenderer,
    webContents,
    setSender(url: string, parent: unknown = null) {
      frame.url = url;
      frame.parent = parent;
    },
    listenerCount: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
}
