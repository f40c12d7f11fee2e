import type { Command } from 'commander';
import { formatMoney, parseAmount } from '../../../core/money/money';
import { fail } from '../../../core/util/errors';
import { readSettings } from '../../db/settings';
import { createPromo, disablePromo, getPromo, listPromos } from '../../loyalty/index';
import type { PromoCode } from '../../loyalty/promo';
import type { CliContext } from '../context';
import { collect } from '../options';

function describe(p: PromoCode, currency: string): string {
  const value = p.kind === 'percent' ? `${p.value / 100}% off` : `${formatMoney(p.value, currency)} off`;
  const limits = [p.maxUses !== null ? `${p.uses}/${p.maxUses} used` : `${p.uses} used`, p.perMember !== null ? `${p.perMember} per member` : '', p.validTo ? `until ${p.validTo}` : ''].filter(Boolean).join(', ');
  return `${p.code}: ${value}${p.status === 'disabled' ? ' (switched off)' : ''} — ${limits}`;
}

function percentToBps(text: string): number {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text)) fail('VALIDATION', `--percent "${text}" should be a number like 10 or 7.5`);
  const [i, f = ''] = text.split('.');
  return Number(i) * 100 + Number(f.padEnd(2, '0'));
}

export function register(program: Command, ctx: CliContext): void {
  const promo = program.command('promo').description('promo codes: single- or multi-use, value or percentage');
  promo
    .command('add')
    .argument('<code>')
    .option('--percent <pct>', 'percentage off, e.g. 10')
    .option('--amount <rub>', 'money off, e.g. 300')
    .option('--from <ISO>', 'valid from')
    .option('--to <ISO>', 'valid until (exclusive)')
    .option('--max-uses <n>', 'total uses (1 = single-use)')
    .option('--per-member <n>', 'uses per member (makes the code personal)')
    .option('--min-check <rub>', 'minimum check')
    .option('--category <name>', 'only these categories (repeat)', collect, [])
    .option('--sku <sku>', 'only these products (repeat)', collect, [])
    .option('--note <text>', '', '')
    .description('create a promo code')
    .action(async (code: string, o: { percent?: string; amount?: string; from?: string; to?: string; maxUses?: string; perMember?: string; minCheck?: string; category: string[]; sku: string[]; note: string }) => {
      const db = await ctx.db();
      const currency = readSettings(db).currency;
      if ((o.percent === undefined) === (o.amount === undefined)) fail('VALIDATION', 'Give either --percent or --amount');
      const int = (t: string | undefined, what: string) => (t === undefined ? null : /^\d{1,9}$/.test(t) ? Number(t) : fail('VALIDATION', `${what} must be a whole number`));
      const p = db.transaction(() =>
        createPromo(db, {
          code,
          kind: o.percent !== undefined ? 'percent' : 'amount',
          value: o.percent !== undefined ? percentToBps(o.percent) : parseAmount(o.amount!, currency),
          validFrom: o.from ?? null,
          validTo: o.to ?? null,
          maxUses: int(o.maxUses, '--max-uses'),
          perMember: int(o.perMember, '--per-member'),
          minCheck: o.minCheck ? parseAmount(o.minCheck, currency) : 0,
          scope: { categories: o.category, products: o.sku },
          note: o.note,
        }),
      ).immediate();
      ctx.out({ ok: true, promo: p }, 'Created ' + describe(p, currency));
    });
  promo
    .command('list')
    .action(async () => {
      const db = await ctx.db();
      const currency = readSettings(db).currency;
      const all = listPromos(db);
      ctx.out({ ok: true, promos: all }, all.map((p) => describe(p, currency)).join('\n') || 'No promo codes');
    });
  promo
    .command('show')
    .argument('<code>')
    .action(async (code: string) => {
      const db = await ctx.db();
      const p = getPromo(db, code);
      ctx.out({ ok: true, promo: p }, describe(p, readSettings(db).currency));
    });
  promo
    .command('disable')
    .argument('<code>')
    .action(async (code: string) => {
      const db = await ctx.db();
      const p = disablePromo(db, code);
      ctx.out({ ok: true, promo: p }, 'Switched off ' + describe(p, readSettings(db).currency));
    });
}
