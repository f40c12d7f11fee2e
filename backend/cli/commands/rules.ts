import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkProgram, programJsonSchema, type Program } from '../../../core/loyalty/program';
import { formatMoney } from '../../../core/money/money';
import { fail } from '../../../core/util/errors';
import { expirePoints, listPrograms, loadActiveProgram, programByVersion, saveProgram, simulateProgram } from '../../loyalty/index';
import { asAuthorised } from '../../staff/cli-authority';
import type { CliContext } from '../context';

/** `kopilka rules show | validate FILE | set FILE | simulate FILE --from --to | history | schema | expire`. */
function readProgramFile(file: string): Program {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    fail('NOT_FOUND', `Cannot read ${file}: check the path`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail('VALIDATION', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const r = checkProgram(json);
  if (!r.ok) fail('VALIDATION', `${file} is not a valid program:\n  ${r.problems.join('\n  ')}`, { problems: [...r.problems] });
  return r.program;
}

function summary(p: Program): string[] {
  const b = p.earn.base;
  const earn = b.mode === 'percent' ? `${b.bps / 100}% cashback` : `${b.points} pts per ${formatMoney(b.per, p.currency)}${b.steps ? ' (whole steps)' : ''}`;
  return [
    `earning: ${earn}, rounding ${p.earn.rounding}, ${p.earn.rules.length} product/category rules`,
    `redeem: ${p.redeem.enabled ? `1 pt = ${formatMoney(p.redeem.pointValue, p.currency)}, up to ${p.redeem.maxShareBps / 100}% of the check, from ${p.redeem.minBalance} pts` : 'off'}`,
    `tiers: ${p.tiers ? p.tiers.levels.map((l) => `${l.name} from ${formatMoney(l.threshold, p.currency)}`).join(' / ') + ` (${p.tiers.kind}, ${p.tiers.basis})` : 'none'}`,
    `campaigns: ${p.campaigns.map((c) => c.name).join(', ') || 'none'}`,
    `bonuses: ${[p.bonuses.birthday ? `birthday ${p.bonuses.birthday.points}` : '', p.bonuses.welcome ? `welcome ${p.bonuses.welcome.points}` : '', p.bonuses.referral ? `referral ${p.bonuses.referral.newMemberPoints}/${p.bonuses.referral.referrerPoints}` : '', ...p.bonuses.actions.map((a) => `${a.name} ${a.points}`)].filter(Boolean).join(', ') || 'none'}`,
    `stamps: ${p.stamps.map((s) => `${s.name} ${s.goal}`).join(', ') || 'none'}; rewards: ${p.rewards.map((r) => `${r.name} (${r.cost} pts)`).join(', ') || 'none'}`,
    `points: pending ${p.points.pendingDays} days, ${p.points.expiryDays ? `expire after ${p.points.expiryDays} days` : 'never expire'}`,
  ];
}

export function register(program: Command, ctx: CliContext): void {
  const rules = program.command('rules').description('the loyalty program: show, validate, set, simulate on past sales');

  rules
    .command('show')
    .description('the program in force now (or --version N)')
    .option('--version <n>', 'a stored version')
    .option('--at <ISO>', 'which program is in force at this time')
    .action(async (o: { version?: string; at?: string }) => {
      const db = await ctx.db();
      const at = o.at ?? new Date().toISOString();
      if (o.version !== undefined && !/^\d{1,9}$/.test(o.version)) fail('VALIDATION', `--version takes a version number, got "${o.version}"`);
      const { version, program: p } = o.version !== undefined ? { version: Number(o.version), program: programByVersion(db, Number(o.version)) } : loadActiveProgram(db, at);
      ctx.out({ ok: true, version, program: p }, [`Program v${version ?? '0 (built-in default)'}: ${p.name}`, ...summary(p).map((l) => '  ' + l)].join('\n'));
    });

  rules
    .command('validate')
    .argument('<file>', 'program JSON file')
    .description('check a program file without storing it')
    .action((file: string) => {
      const p = readProgramFile(file);
      ctx.out({ ok: true, name: p.name }, [`${file}: valid program "${p.name}"`, ...summary(p).map((l) => '  ' + l)].join('\n'));
    });

  rules
    .command('set')
    .argument('<file>', 'program JSON file')
    .description('store the file as a new program version (older versions are kept)')
    .option('--from <ISO>', 'when it takes effect (default: now)')
    .option('--note <text>', 'why it changed', '')
    .option('--pin <PIN>', 'manager PIN (or $KOPILKA_PIN); the change is audited under that manager')
    .action(async (file: string, o: { from?: string; note: string; pin?: string }) => {
      // The file is checked first so a typo in it does not cost a PIN attempt.
      const p = readProgramFile(file);
      const db = await ctx.db();
      const from = o.from ?? new Date().toISOString();
      const version = asAuthorised(db, o.pin, 'program.change', () => db.transaction(() => saveProgram(db, p, from, o.note)).immediate());
      ctx.out({ ok: true, version, activeFrom: from, name: p.name }, `Stored "${p.name}" as program v${version}, in force from ${from}`);
    });

  rules
    .command('history')
    .description('every stored program version')
    .action(async () => {
      const db = await ctx.db();
      const versions = listPrograms(db);
      ctx.out({ ok: true, versions }, versions.map((v) => `v${v.version}  from ${v.activeFrom}  ${v.name}${v.note ? '  — ' + v.note : ''}`).join('\n') || 'No program stored yet: the built-in default applies');
    });

  rules
    .command('simulate')
    .argument('<file>', 'candidate program JSON file')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .description('replay stored sales under the candidate: per day, Δ points issued and redeemed, and the cost in money')
    .action(async (file: string, o: { from: string; to: string }) => {
      const candidate = readProgramFile(file);
      const db = await ctx.db();
      const sim = simulateProgram(db, candidate, o.from, o.to);
      const fm = (n: number) => formatMoney(n, sim.currency);
      const sign = (n: number) => (n > 0 ? '+' : '') + n;
      const lines = [
        `Simulation of "${candidate.name}" on ${sim.totals.sales} sales, ${sim.from} … ${sim.to}`,
        'date        sales  issued(now→cand)   Δissued  Δredeemed  Δdiscount   cost',
        ...sim.days.map((d) => `${d.date}  ${String(d.actual.sales).padStart(5)}  ${`${d.actual.issued}→${d.candidate.issued}`.padStart(16)}  ${sign(d.delta.issued).padStart(8)}  ${sign(d.delta.redeemed).padStart(9)}  ${fm(d.delta.discount).padStart(10)}  ${fm(d.delta.cost)}`),
        `total: Δissued ${sign(sim.totals.issued)} pts, Δredeemed ${sign(sim.totals.redeemed)} pts, Δdiscount ${fm(sim.totals.discount)}, cost ${fm(sim.totals.cost)}`,
        ...(sim.refused.length ? [`${sim.refused.length} sale(s) the candidate would refuse, e.g. №${sim.refused[0]!.receiptNo}: ${sim.refused[0]!.reason}`] : []),
      ];
      ctx.out({ ok: true, ...sim }, lines.join('\n'));
    });

  rules
    .command('schema')
    .description('print the JSON Schema of a program file')
    .action(() => {
      process.stdout.write(JSON.stringify(programJsonSchema(), null, 2) + '\n');
    });

  rules
    .command('expire')
    .description('write `expire` events for points past their expiry date')
    .option('--at <ISO>', 'as of this time (default: now)')
    .action(async (o: { at?: string }) => {
      const db = await ctx.db();
      const events = expirePoints(db, o.at ?? new Date().toISOString());
      const points = events.reduce((a, e) => a - e.delta, 0);
      ctx.out({ ok: true, events: events.length, points, members: new Set(events.map((e) => e.memberId)).size }, `${points} points expired in ${events.length} lot(s)`);
    });
}
