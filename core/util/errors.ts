/**
 * Errors that cross a boundary (IPC, CLI, HTTP) travel as data: a stable code the UI can
 * switch on and a message a cashier or manager can act on. Stacks stay in logs.
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_POINTS'
  | 'LIMIT_EXCEEDED'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'LOCKED'
  | 'DEVICE'
  | 'OFFLINE'
  | 'INTERNAL';

export class KopilkaError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'KopilkaError';
    this.code = code;
    this.details = details;
  }
}

export type ErrorData = Readonly<{ code: ErrorCode; message: string; details?: Record<string, unknown> }>;
export type Result<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; error: ErrorData }>;

export function toErrorData(err: unknown): ErrorData {
  if (err instanceof KopilkaError) {
    return err.details ? { code: err.code, message: err.message, details: { ...err.details } } : { code: err.code, message: err.message };
  }
  return { code: 'INTERNAL', message: 'Internal error: ' + (err instanceof Error ? err.message : String(err)) };
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new KopilkaError(code, message, details);
}

export function assert(cond: unknown, code: ErrorCode, message: string): asserts cond {
  if (!cond) throw new KopilkaError(code, message);
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function missingCase(value: never): never {
  throw new Error('Unhandled case: ' + JSON.stringify(value));
}
