import type { Command } from 'commander';
import { fail } from '../../../core/util/errors';
import type { CliContext } from '../context';

/** RFC 4180 field: quoted when it holds a comma, quote or newline; formula-looking text neutralised for spreadsheets. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // A cell starting with = + - @ is run as a formula by spreadsheets; numbers and E.164 phones are left alone.
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+$/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

const QUERIES = {
  members: {
    header: ['id', 'name', 'phone', 'birthday', 'cards', 'balance', 'consent_pd', 'consent_pd_at', 'consent_marketing', 'consent_marketing_at', 'created_at'],
    sql: `SELECT m.id, m.name, m.phone, m.birthday,
            (SELECT group_concat(code, ' ') FROM member_card c WHERE c.member_id = m.id) AS cards,
            coalesce(b.balance, 0) AS balance, m.consent_pd, m.consent_pd_at, m.consent_marketing, m.consent_marketing_at, m.created_at
          FROM member m LEFT JOIN member_balance b ON b.member_id = m.id ORDER BY m.created_at, m.id`,
  },
  ledger: {
    header: ['seq', 'id', 'terminal_id', 'kind', 'member_id', 'delta', 'sale_id', 'ref_event_id', 'occurred_at', 'program_version', 'payload', 'prev_hash', 'hash'],
    sql: 'SELECT seq, id, terminal_id, kind, member_id, delta, sale_id, ref_event_id, occurred_at, program_version, payload, prev_hash, hash FROM ledger_event ORDER BY seq',
  },
} as const;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('export members or the ledger as CSV on stdout')
    .argument('<what>', 'members | ledger')
    .option('--csv', 'CSV (the only format; accepted for clarity)')
    .action(async (what: string) => {
      if (what !== 'members' && what !== 'ledger') fail('VALIDATION', `Cannot export "${what}": choose members or ledger`);
      const q = QUERIES[what];
      const db = await ctx.db();
      process.stdout.write(csvLine(q.header));
      const it = db.prepare(q.sql).raw().iterate() as IterableIterator<unknown[]>;
      let buf = '';
      for (const row of it) {
        buf += csvLine(row);
        if (buf.length > 1 << 16) {
          process.stdout.write(buf);
          buf = '';
        }
      }
      process.stdout.write(buf);
    });
}
