import type { Command } from 'commander';
import { formatMoney } from '../../../core/money/money';
import { fail } from '../../../core/util/errors';
import { isUuid } from '../../../core/util/ids';
import { readSettings } from '../../db/settings';
import { buildRefundReceipt } from '../../sales/receipt';
import { refundSale } from '../../sales/refund';
import { asAuthorised } from '../../staff/cli-authority';
import type { CliContext } from '../context';
import { collect, parseRefundLines } from '../options';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('refund')
    .description('refund a whole sale or some lines (by receipt number or sale id); --void cancels the whole sale')
    .argument('<sale>', 'sale id or receipt number')
    .option('--line <N:QTY>', 'line number and quantity to return (repeat); default: everything not yet returned', collect, [])
    .option('--void', 'void the whole sale (cashier mistake) instead of a refund')
    .option('--reason <text>', 'why', '')
    .option('--at <ISO>', 'business time (default: now)')
    .option('--refund-id <uuid>', 'client refund id: repeating the command with it never refunds twice')
    .option('--pin <PIN>', 'manager PIN (or $KOPILKA_PIN); the refund and its audit entry are on that manager')
    .action(async (sale: string, o: { line: string[]; void?: boolean; reason: string; at?: string; refundId?: string; pin?: string }) => {
      const db = await ctx.db();
      if (o.refundId !== undefined && !isUuid(o.refundId)) fail('VALIDATION', '--refund-id must be a UUID');
      const lines = parseRefundLines(o.line);
      // The PIN is checked before anything else is read: a wrong one changes nothing but the lockout counter.
      const r = asAuthorised(db, o.pin, o.void ? 'void' : 'refund', (who) =>
        refundSale(db, {
          sale,
          ...(lines ? { lines } : {}),
          kind: o.void ? 'void' : 'refund',
          reason: who ? (o.reason ? `${o.reason} (${who.name})` : who.name) : o.reason,
          ...(o.at !== undefined ? { at: o.at } : {}),
          ...(o.refundId !== undefined ? { refundId: o.refundId } : {}),
        }),
      );
      const currency = readSettings(db).currency;
      const fm = (n: number) => formatMoney(n, currency);
      const receipt = buildRefundReceipt(db, r.refundId);
      ctx.out(
        { ok: true, ...r, events: r.events.map((e) => ({ seq: e.seq, id: e.id, kind: e.kind, delta: e.delta, refEventId: e.refEventId })), receipt },
        [
          `${r.kind === 'void' ? 'Void' : 'Refund'} №${r.refundNo}: give back ${fm(r.amount)} (cash ${fm(r.cash)}, card ${fm(r.card)})`,
          `  points clawed back ${r.pointsClawed}, restored ${r.pointsRestored}` + (r.balanceAfter !== null ? `; balance now ${r.balanceAfter}` : ''),
          ...(r.debt > 0 ? [`  the member now owes ${r.debt} points (debt)`] : []),
        ].join('\n'),
      );
    });
}
