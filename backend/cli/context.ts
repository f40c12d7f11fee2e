import type { Command } from 'commander';

/**
 * What every command needs: whether --json was given, the store opened lazily from
 * --db / KOPILKA_DB / the per-user data directory, and output helpers.
 * (Placeholder until the store lands: the terminal-core work replaces the body, not the shape.)
 */
export type CliContext = Readonly<{
  json(): boolean;
  /** Print a result: one JSON object with --json, otherwise the human text. */
  out(value: unknown, human: string): void;
  close(): void;
}>;

export function createCliContext(program: Command): CliContext {
  return {
    json: () => Boolean(program.opts().json),
    out(value, human) {
      process.stdout.write((program.opts().json ? JSON.stringify(value) : human) + '\n');
    },
    close() {},
  };
}
