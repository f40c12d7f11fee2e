import { CHANNEL_NAMES, CHANNELS, EVENTS, dispatch, parseEvent, unwrap, type EventName, type EventSink, type Handlers, type PosApi } from '../../../core/contract';

type Listener = (payload: unknown) => void;

/** A tiny event bus with the contract's event names; used by the local and web implementations. */
export function createEventBus() {
  const listeners = new Map<string, Set<Listener>>();
  const on = (event: EventName, listener: Listener) => {
    if (!Object.prototype.hasOwnProperty.call(EVENTS, event)) throw new Error(`Unknown event "${event}"`);
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)!.add(listener);
    return () => void listeners.get(event)?.delete(listener);
  };
  const emit: EventSink = (event, payload) => {
    const value = parseEvent(EVENTS, event, payload);
    if (value === null) return;
    for (const l of [...(listeners.get(event) ?? [])]) l(value);
  };
  return { on, emit };
}

/**
 * PosApi over handlers in the same JS realm, still through `dispatch` (input/output parsing,
 * error envelopes) so it behaves exactly like IPC or HTTP. Used with the in-memory backend in
 * component tests and with the real backend in the contract suite.
 */
export function createLocalApi(handlers: Handlers, bus = createEventBus()): PosApi {
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) {
    // JSON round trip: the same plain-data guarantee a real transport gives.
    api[name] = async (input: unknown) => unwrap(JSON.parse(JSON.stringify(await dispatch(CHANNELS, handlers, name, input === undefined ? {} : JSON.parse(JSON.stringify(input))))));
  }
  api.on = bus.on;
  return api as PosApi;
}
