import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { KopilkaError, toErrorData } from '../../core/util/errors';
import { createCliContext, type CliContext } from './context';

/**
 * The `kopilka` CLI. Each area registers its commands from `commands/<area>.ts`
 * (`export function register(program, ctx)`), so parallel work never edits one big file.
 * Exit codes: 0 ok, 1 refused (bad input, business rule), 2 usage error, 3 internal error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('kopilka')
    .description('Kopilka point-of-sale and loyalty terminal')
    .option('--db <path>', 'SQLite database file (default: $KOPILKA_DB or the per-user data directory)')
    .option('--json', 'print exactly one JSON object on stdout')
    .showHelpAfterError()
    .exitOverride();
  const ctx = createCliContext(program);
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts')).sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { register?: (p: Command, c: CliContext) => void };
    mod.register?.(program, ctx);
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    const data = toErrorData(err);
    if (ctx.json()) process.stderr.write(JSON.stringify({ ok: false, error: data }) + '\n');
    else process.stderr.write(`kopilka: ${data.message}\n`);
    return err instanceof KopilkaError ? 1 : 3;
  } finally {
    ctx.close();
  }
}
