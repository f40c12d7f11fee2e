import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { KopilkaError, toErrorData } from '../core/util/errors';
import { createLogger } from '../core/util/logger';
import { createProvisioningCode, setTerminalStatus } from './auth';
import { compactChanges, compactionStart } from './changes';
import { openServerDb, type ServerDb } from './db/database';
import { migrateServer } from './db/migrate';
import { runExpiry } from './expiry';
import { catchUpProjections } from './projections';
import { expireDueHolds } from './holds';
import { buildApp } from './http';
import { publishProgram } from './programs';
import { setMemberFlags } from './members';
import { chainReport, toCsv } from './reports';
import { saveSettings } from './settings';
import { deliverWebhooks } from './webhooks';

const log = createLogger('server');

/**
 * `npm run server [-- <command>]`. With DATABASE_URL it uses PostgreSQL; otherwise an embedded
 * PGlite database in --data-dir (default ./.kopilka-server). PGlite is single-process: while the
 * server runs, admin commands go to it over HTTP with the admin token it left in the data dir.
 */
type Global = { dataDir: string; json?: boolean };

function dataDir(g: Global): string {
  return resolve(g.dataDir);
}
function runtimeFile(g: Global): string {
  return join(dataDir(g), 'server.json');
}
type Runtime = { pid: number; url: string; adminToken: string };

function runningServer(g: Global): Runtime | null {
  if (process.env.DATABASE_URL || !existsSync(runtimeFile(g))) return null;
  const rt = JSON.parse(readFileSync(runtimeFile(g), 'utf8')) as Runtime;
  try {
    process.kill(rt.pid, 0);
    return rt;
  } catch {
    return null;
  }
}

async function openDb(g: Global): Promise<ServerDb> {
  const url = process.env.DATABASE_URL;
  if (!url) mkdirSync(join(dataDir(g), 'pgdata'), { recursive: true });
  const db = await openServerDb(url ? { databaseUrl: url } : { dataDir: join(dataDir(g), 'pgdata') });
  await migrateServer(db);
  return db;
}

async function viaServerOrDb<T>(g: Global, http: (rt: Runtime) => Promise<T>, direct: (db: ServerDb) => Promise<T>): Promise<T> {
  const rt = runningServer(g);
  if (rt) return http(rt);
  const db = await openDb(g);
  try {
    return await direct(db);
  } finally {
    await db.close();
  }
}

