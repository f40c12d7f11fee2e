/**
 * Browser-mode host security and plumbing over real loopback TCP: token, Host header, origin,
 * static files with the CSP, traversal, bad JSON, events (SSE) and the virtual scanner.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogSink } from '../../core/util/logger';
import { startWebHost, type WebHost } from '../../scripts/web-host';

setLogSink(() => {});
let host: WebHost;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kopilka-webhost-'));
  const stat = join(dir, 'static');
  mkdirSync(join(stat, 'assets'), { recursive: true });
  writeFileSync(join(stat, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(stat, 'assets', 'a.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  host = await startWebHost({ dbPath: join(dir, 'k.db'), port: 0, autoPrint: false, staticDir: stat });
});
after(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, bad) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${host.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', bad);
    req.end(opts.body);
  });
}

test('binds to 127.0.0.1 with a long random token in the printed URL', () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
});

test('API calls need the token; wrong Host and foreign Origin are refused', async () => {
  const body = '{}';
  assert.equal((await raw('/api/app.info', { method: 'POST', body })).status, 401);
  assert.equal((await raw('/api/app.info', { method: 'POST', body, headers: { 'x-kopilka-token': 'nope' } })).status, 401);
  const ok = await raw('/api/app.info', { method: 'POST', body, headers: { 'x-kopilka-token': host.token } });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).ok, true);
  assert.equal((await raw('/api/app.info', { method: 'POST', body, headers: { 'x-kopilka-token': host.token, host: 'evil.example' } })).status, 421);
  assert.equal((await raw('/api/app.info', { method: 'POST', body, headers: { 'x-kopilka-token': host.token, origin: 'https://evil.example' } })).status, 403);
});

test('bad requests come back as error envelopes', async () => {
  const h = { 'x-kopilka-token': host.token };
  const notJson = await raw('/api/sale.quote', { method: 'POST', body: '{', headers: h });
  assert.equal(JSON.parse(notJson.body).error.code, 'VALIDATION');
  const unknown = await raw('/api/no.such', { method: 'POST', body: '{}', headers: h });
  assert.equal(JSON.parse(unknown.body).error.code, 'NOT_FOUND');
  const get = await raw('/api/app.info', { headers: h });
  assert.equal(get.status, 405);
});

test('static files carry the strict CSP; traversal is refused; client routes fall back to index.html', async () => {
  const index = await raw('/');
  assert.equal(index.status, 200);
  assert.match(String(index.headers['content-security-policy']), /script-src 'self'/);
  assert.equal((await raw('/assets/a.js')).status, 200);
  assert.equal((await raw('/manager/program')).body, '<!doctype html><title>t</title>');
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/missing.js']) {
    const r = await raw(p);
    assert.notEqual(r.body, 'secret', p);
    assert.equal(r.status, 404, p);
  }
});

test('events stream over SSE; the virtual scanner pushes device scans', async () => {
  const got = await new Promise<string>((ok, bad) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { host: `127.0.0.1:${host.port}` } }, (res) => {
      let buf = '';
      res.on('data', (c) => {
        buf += c;
        if (buf.includes('device.scanned')) {
          req.destroy();
          ok(buf);
        }
      });
    });
    req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : bad(e)));
    req.end();
    setTimeout(() => void raw('/api/virtual/scan', { method: 'POST', body: '{"code":"2000000100012"}', headers: { 'x-kopilka-token': host.token } }), 100);
  });
  assert.match(got, /"code":"2000000100012"/);
  assert.match(got, /"source":"virtual"/);
});
