/**
 * What the counter waits for on each interaction, measured through the same contract the UI
 * uses: backend handlers via dispatch (what Electron IPC runs), and the browser host over
 * loopback HTTP (what start:web runs). The end-to-end suite measures scan → painted panel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, dispatch } from '../core/contract';
import { uuidv7 } from '../core/util/ids';
import { setLogSink } from '../core/util/logger';
import { createApi, createSessionRegistry } from '../backend/api/index';
import { openStore } from '../backend/db/connection';
import { seedDemo } from '../backend/db/seed-demo';
import { createWebApi } from '../renderer/src/api/web';
import { startWebHost } from '../scripts/web-host';
import type { BenchResult } from './types';

async function timeIt(n: number, f: (i: number) => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < Math.min(20, n); i++) await f(i);
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(n / 2)]!, p95: xs[Math.floor(n * 0.95)]! };
}

export async function run(): Promise<BenchResult[]> {
  setLogSink(() => {});
  const out: BenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-bench-ui-'));
  try {
    const db = await openStore(join(dir, 'k.db'));
    seedDemo(db);
    const h = createApi({ db, sessions: createSessionRegistry(), emit: () => {} });
    const products = (await h['catalog.list']({})).products;
    const anna = '2000000100012';
    const m = await timeIt(300, () => dispatch(CHANNELS, h, 'member.identify', { code: anna }));
    out.push({ name: 'member.identify via dispatch (median)', unit: 'ms', value: +m.median.toFixed(3), target: '≤ 20', note: `p95 ${m.p95.toFixed(2)} ms` });
    const member = (await h['member.identify']({ code: anna }))!;
    const lines = products.slice(0, 5).map((p) => ({ productId: p.id, qty: 2 }));
    const q = await timeIt(300, () => dispatch(CHANNELS, h, 'sale.quote', { lines, memberId: member.id, redeem: { mode: 'max' } }));
    out.push({ name: 'sale.quote 5 lines + member via dispatch (median)', unit: 'ms', value: +q.median.toFixed(3), target: '≤ 20', note: `p95 ${q.p95.toFixed(2)} ms` });
    const c = await timeIt(100, async () => {
      const quote = await h['sale.quote']({ lines: [{ productId: products[0]!.id, qty: 1 }], memberId: null, redeem: { mode: 'none' } });
      return dispatch(CHANNELS, h, 'sale.commit', { lines: [{ productId: products[0]!.id, qty: 1 }], payments: [{ method: 'card', amount: quote.toPay }], idempotencyKey: uuidv7() });
    });
    out.push({ name: 'quote + sale.commit via dispatch (median)', unit: 'ms', value: +c.median.toFixed(3), note: `p95 ${c.p95.toFixed(2)} ms` });
    db.close();

    const host = await startWebHost({ dbPath: join(dir, 'web.db'), port: 0, autoPrint: false, staticDir: dir });
    const api = createWebApi(host.origin, host.token);
    const w = await timeIt(200, () => api['member.identify']({ code: anna }));
    out.push({ name: 'member.identify over loopback HTTP (median)', unit: 'ms', value: +w.median.toFixed(3), target: '≤ 30', note: `p95 ${w.p95.toFixed(2)} ms` });
    api.close();
    await host.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
