import type { Command } from 'commander';
import { getSetting, knownSettings, setSetting } from '../../db/settings';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  const settings = program.command('settings').description('shop name, currency, time zone, refund debt policy, receipt texts');
  settings
    .command('list')
    .action(async () => {
      const db = await ctx.db();
      const all = knownSettings().map((s) => ({ key: s.key, value: getSetting(db, s.key), doc: s.doc }));
      ctx.out({ ok: true, settings: all }, all.map((s) => `${s.key} = ${JSON.stringify(s.value)}    # ${s.doc}`).join('\n'));
    });
  settings
    .command('set')
    .argument('<key>')
    .argument('<value>', 'JSON, or plain text for string settings')
    .action(async (key: string, value: string) => {
      const db = await ctx.db();
      let parsed: unknown = value;
      try {
        parsed = JSON.parse(value);
      } catch {
        /* plain text */
      }
      setSetting(db, key, parsed);
      ctx.out({ ok: true, key, value: getSetting(db, key) }, `${key} = ${JSON.stringify(getSetting(db, key))}`);
    });
}