async function adminCall<T>(rt: Runtime, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(rt.url + path, {
    method,
    headers: { authorization: `Bearer ${rt.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    const e = JSON.parse(text) as { error: { code: string; message: string } };
    throw new KopilkaError(e.error.code as never, e.error.message);
  }
  return (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as T) : (text as T);
}

export async function serverMain(argv: readonly string[]): Promise<number> {
  const program = new Command('kopilka-server')
    .description('Kopilka chain server: terminals push ledger batches, pull members and rules')
    .option('--data-dir <dir>', 'embedded database directory when DATABASE_URL is not set', '.kopilka-server')
    .option('--json', 'print one JSON object on stdout')
    .option('--port <port>', 'port to listen on', '8787')
    .option('--host <host>', 'address to listen on (put TLS in a reverse proxy; see server/README.md)', '127.0.0.1')
    .exitOverride();
  const g = () => program.opts() as Global & { port: string; host: string };
  const print = (value: unknown, human: string) => process.stdout.write((g().json ? JSON.stringify(value) : human) + '\n');

  program.action(async () => {
    const o = g();
    const db = await openDb(o);
    const adminToken = process.env.KOPILKA_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
    const app = await buildApp({ db, adminToken });
    const address = await app.listen({ port: Number(o.port), host: o.host });
    if (!process.env.DATABASE_URL) writeFileSync(runtimeFile(o), JSON.stringify({ pid: process.pid, url: address, adminToken }), { mode: 0o600 });
    log.info(`listening on ${address} (${db.kind})`);
    print({ ok: true, url: address, database: db.kind }, `Kopilka server listening on ${address} (${db.kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'})`);
    // Background work: CRM webhooks and expiry, on the server clock.
    const hooks = setInterval(() => void deliverWebhooks(db, { secret: process.env.KOPILKA_WEBHOOK_SECRET ?? null }).catch((e) => log.warn('webhooks', String(e))), 5_000);
    const expiry = setInterval(() => void runExpiry(db, new Date()).catch((e) => log.warn('expiry', String(e))), 6 * 3600_000);
    const holds = setInterval(() => void expireDueHolds(db).catch((e) => log.warn('holds', String(e))), 30_000);
    // Keeps the chain-wide tier/stamps/pending cache warm between pulls, so a till's pull reads it
    // instead of folding members' histories itself (server/projections.ts); bounded per round.
    let projecting = false;
    const projector = setInterval(() => {
      if (projecting) return;
      projecting = true;
      void catchUpProjections(db, { maxMembers: 5_000 })
        .catch((e) => log.warn('projections', String(e)))
        .finally(() => (projecting = false));
    }, 5_000);
    // Superseded pull positions are deleted in the background (server/changes.ts), so a pull
    // walks about one change row per member. A round goes on while its slices find rows to
    // delete (≤ 100 000 rows) and otherwise reads one slice: after a backlog of new members
    // there is nothing to delete, and scanning it all would only take CPU from ingest.
    let compacting = false;
    const compaction = compactionStart();
    const compactor = setInterval(() => {
      if (compacting) return;
      compacting = true;
      void compactChanges(db, compaction, { maxRows: 100_000, whileFinding: true })
        .catch((e) => log.warn('change compaction', String(e)))
        .finally(() => (compacting = false));
    }, 10_000);
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    clearInterval(hooks);
    clearInterval(expiry);
    clearInterval(holds);
    clearInterval(projector);
    clearInterval(compactor);
    await app.close();
    await db.close();
    if (!process.env.DATABASE_URL) rmSync(runtimeFile(o), { force: true });
  });

  const terminal = program.command('terminal').description('provision and manage tills');
  terminal
    .command('add')
    .description('print a one-time registration code for a new till in a shop')
    .requiredOption('--shop <name>', 'shop name (created if new)')
    .option('--ttl-hours <n>', 'code validity', '24')
    .action(async (o: { shop: string; ttlHours: string }) => {
      const r = await viaServerOrDb(
        g(),
        (rt) => adminCall<{ code: string; shopId: string; expiresAt: string }>(rt, 'POST', '/v1/admin/provisioning-codes', { shop: o.shop, ttlHours: Number(o.ttlHours) }),
        (db) => createProvisioningCode(db, o.shop, Number(o.ttlHours)),
      );
      print(r, `Registration code for shop "${o.shop}": ${r.code}\n(one-time, valid until ${r.expiresAt}; on the till: kopilka terminal register --server URL --code ${r.code})`);
    });
  for (const [name, status] of [['release', 'active'], ['quarantine', 'quarantined'], ['revoke', 'revoked']] as const) {
    terminal
      .command(name)
      .description(`set a till ${status}`)
      .requiredOption('--id <terminalId>')
      .option('--reason <text>')
      .action(async (o: { id: string; reason?: string }) => {
        await viaServerOrDb(g(), (rt) => adminCall(rt, 'POST', `/v1/admin/terminals/${o.id}/status`, { status, reason: o.reason }), (db) => setTerminalStatus(db, o.id, status, o.reason ?? null));
        print({ ok: true, terminalId: o.id, status }, `Till ${o.id} is now ${status}`);
      });
  }
  const member = program.command('member').description('chain-wide switches for one member');
  for (const [name, flags, says] of [
    ['block', { blocked: true }, 'blocked: no redemption anywhere'],
    ['unblock', { blocked: false }, 'unblocked'],
    ['online-only', { offlineRedeemAllowed: false }, 'limited to online redemption'],
    ['allow-offline', { offlineRedeemAllowed: true }, 'allowed to redeem offline again'],
  ] as const) {
    member
      .command(name)
      .requiredOption('--id <memberId>')
      .action(async (o: { id: string }) => {
        const r = await viaServerOrDb(g(), (rt) => adminCall<Awaited<ReturnType<typeof setMemberFlags>>>(rt, 'POST', `/v1/admin/members/${o.id}/flags`, flags), (db) => setMemberFlags(db, o.id, flags));
        print(r, `Member ${o.id} is ${says} (tills learn it on their next sync)`);
      });
  }
  program
    .command('report')
    .description('chain-wide sales and points per shop and day')
    .requiredOption('--from <date>')
    .requiredOption('--to <date>')
    .option('--csv', 'CSV instead of a table')
    .action(async (o: { from: string; to: string; csv?: boolean }) => {
      const rows = await viaServerOrDb(g(), async (rt) => (await adminCall<{ rows: Awaited<ReturnType<typeof chainReport>> }>(rt, 'GET', `/v1/admin/reports/chain?from=${o.from}&to=${o.to}`)).rows, (db) => chainReport(db, o.from, o.to));
      if (o.csv) process.stdout.write(toCsv(rows));
      else print({ rows }, rows.map((r) => `${r.day}  ${r.shop.padEnd(20)} sales ${r.sales}  revenue ${r.revenue}  earned ${r.pointsEarned}  redeemed ${r.pointsRedeemed}  expired ${r.pointsExpired}`).join('\n') || 'No activity in this period');
    });
  program
    .command('expire')
    .description('expire points older than the configured period (server-decided)')
    .option('--as-of <iso>')
    .action(async (o: { asOf?: string }) => {
      const r = await viaServerOrDb(g(), (rt) => adminCall<{ members: number; points: number }>(rt, 'POST', '/v1/admin/expire', { asOf: o.asOf }), (db) => runExpiry(db, new Date(o.asOf ?? Date.now())));
      print(r, `Expired ${r.points} points on ${r.members} members`);
    });
  program
    .command('program')
    .description('publish a loyalty program version to every till')
    .requiredOption('--file <json>')
    .action(async (o: { file: string }) => {
      const json = JSON.parse(readFileSync(o.file, 'utf8')) as unknown;
      const r = await viaServerOrDb(g(), (rt) => adminCall<{ version: number }>(rt, 'POST', '/v1/admin/program', { program: json }), (db) => publishProgram(db, json));
      print(r, `Published program version ${r.version}`);
    });
  program
    .command('settings')
    .description('set server settings (stop the embedded server first)')
    .option('--webhook-url <url>')
    .option('--expiry-days <n>')
    .action(async (o: { webhookUrl?: string; expiryDays?: string }) => {
      const db = await openDb(g());
      try {
        const patch: Record<string, unknown> = {};
        if (o.webhookUrl !== undefined) patch.webhookUrl = o.webhookUrl || null;
        if (o.expiryDays !== undefined) patch.expiryDays = o.expiryDays === 'never' ? null : Number(o.expiryDays);
        const s = await db.tx('settings', (sql) => saveSettings(sql, patch));
        print(s, JSON.stringify(s, null, 2));
      } finally {
        await db.close();
      }
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const data = toErrorData(err);
    process.stderr.write(g().json ? JSON.stringify({ ok: false, error: data }) + '\n' : `kopilka-server: ${data.message}\n`);
    return err instanceof KopilkaError ? 1 : 3;
  }
}

if (process.argv[1] && /server[\\/]main\.ts$/.test(process.argv[1])) {
  void serverMain(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exitCode = code;
  });
}
