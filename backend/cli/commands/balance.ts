import type { Command } from 'commander';
import { fail } from '../../../core/util/errors';
import { resolveMember } from '../../members/members';
import type { CliContext } from '../context';
import { memberQuery } from '../options';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('balance')
    .description("a member's points balance, by --card or --phone")
    .option('--card <code>')
    .option('--phone <phone>')
    .option('--member <id>')
    .action(async (o: { card?: string; phone?: string; member?: string }) => {
      const q = memberQuery(o) ?? fail('VALIDATION', 'Give --card or --phone');
      const db = await ctx.db();
      const m = resolveMember(db, q);
      ctx.out(
        { ok: true, memberId: m.id, name: m.name, maskedPhone: m.maskedPhone, balance: m.balance, debt: m.balance < 0 ? -m.balance : 0 },
        `${m.name} ${m.maskedPhone ?? ''}: ${m.balance} points${m.balance < 0 ? ' (debt)' : ''}`,
      );
    });
}
