import type { Command } from 'commander';
import { formatMoney } from '../../../core/money/money';
import { isUuid } from '../../../core/util/ids';
import { fail } from '../../../core/util/errors';
import { readSettings } from '../../db/settings';
import { commitSale, quoteSale, type SaleRequest } from '../../sales/checkout';
import { withChainRedemption } from '../../sync/chain-checkout';
import { buildSaleReceipt } from '../../sales/receipt';
import type { CliContext } from '../context';
import { collect, memberQuery, parseItems, parsePayment, parseRedeem } from '../options';

type SaleOpts = { item?: string[]; card?: string; phone?: string; member?: string; redeem?: string; pay?: string; at?: string; saleId?: string; quote?: boolean; promo?: string; gift?: string[]; reward?: string[] };

export function register(program: Command, ctx: CliContext): void {
  program
    .command('sale')
    .description('ring up a sale: items by SKU or barcode, member by card or phone, redeem points, pay')
    .option('--item <SKU_OR_BARCODE[:QTY]>', 'an item (repeat for more lines)', collect, [])
    .option('--card <code>', 'member card')
    .option('--phone <phone>', 'member phone')
    .option('--member <id>', 'member id')
    .option('--redeem <N|max>', 'points to pay with, or max')
    .option('--pay <cash[:TENDERED]|card|mixed:CASH>', 'payment (amounts in roubles)', 'cash')
    .option('--at <ISO>', 'business time, e.g. 2026-03-01T10:15:00+03:00 (default: now)')
    .option('--sale-id <uuid>', 'client sale id: repeating the command with it never sells twice')
    .option('--quote', 'only show what would happen; write nothing')
    .option('--promo <code>', 'a promo code')
    .option('--gift <code>', 'pay with a gift certificate (repeat for more)', collect, [])
    .option('--reward <id>', 'a reward from the program catalog, paid with points (repeat)', collect, [])
    .action(async (o: SaleOpts) => {
      const db = await ctx.db();
      const currency = readSettings(db).currency;
      if (o.saleId !== undefined && !isUuid(o.saleId)) fail('VALIDATION', '--sale-id must be a UUID');
      const req: SaleRequest = {
        items: parseItems(o.item),
        member: memberQuery(o),
        redeem: parseRedeem(o.redeem),
        payment: parsePayment(o.pay, currency),
        ...(o.at !== undefined ? { at: o.at } : {}),
        ...(o.saleId !== undefined ? { saleId: o.saleId } : {}),
        loyalty: { promoCode: o.promo ?? null, giftCodes: o.gift ?? [], rewards: o.reward ?? [] },
      };
      const fm = (n: number) => formatMoney(n, currency);
      if (o.quote) {
        const q = quoteSale(db, req);
        ctx.out(
          { ok: true, quote: q.quote, memberId: q.member?.id ?? null, at: q.at },
          [`Total ${fm(q.quote.total)}, with points ${fm(q.quote.redeemValue)}, to pay ${fm(q.quote.toPay)}`, ...q.quote.effects.map((e) => '  · ' + e.label)].join('\n'),
        );
        return;
      }
      // A registered till asks the chain server for a hold before committing a redemption (no I/O inside the commit).
      const c = await withChainRedemption(db, () => { const q = quoteSale(db, req); return { memberId: q.member?.id ?? null, redeemPoints: q.quote.redeemPoints }; }, () => commitSale(db, req));
      const receipt = buildSaleReceipt(db, c.saleId);
      const change = c.payments.find((p) => p.method === 'cash')?.change ?? 0;
      ctx.out(
        {
          ok: true, saleId: c.saleId, receiptNo: c.receiptNo, at: c.at, memberId: c.memberId, replayed: c.replayed,
          total: c.quote.total, toPay: c.quote.toPay, redeemPoints: c.quote.redeemPoints, redeemValue: c.quote.redeemValue, earnPoints: c.quote.earnPoints,
          balanceAfter: c.balanceAfter, payments: c.payments, effects: c.quote.effects, events: c.events.map((e) => ({ seq: e.seq, id: e.id, kind: e.kind, delta: e.delta })), receipt,
        },
        [
          `Sale №${c.receiptNo}${c.replayed ? ' (already recorded)' : ''}: total ${fm(c.quote.total)}, to pay ${fm(c.quote.toPay)}` + (change ? `, change ${fm(change)}` : ''),
          ...c.quote.effects.map((e) => '  · ' + e.label),
          ...(c.balanceAfter !== null ? [`  balance now ${c.balanceAfter} points`] : []),
        ].join('\n'),
      );
    });
}
