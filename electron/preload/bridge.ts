import { ipcChannel, ipcEvent, type ChannelName, type EventName } from '../../core/contract';
import { KopilkaError } from '../../core/util/errors';

/** The parts of Electron's ipcRenderer the bridge uses; tests pass the in-memory stub. */
export type IpcRendererLike = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
};

/**
 * Exactly one function per contract channel (no generic invoke), plus `on(event, cb)` for the
 * known events only. Validation lives in main, the trust boundary; this just forwards.
 * Functions return plain Results here because contextBridge loses Error subclasses; the
 * renderer's electronApi (renderer/src/api) unwraps them.
 */
export type RawBridge = Readonly<Record<ChannelName, (input: unknown) => Promise<unknown>>> &
  Readonly<{ on: (event: EventName, listener: (payload: unknown) => void) => () => void; contractVersion: number }>;

export function createBridge(ipc: IpcRendererLike, channels: readonly ChannelName[], events: readonly EventName[], contractVersion: number): RawBridge {
  const api: Record<string, unknown> = {};
  for (const name of channels) {
    const ch = ipcChannel(name);
    api[name] = (input: unknown) => ipc.invoke(ch, input);
  }
  const known = new Set<string>(events);
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!known.has(event)) throw new KopilkaError('VALIDATION', `Unknown event "${String(event)}"`);
    const ch = ipcEvent(event);
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipc.on(ch, wrapped);
    return () => void ipc.removeListener(ch, wrapped);
  };
  api.contractVersion = contractVersion;
  return Object.freeze(api) as RawBridge;
}
