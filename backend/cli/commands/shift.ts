import type { Command } from 'commander';
import { formatMoney, parseAmount } from '../../../core/money/money';
import { readSettings } from '../../db/settings';
import type { Db } from '../../db/types';
import { shiftReportModel } from '../../reports/print-model';
import type { ShiftReport } from '../../reports/shift-report';
import { closeShift, unsyncedEventCount, xReport } from '../../shifts/close';
import { currentShift, openShift, recordCashMovement } from '../../shifts/shift';
import { authorize } from '../../staff/authorize';
import { pinFrom } from '../../staff/pin-source';
import { setSession } from '../../staff/staff';
import type { CliContext } from '../context';

/** Human text for an X/Z report: the same sections as the printout. */
export function reportText(db: Db, r: ShiftReport, kind: 'x_report' | 'z_report', unsyncedEvents?: number): string {
  const staffNames = Object.fromEntries((db.prepare('SELECT id, name FROM staff').all() as { id: string; name: string }[]).map((s) => [s.id, s.name]));
  const s = readSettings(db);
  const model = shiftReportModel(r, kind, { shop: { name: s.shopName, address: [] }, timezone: s.timezone, staffNames, ...(unsyncedEvents !== undefined ? { unsyncedEvents } : {}) });
  const lines = [`${model.title} — ${model.subtitle ?? ''} — ${model.time}`];
  for (const sec of model.sections) {
    if (sec.title) lines.push('', sec.title);
    for (const row of sec.rows) {
      const v = 'money' in row.value ? formatMoney(row.value.money, r.currency) : 'count' in row.value ? String(row.value.count) : row.value.text;
      lines.push(`  ${row.label.padEnd(28)} ${v}`);
    }
  }
  if (model.footer.length) lines.push('', ...model.footer);
  return lines.join('\n');
}

async function maybePrint(db: Db, kind: 'x' | 'z', shiftNumber: number): Promise<string> {
  const { printX, printZ } = await import('../../printing/service');
  const o = kind === 'x' ? await printX(db) : await printZ(db, shiftNumber);
  return o.printed ? 'Printed.' : `Not printed yet (${o.result.message ?? 'printer not ready'}); the job waits in the queue.`;
}

