import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatMoney } from '../../../core/money/money';
import { fail } from '../../../core/util/errors';
import { listAudit, verifyAuditChain } from '../../audit/audit';
import { analyticsCsv, CSV_TABLES, defaultPeriod, loyaltyAnalytics, type CsvTable } from '../../reports/loyalty-analytics';
import { getZReport, lastZReport, type ZReport } from '../../shifts/close';
import { authorize } from '../../staff/authorize';
import { pinFrom } from '../../staff/pin-source';
import type { CliContext } from '../context';
import { reportText } from './shift';

export function register(program: Command, ctx: CliContext): void {
  const report = program.command('report').description('stored Z reports, loyalty analytics and the audit log');

  report
    .command('z')
    .description('stored Z reports: one shift (--shift N, default the last), or every shift closed between --from and --to')
    .option('--shift <N>', 'shift number')
    .option('--from <YYYY-MM-DD>', 'first closing date')
    .option('--to <YYYY-MM-DD>', 'last closing date')
    .option('--pin <PIN>', 'manager PIN (or $KOPILKA_PIN)')
    .action(async (o: { shift?: string; from?: string; to?: string; pin?: string }) => {
      const db = await ctx.db();
      authorize(db, pinFrom(o.pin), 'report.z');
      if (o.from || o.to) {
        const from = o.from ?? '0000-01-01';
        const to = o.to ?? '9999-12-31';
        const nums = db.prepare('SELECT shift_number FROM z_report WHERE substr(created_at, 1, 10) BETWEEN ? AND ? ORDER BY shift_number').pluck().all(from, to) as number[];
        const reports: ZReport[] = nums.map((n) => getZReport(db, n));
        const sum = (f: (z: ZReport) => number) => reports.reduce((a, z) => a + f(z), 0);
        const totals = {
          shifts: reports.length,
          sales: sum((z) => z.report.sales.count),
          total: sum((z) => z.report.sales.total),
          netTakings: sum((z) => z.report.netTakings),
          overShort: sum((z) => z.report.cash.overShort ?? 0),
          pointsIssued: sum((z) => z.report.loyalty.pointsIssued),
          pointsRedeemed: sum((z) => z.report.loyalty.pointsRedeemed),
        };
        const cur = reports[0]?.report.currency ?? 'RUB';
        ctx.out(
          { ok: true, from, to, totals, reports },
          [
            ...reports.map((z) => `№${z.report.shiftNumber}  ${z.report.closedAt}  sales ${z.report.sales.count}  total ${formatMoney(z.report.sales.total, cur)}  over/short ${formatMoney(z.report.cash.overShort ?? 0, cur)}`),
            `${totals.shifts} shifts: ${totals.sales} sales, ${formatMoney(totals.total, cur)}; net ${formatMoney(totals.netTakings, cur)}; points +${totals.pointsIssued} / −${totals.pointsRedeemed}`,
          ].join('\n'),
        );
        return;
      }
      let z: ZReport | null;
      if (o.shift !== undefined) {
        if (!/^\d{1,9}$/.test(o.shift)) fail('VALIDATION', '--shift takes the shift number, e.g. 12');
        z = getZReport(db, Number(o.shift));
      } else z = lastZReport(db);
      if (!z) fail('NOT_FOUND', 'No shift has been closed yet');
      ctx.out({ ok: true, z }, reportText(db, z.report, 'z_report', z.unsyncedEvents));
    });

  report
    .command('loyalty')
    .description('loyalty analytics for a period: members, repeat rate, frequency, average checks, cohorts, liability, tiers, campaigns')
    .option('--from <YYYY-MM-DD>', "first business date (default: first of this month in the shop's time zone)")
    .option('--to <YYYY-MM-DD>', "last business date (default: today in the shop's time zone)")
    .option('--csv <table>', `print one table as CSV instead: ${CSV_TABLES.join(', ')}`)
    .option('--out <file>', 'write the CSV to a file instead of stdout')
    .option('--pin <PIN>', 'manager PIN (or $KOPILKA_PIN)')
    .action(async (o: { from?: string; to?: string; csv?: string; out?: string; pin?: string }) => {
      const db = await ctx.db();
      authorize(db, pinFrom(o.pin), 'report.loyalty');
      // Defaults are business dates in the shop's time zone, as sales are dated.
      const today = defaultPeriod(db, new Date()).to;
      const a = loyaltyAnalytics(db, { from: o.from ?? today.slice(0, 8) + '01', to: o.to ?? today });
      if (o.csv !== undefined) {
        if (!(CSV_TABLES as readonly string[]).includes(o.csv)) fail('VALIDATION', `--csv takes one of: ${CSV_TABLES.join(', ')}`);
        const text = analyticsCsv(a, o.csv as CsvTable);
        if (o.out) {
          writeFileSync(o.out, text);
          ctx.out({ ok: true, file: o.out, table: o.csv }, `Wrote ${o.csv} to ${o.out}`);
        } else process.stdout.write(text);
        return;
      }
      const fm = (n: number) => formatMoney(n, a.currency);
      ctx.out(
        { ok: true, analytics: a },
        [
          `Loyalty ${a.period.from} … ${a.period.to}`,
          `  members ${a.members.total} (active ${a.members.active}, new ${a.members.new}, erased ${a.members.erased})`,
          `  repeat-purchase rate ${(a.repeatRateBps / 100).toFixed(2)}%, purchases per active member ${(a.frequencyX100 / 100).toFixed(2)}`,
          `  average check: members ${fm(a.averageCheck.members)} (${a.averageCheck.memberSales}), others ${fm(a.averageCheck.nonMembers)} (${a.averageCheck.nonMemberSales})`,
          `  points liability ${a.liability.points} pts = ${fm(a.liability.value)} (pending ${a.liability.pending}, debt ${a.liability.debt})`,
          ...a.liability.expiry.map((e) => `    expiring ${e.month}: ${e.points} pts = ${fm(e.value)}`),
          `  tiers: ${a.tiers.map((t) => `${t.tier} ${t.members}`).join(', ') || '—'}`,
          ...a.campaigns.map((c) => `  campaign ${c.name}: ${c.sales} sales, ${c.members} members, ${fm(c.revenue)}, +${c.points} pts, −${fm(c.discount)}`),
          '  cohorts (first-purchase month: retained per month):',
          ...a.cohorts.filter((c) => c.size > 0).map((c) => `    ${c.cohort} (${c.size}): ${c.retained.join(' ')}`),
        ].join('\n'),
      );
    });

  report
    .command('audit')
    .description('the audit log of sensitive actions, newest first, and whether its hash chain is intact')
    .option('--action <name>', 'only this action (refund, void, points.adjust, shift.close, member.erase, …)')
    .option('--limit <n>', 'how many', '50')
    .option('--pin <PIN>', 'manager PIN (or $KOPILKA_PIN)')
    .action(async (o: { action?: string; limit: string; pin?: string }) => {
      const db = await ctx.db();
      authorize(db, pinFrom(o.pin), 'report.z');
      const entries = listAudit(db, { ...(o.action ? { action: o.action } : {}), limit: Number(o.limit) || 50 });
      const broken = verifyAuditChain(db);
      const names = Object.fromEntries((db.prepare('SELECT id, name FROM staff').all() as { id: string; name: string }[]).map((s) => [s.id, s.name]));
      ctx.out(
        { ok: true, chainIntact: broken === null, brokenAt: broken, entries },
        [
          ...entries.map((e) => `${String(e.seq).padStart(5)} ${e.at} ${e.action.padEnd(16)} ${(e.staffId ? names[e.staffId] ?? e.staffId : '—').padEnd(16)} ${e.subjectId ?? ''}${e.reason ? ' — ' + e.reason : ''}`),
          broken === null ? 'Audit chain intact.' : `AUDIT CHAIN BROKEN at entry ${broken}`,
        ].join('\n'),
      );
    });
}
