import type { Command } from 'commander';
import { fail } from '../../../core/util/errors';
import { recordAction, onMemberEnrolled, setReferrer } from '../../loyalty/index';
import { resolveMember } from '../../members/members';
import type { CliContext } from '../context';
import { memberQuery } from '../options';

type Who = { card?: string; phone?: string; member?: string };

export function register(program: Command, ctx: CliContext): void {
  const bonus = program.command('bonus').description('bonuses outside a sale: staff-recorded actions, referrals, welcome');
  const who = (c: Command) => c.option('--card <code>').option('--phone <phone>').option('--member <id>');
  who(bonus.command('action'))
    .requiredOption('--action <id>', 'an action from the program, e.g. review')
    .option('--staff <name>', 'who recorded it', '')
    .option('--at <ISO>', 'business time (default: now)')
    .description('reward something the member did (left a review, posted about the shop); capped per period')
    .action(async (o: Who & { action: string; staff: string; at?: string }) => {
      const db = await ctx.db();
      const m = resolveMember(db, memberQuery(o) ?? fail('VALIDATION', 'Give --card or --phone'));
      const r = recordAction(db, m.id, o.action, o.at ?? new Date().toISOString(), o.staff);
      ctx.out({ ok: true, memberId: m.id, points: r.event.delta, eventId: r.event.id, usedInPeriod: r.usedInPeriod, maxPerPeriod: r.maxPerPeriod }, `+${r.event.delta} points for ${m.name} (${r.usedInPeriod} of ${r.maxPerPeriod} this period)`);
    });
  who(bonus.command('refer'))
    .requiredOption('--referrer-card <code>', 'card of the member who invited them')
    .option('--at <ISO>')
    .description('link a new member to who invited them; both get their bonus on the first purchase')
    .action(async (o: Who & { referrerCard: string; at?: string }) => {
      const db = await ctx.db();
      const m = resolveMember(db, memberQuery(o) ?? fail('VALIDATION', 'Give the new member by --card or --phone'));
      const r = resolveMember(db, { card: o.referrerCard });
      setReferrer(db, m.id, r.id, o.at ?? new Date().toISOString());
      ctx.out({ ok: true, memberId: m.id, referrerId: r.id }, `${m.name} was invited by ${r.name}`);
    });
  who(bonus.command('welcome'))
    .option('--at <ISO>')
    .description('give the welcome bonus now if the program gives it on enrolment and it was not given yet')
    .action(async (o: Who & { at?: string }) => {
      const db = await ctx.db();
      const m = resolveMember(db, memberQuery(o) ?? fail('VALIDATION', 'Give --card or --phone'));
      const e = onMemberEnrolled(db, m.id, o.at ?? new Date().toISOString());
      ctx.out({ ok: true, memberId: m.id, points: e?.delta ?? 0 }, e ? `+${e.delta} welcome points for ${m.name}` : 'No welcome bonus due (already given, or the program gives it after the first purchase)');
    });
}
