/**
 * Shifts, reports, staff and privacy: how long the manager waits for an X/Z report on a busy
 * day, loyalty analytics over a year, a PIN check (scrypt), a member erasure. Real SQLite file.
 */
import { performance } from 'node:perf_hooks';
import { authorize } from '../backend/staff/authorize';
import { addStaff } from '../backend/staff/staff';
import { createTestStore } from '../backend/testing/store';
import { closeShift, xReport } from '../backend/shifts/close';
import { openShift } from '../backend/shifts/shift';
import { loyaltyAnalytics } from '../backend/reports/loyalty-analytics';
import { rawMember, rawSale } from '../backend/reports/test-fixtures';
import { eraseMember } from '../backend/privacy/privacy';
import type { BenchResult } from './types';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<BenchResult[]> {
  const store = await createTestStore('kopilka-bench-shifts-', { openShift: false });
  const db = store.db;
  try {
    const o = addStaff(db, null, { name: 'Owner', role: 'owner', pin: '2580' });
    const owner = { staffId: o.id, name: o.name, role: o.role };
    addStaff(db, owner, { name: 'Manager', role: 'manager', pin: '1357' });
    addStaff(db, owner, { name: 'Cashier', role: 'cashier', pin: '2468' });

    const pin: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      authorize(db, '1357', 'shift.close');
      pin.push(performance.now() - t);
    }

    // A year of history: 1 000 members, 10 000 sales (60 % members); the last 1 000 fall in the open shift.
    const members: string[] = [];
    const day = (i: number) => new Date(Date.parse('2025-12-01T09:00:00+03:00') + i * 52 * 60_000).toISOString();
    const sell = (from: number, to: number) =>
      db.transaction(() => {
        for (let i = from; i < to; i++) {
          const member = i % 5 < 3 ? members[(i * 7919) % members.length]! : null;
          const total = 15_000 + ((i * 37) % 40) * 1000;
          rawSale(db, { memberId: member, subtotal: total, discount: 0, redeemPoints: 0, redeemValue: 0, cash: i % 2 ? total : 0, card: i % 2 ? 0 : total, earn: member ? Math.floor(total / 2000) : 0, at: day(i) });
        }
      })();
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) members.push(rawMember(db, day(i * 9), 'M' + i));
    })();
    sell(0, 9_000);
    openShift(db, owner, { openingFloat: 300_000, at: day(9_000) });
    sell(9_000, 10_000);

    const x: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      xReport(db, day(10_001));
      x.push(performance.now() - t);
    }
    let t = performance.now();
    const { z } = closeShift(db, owner, { countedCash: 0, at: day(10_002) });
    const close = performance.now() - t;
    t = performance.now();
    loyaltyAnalytics(db, { from: '2025-12-01', to: '2026-11-30' }, day(10_003));
    const analytics = performance.now() - t;
    t = performance.now();
    eraseMember(db, owner, members[0]!, 'bench', day(10_004));
    const erase = performance.now() - t;

    return [
      { name: 'PIN check (scrypt N=2^14, PIN-only among 3 staff)', unit: 'ms', value: Math.round(median(pin)), target: '≤ 300', note: 'median of 5; the second of 3 staff matches (2 scrypt runs)' },
      { name: `X report, shift of ${z.report.sales.count} sales`, unit: 'ms', value: Math.round(median(x)), target: '≤ 500', note: 'median of 5' },
      { name: 'close shift + store Z report', unit: 'ms', value: Math.round(close), target: '≤ 1000' },
      { name: 'loyalty analytics, 1 year, 1 000 members, 10 000 sales', unit: 'ms', value: Math.round(analytics), target: '≤ 3000' },
      { name: 'erase one member (secure_delete + WAL checkpoint)', unit: 'ms', value: Math.round(erase), target: '≤ 1000' },
    ];
  } finally {
    store.cleanup();
  }
}
