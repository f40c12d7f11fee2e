import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProgram, type Program } from '../core/loyalty/program';
import { quote, type CartLine, type MemberSnapshot } from '../core/loyalty/quote';
import { line } from '../core/loyalty/testkit';
import { upsertProduct } from '../backend/catalog/catalog';
import { openStore } from '../backend/db/connection';
import { loadMemberSnapshot, saveProgram, simulateProgram } from '../backend/loyalty/index';
import { addMember } from '../backend/members/members';
import { commitSale } from '../backend/sales/checkout';
import { openUnattendedShift } from '../backend/shifts/shift';
import { percentile, round, sample, type BenchResult } from './types';

/**
 * Loyalty engine figures: quote p50/p99 for a 20-line cart under a program with 30 active rules
 * (target ≤ 0.3 ms p99), member snapshot load from a real SQLite file, and simulator throughput.
 */
const CATS = ['coffee', 'tea', 'pastry', 'dessert', 'breakfast', 'lunch', 'drinks', 'shop', 'beans', 'snacks'];

export function thirtyRuleProgram(): Program {
  return parseProgram({
    name: 'bench: 30 active rules',
    earn: {
      base: { mode: 'percent', bps: 500 },
      minCheck: 10_000,
      exclude: { categories: ['alcohol'] },
      rules: [
        ...CATS.slice(0, 6).map((c, i) => ({ id: `mult-${c}`, mode: 'multiplier', scope: { categories: [c] }, bps: 15_000 + 1000 * i, group: i % 2 ? 'promo' : 'extra', priority: 10 + i })),
        ...CATS.slice(6).map((c, i) => ({ id: `fixed-${c}`, mode: 'fixed', scope: { categories: [c] }, pointsPerUnit: 5 + i })),
      ],
    },
    redeem: { pointValue: 100, maxShareBps: 5000, minBalance: 100 },
    tiers: { basis: 'rolling', levels: [{ id: 'b', name: 'Bronze', threshold: 0, earnBps: 500 }, { id: 's', name: 'Silver', threshold: 1_500_000, earnBps: 700 }, { id: 'g', name: 'Gold', threshold: 4_000_000, earnBps: 1000 }] },
    campaigns: CATS.map((c, i) => ({
      id: `camp-${i}`,
      name: `Campaign ${i}`,
      from: '2026-01-01',
      to: '2026-12-31',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      times: [{ from: '07:00', to: '23:00' }],
      scope: { categories: [c] },
      effect: i % 2 ? { kind: 'multiplier', bps: 20_000 } : { kind: 'fixed', points: 10 },
      perMemberLimit: 100,
      group: i % 3 === 0 ? 'promo' : undefined,
      priority: 50 + i,
    })),
    bonuses: { birthday: { points: 500, windowDays: 3 }, welcome: { points: 100, afterFirstPurchase: true }, referral: { newMemberPoints: 100, referrerPoints: 200 } },
    stamps: [
      { id: 'coffee', name: 'Coffee', scope: { categories: ['coffee'] }, goal: 10, reward: { kind: 'free_item' } },
      { id: 'lunch', name: 'Lunch', scope: { categories: ['lunch'] }, goal: 5, rewardItem: 'last', reward: { kind: 'percent_off', bps: 1500 } },
    ],
    rewards: [{ id: 'ten-off', name: '10% off', cost: 300, reward: { kind: 'percent_off', bps: 1000 } }],
    stacking: { groups: [{ id: 'promo', mode: 'best_of' }, { id: 'extra', mode: 'add_up', capPoints: 500 }], maxEarnPerSale: 3000, maxDiscountShareBps: 5000 },
    points: { pendingDays: 14, expiryDays: 365 },
  });
}

export function twentyLineCart(): CartLine[] {
  return Array.from({ length: 20 }, (_, i) => line(i + 1, `item${i}`, CATS[i % CATS.length]!, 5_000 + 1_370 * i, 1 + (i % 3)));
}

const member: MemberSnapshot = {
  id: 'm',
  balance: 2_000,
  pending: 120,
  tier: { levelId: 's', reviewAt: '2026-12-01T00:00:00+03:00' },
  windowSpend: 2_000_000,
  stamps: { coffee: { count: 8, lastAt: '2026-03-01T10:00:00+03:00' }, lunch: { count: 3, lastAt: '2026-03-01T10:00:00+03:00' } },
  campaignUses: { 'camp-1': 3 },
  birthday: '1990-03-11',
  birthdayBonusYears: [2025],
  firstPurchase: false,
  welcomeGranted: true,
  referrerId: null,
  referralGranted: false,
  lots: Array.from({ length: 10 }, (_, i) => ({ eventId: `e${i}`, seq: i + 1, points: 200, remaining: 200, availableAt: '2025-06-01T00:00:00+03:00', expiresAt: `2026-0${4 + (i % 5)}-15T00:00:00+03:00` })),
};

