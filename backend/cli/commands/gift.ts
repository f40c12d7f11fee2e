import type { Command } from 'commander';
import { formatMoney, parseAmount } from '../../../core/money/money';
import { fail } from '../../../core/util/errors';
import { readSettings } from '../../db/settings';
import { getGiftCertificate, giftLiability, issueGiftCertificate, listGiftCertificates, loadActiveProgram } from '../../loyalty/index';
import type { GiftCertificate } from '../../loyalty/gift';
import type { CliContext } from '../context';

function describe(g: GiftCertificate): string {
  return `${g.code}: ${formatMoney(g.balance, g.currency)} of ${formatMoney(g.initial, g.currency)} left${g.expiresAt ? `, valid until ${g.expiresAt.slice(0, 10)}` : ''}${g.status === 'void' ? ' (cancelled)' : ''}`;
}

export function register(program: Command, ctx: CliContext): void {
  const gift = program.command('gift').description('gift certificates: a liability, sold at the counter or issued here, spent as tender');
  gift
    .command('issue')
    .requiredOption('--amount <rub>', 'face value, e.g. 1000')
    .option('--code <code>', 'the printed code (default: a new GC-XXXX-XXXX)')
    .option('--days <n>', 'valid for (default: the program setting)')
    .option('--at <ISO>', 'issue time (default: now)')
    .description('issue a certificate without a sale (e.g. a compensation)')
    .action(async (o: { amount: string; code?: string; days?: string; at?: string }) => {
      const db = await ctx.db();
      const at = o.at ?? new Date().toISOString();
      const { program: p } = loadActiveProgram(db, at);
      if (o.days !== undefined && !/^\d{1,4}$/.test(o.days)) fail('VALIDATION', '--days must be a whole number of days');
      const g = db.transaction(() =>
        issueGiftCertificate(db, { amount: parseAmount(o.amount, readSettings(db).currency), currency: p.currency, at, zone: p.timezone, validDays: o.days ? Number(o.days) : p.giftCertificates.validDays, ...(o.code ? { code: o.code } : {}), reason: 'issue' }),
      ).immediate();
      ctx.out({ ok: true, certificate: g }, 'Issued ' + describe(g));
    });
  gift
    .command('show')
    .argument('<code>')
    .action(async (code: string) => {
      const g = getGiftCertificate(await ctx.db(), code);
      ctx.out({ ok: true, certificate: g }, describe(g));
    });
  gift
    .command('list')
    .action(async () => {
      const all = listGiftCertificates(await ctx.db());
      ctx.out({ ok: true, certificates: all }, all.map(describe).join('\n') || 'No gift certificates');
    });
  gift
    .command('liability')
    .option('--at <ISO>', 'as of (default: now)')
    .description('what outstanding certificates can still buy')
    .action(async (o: { at?: string }) => {
      const db = await ctx.db();
      const l = giftLiability(db, o.at ?? new Date().toISOString());
      const c = readSettings(db).currency;
      ctx.out({ ok: true, ...l }, `${l.certificates} certificate(s) outstanding: ${formatMoney(l.amount, c)}; expired unused: ${formatMoney(l.expiredUnused, c)}`);
    });
}
