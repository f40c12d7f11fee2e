import type { Command } from 'commander';
import { registerTerminal, syncStatus } from '../../sync';
import type { CliContext } from '../context';

/** `kopilka terminal register|status`: connect this till to a chain server. */
export function register(program: Command, ctx: CliContext): void {
  const terminal = program.command('terminal').description('this till and its chain server');
  terminal
    .command('register')
    .description('register this till with the chain server using the manager\'s one-time code')
    .requiredOption('--server <url>', 'chain server address, e.g. https://kopilka.example.com')
    .requiredOption('--code <code>', 'one-time code from `npm run server -- terminal add --shop NAME`')
    .option('--name <name>', 'a name for this till', '')
    .action(async (o: { server: string; code: string; name: string }) => {
      const db = await ctx.db();
      const r = await registerTerminal(db, { server: o.server, code: o.code, name: o.name });
      ctx.out({ ok: true, terminalId: r.terminalId, shopId: r.shopId, shopName: r.shopName, serverUrl: r.serverUrl }, `Registered till ${r.terminalId} in shop "${r.shopName}" with ${r.serverUrl}`);
    });
  terminal
    .command('status')
    .description('registration and sync state')
    .action(async () => {
      const s = syncStatus(await ctx.db());
      ctx.out(
        s,
        s.registered
          ? `Till ${s.terminalId} · shop "${s.shopName}" · ${s.serverUrl}\nacknowledged through #${s.ackedThroughSeq}, ${s.pending} waiting · last push ${s.lastPushAt ?? 'never'} · last pull ${s.lastPullAt ?? 'never'}${s.lastError ? `\nlast error: ${s.lastError}` : ''}${s.clockDrift ? '\nWARNING: this till\'s clock differs from the server\'s' : ''}${s.programConflicts.length ? `\nWARNING: loyalty program version(s) ${s.programConflicts.join(', ')} of the chain differ from this till's own; the server corrects the points of those sales` : ''}`
          : `Till ${s.terminalId} is not registered with a chain server`,
      );
    });
}
