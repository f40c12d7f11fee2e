import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from '../core/util/ids';
import { createProvisioningCode } from './auth';
import { buildApp } from './http';
import { saveSettings } from './settings';
import { ChainWriter, createTestServerDb, type TestServerDb } from './testing';
import { deliverWebhooks } from './webhooks';

let t: TestServerDb;
let app: FastifyInstance;
let base: string;
const ADMIN = 'admin-token-for-tests-0123456789';
before(async () => {
  t = await createTestServerDb();
  app = await buildApp({ db: t.db, adminToken: ADMIN, terminalRate: { perSecond: 1, burst: 4 }, registerPerMinute: 30 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function registered(shop = 'Shop HTTP') {
  const code = await createProvisioningCode(t.db, shop);
  const terminalId = uuidv7();
  const r = await post('/v1/terminals/register', { code: code.code, terminalId, name: 'till' });
  assert.equal(r.status, 201);
  const b = (await r.json()) as { secret: string };
  return { terminalId, auth: { authorization: `Bearer ${terminalId}.${b.secret}` }, w: new ChainWriter(terminalId), code: code.code };
}

test('registration: a code works once; wrong codes are refused', async () => {
  const a = await registered();
  const again = await post('/v1/terminals/register', { code: a.code, terminalId: uuidv7() });
  assert.equal(again.status, 401);
  const bad = await post('/v1/terminals/register', { code: 'AAAA-BBBB-CCCC', terminalId: uuidv7() });
  assert.equal(bad.status, 401);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /ask the manager/);
});

test('every till request is authenticated, and a till acts only as itself', async () => {
  const a = await registered();
  const b = await registered();
  const body = a.w.batch([a.w.add('earn', uuidv7(), 5)]);
  assert.equal((await post(`/v1/terminals/${a.terminalId}/events:batch`, body)).status, 401);
  assert.equal((await post(`/v1/terminals/${a.terminalId}/events:batch`, body, { authorization: `Bearer ${a.terminalId}.wrongwrongwrongwrongwrong` })).status, 401);
  assert.equal((await post(`/v1/terminals/${a.terminalId}/events:batch`, body, b.auth)).status, 403);
  const ok = await post(`/v1/terminals/${a.terminalId}/events:batch`, body, { ...a.auth, 'idempotency-key': body.batchId });
  assert.equal(ok.status, 200);
  const replay = await post(`/v1/terminals/${a.terminalId}/events:batch`, body, { ...a.auth, 'idempotency-key': body.batchId });
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  const changes = await fetch(`${base}/v1/terminals/${a.terminalId}/changes`, { headers: a.auth });
  assert.equal(changes.status, 200);
  assert.equal(((await changes.json()) as { ackedThroughSeq: number }).ackedThroughSeq, 1);
});

test('rate limits answer 429 with Retry-After', async () => {
  const a = await registered();
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < 8; i++) {
    const r = await fetch(`${base}/v1/terminals/${a.terminalId}/changes`, { headers: a.auth });
    statuses.push(r.status);
    if (r.status === 429) retryAfter = r.headers.get('retry-after');
    await r.arrayBuffer();
  }
  assert.ok(statuses.includes(429), statuses.join(','));
  assert.match(retryAfter ?? '', /^\d+$/);
});

test('a manager blocks a member; the block reaches tills through pull', async () => {
  const a = await registered();
  const m = uuidv7();
  assert.equal((await post(`/v1/terminals/${a.terminalId}/events:batch`, a.w.batch([a.w.add('earn', m, 100)]), a.auth)).status, 200);
  const first = (await (await fetch(`${base}/v1/terminals/${a.terminalId}/changes?limit=5000`, { headers: a.auth })).json()) as { nextCursor: string };
  const r = await post(`/v1/admin/members/${m}/flags`, { blocked: true }, { authorization: `Bearer ${ADMIN}` });
  assert.equal(r.status, 200);
  const page = (await (await fetch(`${base}/v1/terminals/${a.terminalId}/changes?cursor=${first.nextCursor}`, { headers: a.auth })).json()) as { members: { memberId: string; blocked: boolean; offlineAllowance: number }[] };
  assert.deepEqual(page.members.map((x) => [x.memberId, x.blocked, x.offlineAllowance]), [[m, true, 0]]);
  const hold = await post(`/v1/terminals/${a.terminalId}/holds`, { holdId: uuidv7(), memberId: m, points: 10 }, a.auth);
  assert.equal(hold.status, 403);
});

test('admin API: chain report as JSON and CSV needs the admin token', async () => {
  assert.equal((await fetch(`${base}/v1/admin/reports/chain?from=2000-01-01&to=2100-01-01`)).status, 401);
  const a = await registered('Кофейня «Ромашка», центр');
  const sale = a.w.add('sale', null, 0, { saleId: uuidv7(), payload: { total: 45_000 } });
  assert.equal((await post(`/v1/terminals/${a.terminalId}/events:batch`, a.w.batch([sale]), a.auth)).status, 200);
  const csv = await fetch(`${base}/v1/admin/reports/chain?from=2000-01-01&to=2100-01-01&format=csv`, { headers: { authorization: `Bearer ${ADMIN}` } });
  assert.equal(csv.status, 200);
  const text = await csv.text();
  assert.match(text.split('\r\n')[0]!, /^day,shop,sales,revenue/);
  assert.ok(text.includes('"Кофейня «Ромашка», центр",1,45000'), text);
});

test('webhooks: member.created and member.points_changed delivered with retries and a signature', async () => {
  const got: { headers: IncomingMessage['headers']; body: string }[] = [];
  let failuresLeft = 1;
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = failuresLeft-- > 0 ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/crm`;
    await t.db.tx('s', (sql) => saveSettings(sql, { webhookUrl: url }));
    const a = await registered();
    const m = uuidv7();
    assert.equal((await post(`/v1/terminals/${a.terminalId}/events:batch`, a.w.batch([a.w.add('member_create', m, 0), a.w.add('earn', m, 30)]), a.auth)).status, 200);
    const first = await deliverWebhooks(t.db, { secret: 's3cret', baseDelayMs: 0 });
    assert.deepEqual(first, { delivered: 1, failed: 1 });
    const second = await deliverWebhooks(t.db, { secret: 's3cret', baseDelayMs: 0 });
    assert.deepEqual(second, { delivered: 1, failed: 0 });
    assert.deepEqual(await deliverWebhooks(t.db, { secret: 's3cret' }), { delivered: 0, failed: 0 });
    const bodies = got.map((g) => JSON.parse(g.body) as { id: string; type: string; data: Record<string, unknown> });
    assert.deepEqual([...new Set(bodies.map((b) => b.type))].sort(), ['member.created', 'member.points_changed']);
    const changed = bodies.find((b) => b.type === 'member.points_changed')!;
    assert.deepEqual({ memberId: changed.data.memberId, delta: changed.data.delta, balance: changed.data.balance }, { memberId: m, delta: 30, balance: 30 });
    for (const g of got) {
      assert.equal(g.headers['x-kopilka-signature'], 'sha256=' + createHmac('sha256', 's3cret').update(g.body).digest('hex'));
      assert.equal(g.headers['x-kopilka-delivery'], (JSON.parse(g.body) as { id: string }).id);
    }
  } finally {
    await t.db.tx('s', (sql) => saveSettings(sql, { webhookUrl: null }));
    await new Promise((r) => hook.close(r));
  }
});
