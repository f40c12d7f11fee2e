import type { Command } from 'commander';
import { seedDemo } from '../../db/seed-demo';
import { terminalId } from '../../db/connection';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create (or upgrade) the terminal database; --demo loads the demo café menu and members')
    .option('--demo', 'load the demo menu and a few members with points')
    .action(async (o: { demo?: boolean }) => {
      const db = await ctx.db();
      const demo = o.demo ? seedDemo(db) : null;
      const schemaVersion = db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number;
      const result = { ok: true, path: ctx.dbPath(), terminalId: terminalId(db), schemaVersion, demo };
      ctx.out(result, `Database ready at ${result.path} (schema ${schemaVersion}, terminal ${result.terminalId})` + (demo ? `\nDemo: ${demo.products} products, ${demo.members} new members` : ''));
    });
}