export async function run(): Promise<BenchResult[]> {
  const program = thirtyRuleProgram();
  const activeRules = program.earn.rules.length + program.campaigns.length + program.stamps.length + program.rewards.length + program.tiers!.levels.length + 3 + 1;
  const cart = twentyLineCart();
  const at = '2026-03-10T17:00:00+03:00';
  const q = quote({ program, programVersion: 1, lines: cart, member, redeem: { mode: 'max' }, at, rewards: ['ten-off'] });
  const samples = sample(20_000, (i) => {
    quote({ program, programVersion: 1, lines: i % 2 ? cart : [...cart].reverse(), member, redeem: { mode: 'max' }, at, rewards: ['ten-off'] });
  }, 2_000);
  // CPU time per quote as well: the wall-clock p99 includes whatever else the machine is running.
  const c0 = process.cpuUsage();
  for (let i = 0; i < 5_000; i++) quote({ program, programVersion: 1, lines: cart, member, redeem: { mode: 'max' }, at, rewards: ['ten-off'] });
  const cpu = process.cpuUsage(c0);
  // And the CPU time of each quote on its own: on a shared machine the wall-clock tail is mostly
  // other processes' time slices, this one is only ours (GC threads included; ~1 µs of cpuUsage itself).
  const perQuoteCpu = new Array<number>(20_000);
  for (let i = 0; i < perQuoteCpu.length; i++) {
    const t0 = process.cpuUsage();
    quote({ program, programVersion: 1, lines: i % 2 ? cart : [...cart].reverse(), member, redeem: { mode: 'max' }, at, rewards: ['ten-off'] });
    const t = process.cpuUsage(t0);
    perQuoteCpu[i] = (t.user + t.system) / 1000;
  }
  const out: BenchResult[] = [
    { name: 'quote p50 (20 lines, 30 rules)', unit: 'ms', value: round(percentile(samples, 50), 4) },
    { name: 'quote mean CPU time', unit: 'ms', value: round((cpu.user + cpu.system) / 1000 / 5_000, 4) },
    { name: 'quote p99 CPU time per quote', unit: 'ms', value: round(percentile(perQuoteCpu, 99), 4), note: 'process CPU time of each quote alone (not the target: that is wall-clock)' },
    { name: 'quote p99 (20 lines, 30 rules)', unit: 'ms', value: round(percentile(samples, 99), 4), target: '≤ 0.3 ms', ok: percentile(samples, 99) <= 0.3, note: `${activeRules} rules, ${q.effects.length} effect lines` },
  ];

  // Snapshot and simulator on a real file.
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-bench-loyalty-'));
  try {
    const db = await openStore(join(dir, 'k.db'));
    saveProgram(db, JSON.parse(JSON.stringify(program)), '2000-01-01T00:00:00Z');
    openUnattendedShift(db, 'demo', '2000-01-01T00:00:00.000Z');
    CATS.forEach((c, i) => upsertProduct(db, { sku: `P${i}`, name: `Product ${i}`, category: c, price: 10_000 + 1_000 * i }));
    const members = Array.from({ length: 50 }, (_, i) => addMember(db, { name: `M${i}`, phone: `+7916${String(1_000_000 + i)}`, card: `BM-${i}`, birthday: '1990-03-11', consentPd: true }, '2026-01-01T10:00:00+03:00'));
    const t0 = Date.parse('2026-01-02T09:00:00+03:00');
    let n = 0;
    for (let d = 0; d < 60; d++) {
      for (let k = 0; k < 20; k++, n++) {
        const m = members[n % members.length]!;
        const iso = new Date(t0 + d * 86_400_000 + k * 1_800_000).toISOString().replace('Z', '+00:00');
        commitSale(db, { items: [{ code: `P${n % 10}`, qty: 1 + (n % 3) }, { code: `P${(n + 3) % 10}`, qty: 1 }], member: { card: `BM-${members.indexOf(m)}` }, at: iso, payment: { method: 'card' }, redeem: n % 4 === 0 ? { mode: 'max' } : { mode: 'none' } });
      }
    }
    const snap = sample(500, (i) => loadMemberSnapshot(db, members[i % members.length]!.id, '2026-03-05T12:00:00+03:00', program), 50);
    out.push({ name: 'member snapshot p50 (≈24 sales/member)', unit: 'ms', value: round(percentile(snap, 50)) });
    out.push({ name: 'member snapshot p99 (≈24 sales/member)', unit: 'ms', value: round(percentile(snap, 99)) });
    const s0 = process.hrtime.bigint();
    const sim = simulateProgram(db, parseProgram({ name: 'candidate', earn: { base: { mode: 'percent', bps: 700 } }, redeem: {} }), '2026-01-01', '2026-03-31');
    const secs = Number(process.hrtime.bigint() - s0) / 1e9;
    out.push({ name: 'simulator throughput', unit: 'sales/s', value: Math.round(sim.totals.sales / secs), note: `${sim.totals.sales} sales, ${sim.days.length} days` });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
