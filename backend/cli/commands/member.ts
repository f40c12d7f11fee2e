import type { Command } from 'commander';
import { fail } from '../../../core/util/errors';
import { addMember, findMemberByCard, findMemberByPhone, findMembersByLast4, getMember, recentEvents, type Member } from '../../members/members';
import { onMemberEnrolled } from '../../loyalty/index';
import type { CliContext } from '../context';

function describe(m: Member): string {
  const cards = m.cards.map((c) => `${c.code} (${c.kind}${c.status === 'active' ? '' : ', ' + c.status})`).join(', ') || '—';
  return [
    `${m.name || '(no name)'}  id ${m.id}`,
    `  phone    ${m.phone ?? '—'}`,
    `  cards    ${cards}`,
    `  birthday ${m.birthday ?? '—'}`,
    `  consent  personal data: ${m.consentPd ? 'yes (' + m.consentPdAt + ')' : 'no'}; marketing: ${m.consentMarketing ? 'yes (' + m.consentMarketingAt + ')' : 'no'}`,
    `  balance  ${m.balance} points`,
  ].join('\n');
}

export function register(program: Command, ctx: CliContext): void {
  const member = program.command('member').description('enrol, find and show loyalty members');

  member
    .command('add')
    .description('enrol a member (phone and/or card required)')
    .option('--name <name>', 'full name', '')
    .option('--phone <phone>', 'phone, e.g. +7 916 123-45-67 or 8 916 123-45-67')
    .option('--card <code>', 'card code: EAN-13, Code 128 or QR payload KOPILKA:CARD:…')
    .option('--birthday <YYYY-MM-DD>', 'birthday')
    .option('--consent-pd', 'consent to personal data processing given now')
    .option('--consent-marketing', 'consent to marketing messages given now')
    .action(async (o: { name: string; phone?: string; card?: string; birthday?: string; consentPd?: boolean; consentMarketing?: boolean }) => {
      const db = await ctx.db();
      const at = new Date().toISOString();
      // Enrolment and the program's welcome bonus (when it is given at sign-up) land together.
      const m = db.transaction(() => {
        const input = {
          name: o.name,
          ...(o.phone !== undefined ? { phone: o.phone } : {}),
          ...(o.card !== undefined ? { card: o.card } : {}),
          ...(o.birthday !== undefined ? { birthday: o.birthday } : {}),
          consentPd: Boolean(o.consentPd),
          consentMarketing: Boolean(o.consentMarketing),
        };
        const created = addMember(db, input, at);
        onMemberEnrolled(db, created.id, at);
        return getMember(db, created.id);
      })();
      ctx.out({ ok: true, member: m }, `Enrolled:\n${describe(m)}`);
    });

  member
    .command('find')
    .description('find by --card, --phone, or --last4 (candidates with masked phones)')
    .option('--card <code>')
    .option('--phone <phone>')
    .option('--last4 <digits>')
    .action(async (o: { card?: string; phone?: string; last4?: string }) => {
      const given = [o.card, o.phone, o.last4].filter((x) => x !== undefined).length;
      if (given !== 1) fail('VALIDATION', 'Give exactly one of --card, --phone, --last4');
      const db = await ctx.db();
      if (o.last4 !== undefined) {
        const candidates = findMembersByLast4(db, o.last4);
        ctx.out({ ok: true, candidates }, candidates.length === 0 ? 'No members with a phone ending in ' + o.last4 : candidates.map((c) => `${c.maskedPhone}  ${c.name}  ${c.balance} pts  id ${c.id}`).join('\n'));
        return;
      }
      const m = o.card !== undefined ? findMemberByCard(db, o.card) : findMemberByPhone(db, o.phone!);
      ctx.out({ ok: true, member: m }, describe(m));
    });

  member
    .command('show')
    .description('a member with cards, consents, balance and recent ledger events')
    .argument('[id]', 'member id')
    .option('--card <code>')
    .option('--phone <phone>')
    .option('--events <n>', 'how many recent events', '10')
    .action(async (id: string | undefined, o: { card?: string; phone?: string; events: string }) => {
      const db = await ctx.db();
      const m = id ? getMember(db, id) : o.card ? findMemberByCard(db, o.card) : o.phone ? findMemberByPhone(db, o.phone) : fail('VALIDATION', 'Give a member id, --card or --phone');
      const n = Number(o.events);
      if (!Number.isSafeInteger(n) || n < 0 || n > 1000) fail('VALIDATION', '--events must be 0..1000');
      const events = recentEvents(db, m.id, n);
      ctx.out({ ok: true, member: m, events }, describe(m) + '\n' + events.map((e) => `  #${e.seq} ${e.occurredAt} ${e.kind} ${e.delta >= 0 ? '+' : ''}${e.delta}`).join('\n'));
    });
}
