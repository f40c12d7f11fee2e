import type { Command } from 'commander';
import { fail } from '../../../core/util/errors';
import { rowToEvent, verifyLedger, type LedgerRow } from '../../db/ledger';
import { dropLotProjection, verifyLotProjection } from '../../loyalty/verify-lots';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  const ledger = program.command('ledger').description('the append-only points ledger');

  ledger
    .command('verify')
    .description('re-check every hash in the chain, that seqs have no gaps, that every cached balance equals the sum of its events, and that the stored lots equal a replay')
    .action(async () => {
      const db = await ctx.db();
      const r = verifyLedger(db);
      if (!r.ok) {
        // Exit non-zero with the first bad row; stdout still carries the report for --json readers.
        ctx.out({ ...r, ok: false }, `LEDGER BROKEN at ${r.problem?.seq !== null ? 'seq ' + r.problem?.seq : 'member ' + r.problem?.memberId}: ${r.problem?.message}`);
        fail('CONFLICT', `Ledger verification failed: ${r.problem?.message}`, { problem: r.problem as unknown as Record<string, unknown> });
      }
      const lots = verifyLotProjection(db);
      if (!lots.ok) {
        ctx.out({ ...r, ok: false, lots }, `LOT PROJECTION STALE: ${lots.problem?.message}`);
        fail('CONFLICT', `Ledger verification failed: ${lots.problem?.message}`, { problem: lots.problem as unknown as Record<string, unknown> });
      }
      ctx.out({ ...r, ok: true, lots }, `Ledger OK: ${r.events} events, ${r.members} members, head seq ${r.headSeq}, head hash ${r.headHash.slice(0, 16)}…; stored lots of ${lots.members} members equal their replay`);
    });

  ledger
    .command('rebuild-lots')
    .description('drop the stored lot projection (a cache of the ledger); answers stay the same, each member’s next sale stores it again')
    .action(async () => {
      const db = await ctx.db();
      const n = dropLotProjection(db);
      ctx.out({ ok: true, dropped: n }, `Dropped the stored lots of ${n} members; they are replayed from the ledger until their next sale`);
    });

  ledger
    .command('show')
    .description('the last events (newest first)')
    .option('--limit <n>', 'how many', '20')
    .option('--member <id>', 'only this member')
    .action(async (o: { limit: string; member?: string }) => {
      const n = Number(o.limit);
      if (!Number.isSafeInteger(n) || n <= 0 || n > 10_000) fail('VALIDATION', '--limit must be 1..10000');
      const db = await ctx.db();
      const rows = (o.member
        ? db.prepare('SELECT * FROM ledger_event WHERE member_id = ? ORDER BY seq DESC LIMIT ?').all(o.member, n)
        : db.prepare('SELECT * FROM ledger_event ORDER BY seq DESC LIMIT ?').all(n)) as LedgerRow[];
      const events = rows.map(rowToEvent);
      ctx.out({ ok: true, events }, events.map((e) => `#${e.seq} ${e.occurredAt} ${e.kind.padEnd(15)} ${e.delta >= 0 ? '+' : ''}${e.delta} ${e.memberId ?? ''}`).join('\n'));
    });
}
