import { CHANNEL_NAMES, CONTRACT_VERSION, unwrap, type PosApi } from '../../../core/contract';
import { KopilkaError } from '../../../core/util/errors';

type RawBridge = Record<string, ((input: unknown) => Promise<unknown>) | unknown> & {
  on: PosApi['on'];
  contractVersion: number;
};

/** PosApi over `window.pos` from the Electron preload (which returns Result envelopes). */
export function createElectronApi(raw: RawBridge): PosApi {
  if (raw.contractVersion !== CONTRACT_VERSION) {
    throw new KopilkaError('INTERNAL', `The app shell speaks contract ${raw.contractVersion}, the screen ${CONTRACT_VERSION}: reinstall the app`);
  }
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) {
    const fn = raw[name] as (input: unknown) => Promise<unknown>;
    api[name] = async (input: unknown) => unwrap(await fn(input ?? {}));
  }
  api.on = raw.on;
  return api as PosApi;
}
