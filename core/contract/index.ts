/**
 * The one typed contract between the renderer and the backend (IPC under Electron, HTTP in
 * browser mode, direct calls in tests).
 *
 * HOW TO ADD YOUR AREA: create `core/contract/channels/<area>.ts` exporting
 * `<area>Channels` (and optionally `<area>Events`) built with `channel(...)` from ./define,
 * then add ONE spread line to CHANNELS (and EVENTS) below. Implement the handlers in
 * `backend/api/handlers/<area>.ts` (see backend/api/README.md). Channel names are
 * `<area>.<verb>`; the IPC name is `pos:` + that. Bump CONTRACT_VERSION when you change a
 * schema incompatibly.
 */
import { appChannels, appEvents } from './channels/app';
import { authChannels } from './channels/auth';
import { catalogChannels } from './channels/catalog';
import { memberChannels } from './channels/members';
import { programChannels } from './channels/program';
import { salesChannels } from './channels/sales';
import { syncChannels } from './channels/sync';
import { managerChannels } from './channels/manager';
import { devicesChannels, devicesEvents } from './channels/devices';
import type { EventSinkOf, HandlersOf, PosApiOf } from './define';

export const CONTRACT_VERSION = 1;
export const IPC_PREFIX = 'pos:';

export const CHANNELS = {
  ...appChannels,
  ...authChannels,
  ...catalogChannels,
  ...memberChannels,
  ...salesChannels,
  ...programChannels,
  ...syncChannels,
  ...managerChannels,
  ...devicesChannels,
} as const;

export const EVENTS = {
  ...appEvents,
  ...devicesEvents,
} as const;

export type Channels = typeof CHANNELS;
export type Events = typeof EVENTS;
export type ChannelName = keyof Channels & string;
export type EventName = keyof Events & string;
export type PosApi = PosApiOf<Channels, Events>;
export type Handlers = HandlersOf<Channels>;
export type EventSink = EventSinkOf<Events>;

export const CHANNEL_NAMES = Object.keys(CHANNELS).sort() as ChannelName[];
export const EVENT_NAMES = Object.keys(EVENTS).sort() as EventName[];

export function ipcChannel(name: ChannelName): string {
  return IPC_PREFIX + name;
}
export function ipcEvent(name: EventName): string {
  return IPC_PREFIX + 'event:' + name;
}

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CHANNELS, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, name);
}

export * from './define';
export * from './common';
export { dispatch, parseEvent, unwrap, describeZodError } from './dispatch';
export { ReceiptSchema } from './receipt';
export type { Status } from './channels/app';
export type { Product } from './channels/catalog';
export type { MemberView } from './channels/members';
export type { QuoteView } from './channels/sales';
