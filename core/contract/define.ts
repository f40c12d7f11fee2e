import { z } from 'zod';

/**
 * The building blocks of the contract: a channel is a pair of zod schemas (what the renderer
 * may send, what the backend answers); an event is one schema (what the backend pushes).
 * Everything else — the renderer's `PosApi`, the backend's `Handlers` — is derived from these
 * maps by mapped types, so main, preload, the web host and the in-memory fake cannot drift
 * without the type checker saying so.
 */
export type ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = Readonly<{
  input: I;
  output: O;
  /** One line for people reading the contract: what the call does. */
  doc: string;
  /** Needs a manager session (the handler checks `session` in the input). Documentation + UI hint. */
  manager?: boolean;
}>;

export function channel<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  doc: string,
  opts: Readonly<{ manager?: boolean }> = {},
): ChannelDef<I, O> {
  return { input, output, doc, ...opts };
}

export type ChannelMap = Readonly<Record<string, ChannelDef>>;
export type EventMap = Readonly<Record<string, z.ZodType>>;

/** What the renderer sends (defaults may be omitted) and gets back (parsed output). */
export type ChannelInput<D extends ChannelDef> = z.input<D['input']>;
export type ChannelOutput<D extends ChannelDef> = z.output<D['output']>;

export type EventListener<P> = (payload: P) => void;

/**
 * The renderer-side API: one async function per channel, keyed by the channel's name
 * (`api['sale.quote']({...})`), plus `on(event, cb)` returning an unsubscribe function.
 * Failures reject with a `KopilkaError` carrying the backend's code and message.
 */
export type PosApiOf<C extends ChannelMap, E extends EventMap> = {
  readonly [K in keyof C]: (input: ChannelInput<C[K]>) => Promise<ChannelOutput<C[K]>>;
} & {
  readonly on: <K extends keyof E & string>(event: K, listener: EventListener<z.output<E[K]>>) => () => void;
};

/**
 * The backend-side implementation: receives the already-parsed input and returns something
 * the output schema accepts (it is parsed again before it leaves, so nothing extra leaks).
 */
export type HandlersOf<C extends ChannelMap> = {
  readonly [K in keyof C]: (input: z.output<C[K]['input']>) => Promise<DeepReadonly<z.input<C[K]['output']>>> | DeepReadonly<z.input<C[K]['output']>>;
};

/** Handlers may answer with Readonly data (the backend's types are Readonly throughout). */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** Something that pushes events; handlers receive one so devices/sync can notify the UI. */
export type EventSinkOf<E extends EventMap> = <K extends keyof E & string>(event: K, payload: z.input<E[K]>) => void;
