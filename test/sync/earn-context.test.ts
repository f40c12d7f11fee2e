import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { uuidv7 } from '../../core/util/ids';
import { recomputeEarn } from '../../server/earn';
import { seedDemo } from '../../backend/db/seed-demo';
import { createTestStore } from '../../backend/testing/store';
import { commitSale } from '../../backend/sales/checkout';
import { saveProgram } from '../../backend/loyalty/index';

/**
 * A real till's sale events carry what the chain server needs to check the earn: with the demo
 * café program a regular who reached Silver earns 7 %, and a campaign limited per member stops
 * after its limit. The server's recompute from the recorded facts must land on the till's figure,
 * or every such sale would get a false correction.
 */
test('the chain server recomputes a Silver member’s earn and a used-up campaign exactly as the till did', async (t) => {
  const s = await createTestStore('kopilka-earn-context-');
  t.after(() => s.cleanup());
  const db = s.db;
  seedDemo(db, '2026-01-01T00:00:00Z');
  const demo = JSON.parse(readFileSync(new URL('../../resources/programs/demo-cafe.json', import.meta.url), 'utf8')) as { campaigns: { id: string; perMemberLimit?: number }[] };
  // The breakfast bonus once per member, so the second breakfast shows the limit at work.
  const program = { ...demo, campaigns: demo.campaigns.map((c) => (c.id === 'breakfast' ? { ...c, perMemberLimit: 1 } : c)) };
  const version = saveProgram(db, program, '2000-01-01T00:00:00Z');
  const programs = new Map((db.prepare('SELECT version, body FROM program').all() as { version: number; body: string }[]).map((r) => [r.version, JSON.parse(r.body) as unknown]));

  const m = uuidv7();
  db.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, 'Гость', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run(m);
  const sell = (at: string, items: { code: string; qty: number }[]) => commitSale(db, { items, member: { id: m }, at, payment: { method: 'card' } });

  // Wednesday breakfasts (no double-points hour): the first at Bronze with the +20, enough spend to reach Silver.
  const first = sell('2026-03-04T08:30:00+03:00', [{ code: 'SYRNIKI', qty: 1 }, { code: 'LATTE', qty: 80 }]);
  const second = sell('2026-03-11T08:30:00+03:00', [{ code: 'SYRNIKI', qty: 1 }, { code: 'LATTE', qty: 1 }]);
  assert.equal(first.quote.tier?.levelId, 'bronze');
  assert.equal(second.quote.tier?.levelId, 'silver', 'the first sale lifted the member to Silver');
  assert.ok(first.quote.campaignsUsed.includes('breakfast'));
  assert.ok(!second.quote.campaignsUsed.includes('breakfast'), 'the once-per-member breakfast bonus is used up');

  for (const sale of [first, second]) {
    const ev = sale.events.find((e) => e.kind === 'sale')!;
    assert.equal(ev.programVersion, version);
    assert.equal(recomputeEarn(ev, programs), sale.quote.earnPoints, `sale ${sale.receiptNo}: the server reaches the till's earn`);
  }
  const ev2 = second.events.find((e) => e.kind === 'sale')!;
  const bare = { ...ev2, payload: { ...(ev2.payload as Record<string, unknown>), earnContext: undefined } };
  assert.notEqual(recomputeEarn(bare, programs), second.quote.earnPoints, 'without the recorded context the check would disagree');
});
