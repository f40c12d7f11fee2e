import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The real thing end to end: `npm run server` on 127.0.0.1 (PostgreSQL when TEST_DATABASE_URL
 * is set, else embedded PGlite), two tills driven only through the `kopilka` CLI.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
let dir: string;
let server: ChildProcess | null = null;
let url: string;
let dbName: string | null = null;
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.DATABASE_URL;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kopilka-loopback-'));
  if (process.env.TEST_DATABASE_URL) {
    dbName = `kopilka_lb_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.end();
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = '/' + dbName;
    env.DATABASE_URL = u.toString();
  }
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--json', '--port', '0', '--data-dir', join(dir, 'server')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let errText = '';
    server!.stderr!.on('data', (d: Buffer) => (errText += d.toString()));
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    server!.on('exit', (code) => reject(new Error(`server exited ${code}: ${errText}`)));
  });
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dbName) {
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

async function serverCli(...args: string[]): Promise<Record<string, unknown>> {
  const r = await run(process.execPath, ['--import', 'tsx', 'server/main.ts', '--json', '--data-dir', join(dir, 'server'), ...args], { cwd: root, env });
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
async function till(name: string, ...args: string[]): Promise<Record<string, unknown>> {
  const r = await run(process.execPath, ['bin/kopilka.mjs', '--db', join(dir, `${name}.db`), '--json', ...args], { cwd: root, env: { ...env, DATABASE_URL: '' } });
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('two tills register with one-time codes, sell, sync and converge with the chain server', { timeout: process.env.TEST_DATABASE_URL ? 150_000 : 400_000 }, async () => {
  // Independent steps run side by side: each CLI call is a process start.
  const [a1, b1] = await Promise.all([serverCli('terminal', 'add', '--shop', 'Shop A'), serverCli('terminal', 'add', '--shop', 'Shop B'), till('a', 'init', '--demo'), till('b', 'init')]);
  const codeA = a1.code as string;
  const codeB = b1.code as string;
  assert.match(codeA, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  const ra = await till('a', 'terminal', 'register', '--server', url, '--code', codeA, '--name', 'Till A');
  assert.equal(ra.shopName, 'Shop A');
  // A code works once.
  await assert.rejects(till('b', 'terminal', 'register', '--server', url, '--code', codeA), /unknown, used or expired/);
  await till('b', 'terminal', 'register', '--server', url, '--code', codeB);

  const member = (await till('a', 'member', 'add', '--name', 'Анна', '--phone', '+7 903 555-01-99')) as { id?: string; member?: { id: string } };
  const memberId = member.id ?? member.member!.id;
  await till('a', 'sale', '--item', 'CAPPUCCINO:2', '--member', memberId);

  const s1 = await till('a', 'sync');
  assert.equal(s1.ok, true);
  assert.ok((s1.pushed as number) > 0 && s1.acknowledged === s1.pushed, JSON.stringify(s1));
  assert.equal(s1.pending, 0);
  const [s2, statusA] = await Promise.all([till('b', 'sync'), till('a', 'terminal', 'status')]);
  assert.ok((s2.pulled as number) >= 1, 'till B pulled the chain members');
  assert.equal(statusA.pending, 0);
  assert.equal(statusA.terminalStatus, 'active');

  // Both tills' view of the member equals the server's ledger sum.
  const balanceA = (await till('a', 'balance', '--member', memberId)) as { balance?: number };
  const report = await serverCli('report', '--from', '2000-01-01', '--to', '2100-01-01');
  const rows = report.rows as { shop: string; sales: number; pointsEarned: number }[];
  const shopA = rows.filter((r) => r.shop === 'Shop A');
  assert.ok(shopA.reduce((s, r) => s + r.sales, 0) >= 1, JSON.stringify(rows));
  if (typeof balanceA.balance === 'number') assert.ok(balanceA.balance > 0);
  const bSnap = await import('better-sqlite3').then((m) => {
    const db = new m.default(join(dir, 'b.db'), { readonly: true });
    try {
      return db.prepare('SELECT balance FROM sync_member_snapshot WHERE member_id = ?').get(memberId) as { balance: number } | undefined;
    } finally {
      db.close();
    }
  });
  assert.ok(bSnap, 'till B knows the member enrolled at shop A');
  if (typeof balanceA.balance === 'number') assert.equal(bSnap.balance, balanceA.balance);
  // Both tills report the chain-wide balance through the CLI, equal to the server's.
  const [chainA, chainB] = await Promise.all([till('a', 'balance', '--member', memberId), till('b', 'balance', '--member', memberId)]);
  assert.equal(chainA.chainBalance, bSnap.balance);
  assert.equal(chainB.chainBalance, bSnap.balance, 'till B shows the balance earned at shop A');
  assert.equal(chainB.balance, 0, "till B's own ledger has nothing for this member");
});
