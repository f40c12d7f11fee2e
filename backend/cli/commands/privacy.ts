import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { fail } from '../../../core/util/errors';
import { adjustPoints } from '../../audit/adjust-points';
import { resolveMember } from '../../members/members';
import { eraseMember, exportMember, setConsent } from '../../privacy/privacy';
import { authorize } from '../../staff/authorize';
import { pinFrom } from '../../staff/pin-source';
import type { CliContext } from '../context';
import { memberQuery } from '../options';

/**
 * `member export|erase|consent|adjust`: added to the terminal core's `member` command (created in
 * commands/member.ts, which loads first) or created here if it is missing.
 */
function memberId(db: Parameters<typeof resolveMember>[0], ref: string | undefined, o: { card?: string; phone?: string }): string {
  const q = ref !== undefined ? { id: ref } : memberQuery(o);
  if (!q) fail('VALIDATION', 'Say which member: their id, --card or --phone');
  return resolveMember(db, q).id;
}

const yesNo = (v: string | undefined, what: string): boolean | undefined => {
  if (v === undefined) return undefined;
  if (v === 'yes') return true;
  if (v === 'no') return false;
  return fail('VALIDATION', `--${what} takes yes or no`);
};

export function register(program: Command, ctx: CliContext): void {
  let member = program.commands.find((c) => c.name() === 'member');
  if (!member) {
    member = new Command('member').description('loyalty members');
    program.addCommand(member);
  }

  member
    .command('export')
    .description('everything stored about one member as JSON (owner PIN; audited)')
    .argument('[id]', 'member id')
    .option('--card <code>')
    .option('--phone <phone>')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--pin <PIN>', 'owner PIN (or $KOPILKA_PIN)')
    .action(async (id: string | undefined, o: { card?: string; phone?: string; out?: string; pin?: string }) => {
      const db = await ctx.db();
      const who = authorize(db, pinFrom(o.pin), 'member.export');
      const data = exportMember(db, who, memberId(db, id, o));
      if (o.out) {
        writeFileSync(o.out, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
        ctx.out({ ok: true, file: o.out }, `Wrote the member's data to ${o.out}`);
      } else ctx.out(data, JSON.stringify(data, null, 2));
    });

  member
    .command('erase')
    .description('erase a member’s personal data (name, phone, birthday, cards); points history and reports stay intact (owner PIN; audited)')
    .argument('[id]', 'member id')
    .option('--card <code>')
    .option('--phone <phone>')
    .requiredOption('--reason <text>', 'why, e.g. "request of 25.11.2026"')
    .option('--pin <PIN>', 'owner PIN (or $KOPILKA_PIN)')
    .action(async (id: string | undefined, o: { card?: string; phone?: string; reason: string; pin?: string }) => {
      const db = await ctx.db();
      const who = authorize(db, pinFrom(o.pin), 'member.erase');
      const r = eraseMember(db, who, memberId(db, id, o), o.reason);
      ctx.out({ ok: true, ...r }, `Erased member ${r.memberId}: personal data removed, ${r.cardsRemoved} card(s) removed, balance of ${r.balanceKept} points kept in the ledger`);
    });

  member
    .command('consent')
    .description('give or withdraw consent to data processing / marketing (recorded with the consent text version)')
    .argument('[id]', 'member id')
    .option('--card <code>')
    .option('--phone <phone>')
    .option('--processing <yes|no>', 'personal data processing')
    .option('--marketing <yes|no>', 'marketing messages')
    .option('--pin <PIN>', 'staff PIN (or $KOPILKA_PIN)')
    .action(async (id: string | undefined, o: { card?: string; phone?: string; processing?: string; marketing?: string; pin?: string }) => {
      const db = await ctx.db();
      const who = authorize(db, pinFrom(o.pin), 'member.enrol');
      const mid = memberId(db, id, o);
      const processing = yesNo(o.processing, 'processing');
      const marketing = yesNo(o.marketing, 'marketing');
      if (processing === undefined && marketing === undefined) fail('VALIDATION', 'Give --processing yes|no and/or --marketing yes|no');
      let history = processing !== undefined ? setConsent(db, who, mid, 'processing', processing) : [];
      if (marketing !== undefined) history = setConsent(db, who, mid, 'marketing', marketing);
      ctx.out({ ok: true, memberId: mid, consents: history }, history.map((h) => `${h.at} ${h.kind} ${h.granted ? 'given' : 'withdrawn'} (text v${h.textVersion})`).join('\n'));
    });

  member
    .command('adjust')
    .description('add or remove points by hand: a ledger delta with a reason (manager PIN; audited)')
    .argument('[id]', 'member id')
    .option('--card <code>')
    .option('--phone <phone>')
    .requiredOption('--points <delta>', 'e.g. 50 or -50')
    .requiredOption('--reason <text>', 'why')
    .option('--pin <PIN>', 'manager PIN (or $KOPILKA_PIN)')
    .option('--at <ISO>', 'business time (default: now)')
    .action(async (id: string | undefined, o: { card?: string; phone?: string; points: string; reason: string; pin?: string; at?: string }) => {
      const db = await ctx.db();
      const who = authorize(db, pinFrom(o.pin), 'points.adjust');
      if (!/^-?\d{1,9}$/.test(o.points)) fail('VALIDATION', '--points takes a whole number, e.g. 50 or -50');
      const r = adjustPoints(db, who, { memberId: memberId(db, id, o), delta: Number(o.points), reason: o.reason, ...(o.at ? { at: o.at } : {}) });
      ctx.out({ ok: true, event: { seq: r.event.seq, id: r.event.id, delta: r.event.delta }, balance: r.balance }, `Adjusted ${r.event.delta > 0 ? '+' : ''}${r.event.delta} points; balance now ${r.balance}`);
    });
}
