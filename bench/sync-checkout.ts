import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upsertProduct } from '../backend/catalog/catalog';
import { openStore } from '../backend/db/connection';
import type { Db } from '../backend/db/types';
import { saveProgram } from '../backend/loyalty/index';
import { addMember } from '../backend/members/members';
import { commitSale, quoteSale } from '../backend/sales/checkout';
import { openUnattendedShift } from '../backend/shifts/shift';
import { percentile, round, sample, type BenchResult } from './types';

/**
 * What the chain costs at the counter: commit of a member sale redeeming 1 point on a stand-alone
 * till vs a registered one (chain balance + offline allowance read from SQLite, no network: the
 * online hold is a separate HTTP round trip before the commit), and the quote with the chain balance.
 */
async function store(dir: string, name: string, chain: boolean): Promise<{ db: Db; card: string }> {
  const db = await openStore(join(dir, `${name}.db`));
  saveProgram(db, { name: 'bench', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000, minBalance: 1 }, points: { pendingDays: 0 } }, '2000-01-01T00:00:00Z');
  openUnattendedShift(db, 'test', '2000-01-01T00:00:00.000Z');
  upsertProduct(db, { sku: 'LATTE', name: 'Латте', category: 'coffee', price: 25_000 });
  const m = addMember(db, { name: 'Bench', phone: '+79161234567', card: 'BC-1', consentPd: true }, '2026-01-01T10:00:00+03:00');
  // Enough points on either side: a local earn (stand-alone) or a pulled chain snapshot (registered).
  for (let i = 0; i < 40; i++) commitSale(db, { items: [{ code: 'LATTE', qty: 4 }], member: { card: 'BC-1' }, payment: { method: 'card' } });
  if (chain) {
    const now = new Date().toISOString();
    db.prepare("INSERT INTO sync_credential (id, server_url, terminal_id, secret, shop_id, shop_name, registered_at) VALUES (1, 'http://127.0.0.1:9', 'bench', 'x', 's', 'Bench shop', ?)").run(now);
    db.prepare('UPDATE sync_state SET policy = ? WHERE id = 1').run(JSON.stringify({ maxSnapshotAgeSeconds: 86_400, perSaleCap: 1_000, perMemberCap: 1_000_000, allowanceShareBps: 10_000 }));
    const seq = db.prepare('SELECT max(seq) FROM ledger_event').pluck().get() as number;
    db.prepare(
      `INSERT INTO sync_member_snapshot (member_id, balance, held, debt, tier, stamps, blocked, offline_redeem_allowed, offline_allowance, version, as_of_seq, pulled_at)
       VALUES (?, 1000000, 0, 0, NULL, 0, 0, 1, 1000000, '0:0', ?, ?)`,
    ).run(m.id, seq, now);
  }
  return { db, card: 'BC-1' };
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-bench-sync-'));
  try {
    const out: BenchResult[] = [];
    for (const chain of [false, true]) {
      const { db, card } = await store(dir, chain ? 'chain' : 'solo', chain);
      const req = { items: [{ code: 'LATTE', qty: 1 }], member: { card }, redeem: { mode: 'points' as const, points: 1 }, payment: { method: 'card' as const } };
      const commit = sample(300, () => commitSale(db, req), 50);
      const q = sample(500, () => quoteSale(db, req), 100);
      const label = chain ? 'registered till (offline allowance path)' : 'stand-alone till';
      out.push({ name: `checkout commit, member + redeem, ${label}, p50`, unit: 'ms', value: round(percentile(commit, 50)) });
      out.push({ name: `checkout commit, member + redeem, ${label}, p99`, unit: 'ms', value: round(percentile(commit, 99)) });
      out.push({ name: `quote with member balance, ${label}, p99`, unit: 'ms', value: round(percentile(q, 99)) });
      db.close();
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
