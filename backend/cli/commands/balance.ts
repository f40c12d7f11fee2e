import type { Command } from 'commander';
import { fail } from '../../../core/util/errors';
import { resolveMember } from '../../members/members';
import type { CliContext } from '../context';
import { memberQuery } from '../options';
import { isChainTill } from '../../sync/chain-checkout';
import { effectiveBalance } from '../../sync/offline';

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
      // On a till registered with a chain server: the chain-wide balance as of the last sync plus this till's later events.
      const chainBalance = isChainTill(db) ? effectiveBalance(db, m.id) : null;
      ctx.out(
        { ok: true, memberId: m.id, name: m.name, maskedPhone: m.maskedPhone, balance: m.balance, debt: m.balance < 0 ? -m.balance : 0, ...(chainBalance !== null ? { chainBalance } : {}) },
        `${m.name} ${m.maskedPhone ?? ''}: ${m.balance} points${m.balance < 0 ? ' (debt)' : ''}` + (chainBalance !== null ? `; across the chain ${chainBalance}` : ''),
      );
    });
}
