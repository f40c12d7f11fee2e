import { z } from 'zod';
import { KopilkaError, toErrorData, type Result } from '../util/errors';
import { createLogger } from '../util/logger';
import type { ChannelMap, EventMap, HandlersOf } from './define';

const log = createLogger('contract');

/**
 * The trust boundary every transport goes through (Electron main, the web host, direct calls
 * in tests): parse the untrusted input, call the handler, parse the output so nothing extra
 * leaks, and turn any failure into `{ok:false, error:{code, message}}`. Never throws.
 */
export async function dispatch<C extends ChannelMap>(
  contract: C,
  handlers: HandlersOf<C>,
  name: string,
  rawInput: unknown,
): Promise<Result<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(contract, name)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown channel "${String(name).slice(0, 80)}"` } };
  }
  const def = contract[name]!;
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'VALIDATION', message: describeZodError(parsed.error) } };
  try {
    const handler = handlers[name as keyof C] as (input: unknown) => unknown;
    const raw = await handler(parsed.data);
    const out = def.output.safeParse(raw);
    if (!out.success) {
      // A handler answering outside its schema is our bug, not the cashier's: log the detail.
      log.error('handler output does not match the contract', { channel: name, issues: out.error.issues.slice(0, 5) });
      return { ok: false, error: { code: 'INTERNAL', message: `Internal error: the answer to ${name} did not match the contract` } };
    }
    return { ok: true, value: out.data };
  } catch (err) {
    if (err instanceof z.ZodError) return { ok: false, error: { code: 'VALIDATION', message: describeZodError(err) } };
    if (!(err instanceof KopilkaError)) log.error('handler failed', { channel: name, error: err instanceof Error ? err.stack : String(err) });
    const data = toErrorData(err);
    return { ok: false, error: { code: data.code, message: data.message } };
  }
}

/** Validate an event payload before it is pushed to a renderer; null if it does not fit. */
export function parseEvent<E extends EventMap>(events: E, name: string, payload: unknown): unknown | null {
  if (!Object.prototype.hasOwnProperty.call(events, name)) return null;
  const r = events[name]!.safeParse(payload);
  return r.success ? r.data : null;
}

/** Renderer side: a Result becomes a value or a thrown KopilkaError with the backend's code. */
export function unwrap<T>(result: unknown): T {
  const r = result as Result<T> | null;
  if (r && typeof r === 'object' && 'ok' in r) {
    if (r.ok) return r.value;
    throw new KopilkaError(r.error.code, r.error.message);
  }
  throw new KopilkaError('INTERNAL', 'Internal error: malformed answer from the backend');
}

/** One readable sentence from zod issues: "qty: Quantity must be at least 1". */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.filter((p) => typeof p === 'string' || typeof p === 'number').join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
