/** A scoped logger; the sink is swappable so tests and the CLI's --json mode stay quiet on stdout. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, scope: string, message: string, data?: unknown) => void;

let sink: LogSink = (level, scope, message, data) => {
  if (level === 'debug') return;
  const line = `[${scope}] ${message}`;
  // stderr keeps stdout clean for machine-readable output.
  (globalThis as { console: Console }).console.error(line, ...(data === undefined ? [] : [data]));
};

export function setLogSink(next: LogSink): void {
  sink = next;
}

export type Logger = Readonly<Record<LogLevel, (message: string, data?: unknown) => void>>;
export function createLogger(scope: string): Logger {
  return {
    debug: (m, d) => sink('debug', scope, m, d),
    info: (m, d) => sink('info', scope, m, d),
    warn: (m, d) => sink('warn', scope, m, d),
    error: (m, d) => sink('error', scope, m, d),
  };
}