export function register(program: Command, ctx: CliContext): void {
  const shift = program.command('shift').description('cash shifts: open with a float, cash in/out, X report, close with the counted cash (Z report)');

  shift
    .command('open')
    .description('open a shift with the cash float in the drawer; the opener is signed in at the till')
    .requiredOption('--float <amount>', 'cash in the drawer at the start, e.g. 3000 or 3000.50')
    .option('--pin <PIN>', 'your PIN (or $KOPILKA_PIN)')
    .option('--at <ISO>', 'business time (default: now)')
    .action(async (o: { float: string; pin?: string; at?: string }) => {
      const db = await ctx.db();
      const who = authorize(db, pinFrom(o.pin), 'shift.open');
      const s = openShift(db, who, { openingFloat: parseAmount(o.float, readSettings(db).currency), ...(o.at ? { at: o.at } : {}) });
      setSession(db, who);
      ctx.out({ ok: true, shift: s }, `Shift №${s.number} open, float ${formatMoney(s.openingFloat, readSettings(db).currency)} (${who.name})`);
    });

  for (const kind of ['in', 'out'] as const) {
    shift
      .command(`cash-${kind}`)
      .description(kind === 'in' ? 'put cash into the drawer (e.g. change from the bank)' : 'take cash out of the drawer (e.g. to the safe, paying a courier)')
      .requiredOption('--amount <amount>', 'how much, e.g. 500')
      .requiredOption('--reason <text>', 'why')
      .option('--pin <PIN>', 'your PIN (or $KOPILKA_PIN)')
      .option('--at <ISO>', 'business time (default: now)')
      .action(async (o: { amount: string; reason: string; pin?: string; at?: string }) => {
        const db = await ctx.db();
        const who = authorize(db, pinFrom(o.pin), 'shift.cash');
        const cur = readSettings(db).currency;
        const m = recordCashMovement(db, who, { kind, amount: parseAmount(o.amount, cur), reason: o.reason, ...(o.at ? { at: o.at } : {}) });
        ctx.out({ ok: true, movement: m }, `Cash ${kind} ${formatMoney(m.amount, cur)}: ${m.reason}`);
      });
  }

  shift
    .command('x')
    .description('X report: the open shift so far (nothing is closed or stored)')
    .option('--pin <PIN>', 'your PIN (or $KOPILKA_PIN)')
    .option('--print', 'also print it')
    .action(async (o: { pin?: string; print?: boolean }) => {
      const db = await ctx.db();
      authorize(db, pinFrom(o.pin), 'report.x');
      const r = xReport(db);
      const printed = o.print ? await maybePrint(db, 'x', r.shiftNumber) : null;
      ctx.out({ ok: true, report: r, unsyncedEvents: unsyncedEventCount(db), ...(printed ? { printed } : {}) }, reportText(db, r, 'x_report', unsyncedEventCount(db)) + (printed ? '\n' + printed : ''));
    });

  shift
    .command('status')
    .description('whether a shift is open')
    .action(async () => {
      const db = await ctx.db();
      const s = currentShift(db);
      ctx.out({ ok: true, shift: s }, s ? `Shift №${s.number} open since ${s.openedAt}` : 'No shift is open');
    });

  shift
    .command('close')
    .description('close the shift with the counted cash: expected vs counted, over/short; stores the Z report')
    .requiredOption('--counted <amount>', 'cash counted in the drawer, e.g. 12450')
    .option('--note <text>', 'note for the audit log (e.g. why the cash is short)')
    .option('--sync', 'send unsynced events to the server first (closing goes ahead even if that fails)')
    .option('--print', 'print the Z report')
    .option('--pin <PIN>', 'manager PIN (or $KOPILKA_PIN)')
    .option('--at <ISO>', 'business time (default: now)')
    .action(async (o: { counted: string; note?: string; sync?: boolean; print?: boolean; pin?: string; at?: string }) => {
      const db = await ctx.db();
      const who = authorize(db, pinFrom(o.pin), 'shift.close');
      const cur = readSettings(db).currency;
      const counted = parseAmount(o.counted, cur);
      const notes: string[] = [];
      let unsynced = unsyncedEventCount(db);
      if (unsynced > 0 && o.sync) {
        try {
          const { syncNow } = await import('../../sync/index');
          const rep = await syncNow(db);
          notes.push(`Synced: ${rep.acknowledged} events acknowledged, ${rep.pending} still waiting`);
        } catch (err) {
          notes.push(`Sync failed (${err instanceof Error ? err.message : String(err)}); closing anyway`);
        }
        unsynced = unsyncedEventCount(db);
      }
      if (unsynced > 0) {
        const warn = `Warning: ${unsynced} events are not yet on the server.` + (o.sync ? '' : ' Run with --sync to send them before closing.');
        notes.push(warn);
        process.stderr.write(warn + '\n');
      }
      const { shift: s, z } = closeShift(db, who, { countedCash: counted, ...(o.note ? { note: o.note } : {}), ...(o.at ? { at: o.at } : {}) });
      const printed = o.print ? await maybePrint(db, 'z', s.number) : null;
      if (printed) notes.push(printed);
      const os = s.overShort ?? 0;
      ctx.out(
        { ok: true, shift: s, z, notes },
        [
          reportText(db, z.report, 'z_report', z.unsyncedEvents),
          '',
          `Expected ${formatMoney(s.expectedCash ?? 0, cur)}, counted ${formatMoney(counted, cur)}: ${os === 0 ? 'exact' : os > 0 ? 'over ' + formatMoney(os, cur) : 'short ' + formatMoney(-os, cur)}`,
          ...notes,
        ].join('\n'),
      );
    });
}
