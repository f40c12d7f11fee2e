import { dispatch, ipcChannel, ipcEvent, parseEvent, type ChannelMap, type EventMap, type HandlersOf } from '../../core/contract';
import type { Result } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import { isTrustedSender, type IpcEventLike } from './security';

const log = createLogger('ipc');

/** The parts of Electron's ipcMain / webContents we use; tests pass the in-memory stub. */
export type IpcMainLike = {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
};
export type WebContentsLike = { send(channel: string, payload: unknown): void; isDestroyed?(): boolean };

/**
 * One `handle` per channel: check the sender (own origin, top frame), parse the input, call
 * the handler, parse the output, answer with a Result envelope (Electron serialises thrown
 * errors lossily, so nothing is thrown across). Returns a function that unregisters them all.
 */
export function registerContract<C extends ChannelMap>(
  ipcMain: IpcMainLike,
  contract: C,
  handlers: HandlersOf<C>,
  senderPolicy: (event: IpcEventLike) => boolean = isTrustedSender,
): () => void {
  const names = Object.keys(contract);
  for (const name of names) {
    ipcMain.handle(ipcChannel(name as never), async (event, input): Promise<Result<unknown>> => {
      if (!senderPolicy(event)) {
        log.warn('refused IPC from an untrusted sender', { channel: name, url: event.senderFrame?.url });
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window is not allowed to talk to the till' } };
      }
      return dispatch(contract, handlers, name, input);
    });
  }
  return () => names.forEach((n) => ipcMain.removeHandler(ipcChannel(n as never)));
}

/** Events are validated too before they reach the renderer; a malformed one is dropped and logged. */
export function createEventEmitter<E extends EventMap>(events: E, target: () => WebContentsLike | null) {
  return (name: keyof E & string, payload: unknown): boolean => {
    const value = parseEvent(events, name, payload);
    if (value === null) {
      log.warn('dropped an event that does not match the contract', { event: name });
      return false;
    }
    const wc = target();
    if (!wc || wc.isDestroyed?.()) return false;
    wc.send(ipcEvent(name as never), value);
    return true;
  };
}
