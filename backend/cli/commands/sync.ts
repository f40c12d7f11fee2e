import type { Command } from 'commander';
import { syncNow } from '../../sync';
import type { CliContext } from '../context';

/** `kopilka sync [--json]`: push pending events, pull members and rules, report the counts. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('sync')
    .description('sync with the chain server now: push pending events, pull members and rules')
    .option('--push-only', 'do not pull')
    .action(async (o: { pushOnly?: boolean }) => {
      const db = await ctx.db();
      const r = await syncNow(db, {
        pull: !o.pushOnly,
        onProgress: ctx.json() ? undefined : (p) => process.stderr.write(`\r${p.phase === 'push' ? 'pushed' : 'pulled'} ${p.done}${p.phase === 'push' ? '/' + p.total : ''}   `),
      });
      if (!ctx.json()) process.stderr.write('\n');
      ctx.out(
        { ok: true, ...r },
        `Pushed ${r.pushed} events, ${r.acknowledged} acknowledged (through #${r.ackedThroughSeq}), ${r.pending} waiting; pulled ${r.pulled} members${r.corrections ? `; ${r.corrections} corrections from the server` : ''}${r.clockDrift ? '\nWARNING: this till\'s clock differs from the server\'s' : ''}`,
      );
    });
}
