/**
 * Browser mode: the same backend and contract as the Electron app, served to a browser on
 * 127.0.0.1 only. `npm run start:web [-- --port N --db PATH --no-demo]` prints the URL to open
 * (with a random token) on stdout; everything else goes to stderr.
 *
 * Security: loopback bind only; every /api call needs the token (header, or query for SSE);
 * the Host header must be our own (DNS-rebinding guard); cross-origin requests are refused;
 * responses carry the same strict CSP as the Electron window.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { CHANNELS, dispatch, EVENTS, isChannelName, parseEvent, type EventName, type EventSink } from '../core/contract';
import { createLogger } from '../core/util/logger';
import { createApi, createSessionRegistry, currentStatus } from '../backend/api/index';
import { openStore } from '../backend/db/connection';
import { seedDemo } from '../backend/db/seed-demo';
import type { Db } from '../backend/db/types';
import { addStaff, staffCount } from '../backend/staff/staff';
import { startHostAutoSync } from '../backend/sync/agent';
import { warmMemberLookupsGradually } from '../backend/members/members';
import { CONTENT_SECURITY_POLICY } from '../electron/main/security';

const log = createLogger('web-host');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');

/** Demo staff so refunds and manager screens work out of the box; printed at start. */
export const DEMO_PINS = { owner: '2580', manager: '1234', cashier: '4826' } as const;

export function seedDemoStaff(db: Db): boolean {
  if (staffCount(db) > 0) return false;
  const owner = addStaff(db, null, { name: 'Ольга (владелец)', role: 'owner', pin: DEMO_PINS.owner });
  const by = { staffId: owner.id, name: owner.name, role: owner.role };
  addStaff(db, by, { name: 'Мария (менеджер)', role: 'manager', pin: DEMO_PINS.manager });
  addStaff(db, by, { name: 'Иван (кассир)', role: 'cashier', pin: DEMO_PINS.cashier });
  return true;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Builds the renderer with vite when dist/renderer is missing (fresh clone, CI) or older than its sources. */
export function ensureRendererBuilt(force = false): void {
  const index = join(RENDERER_DIR, 'index.html');
  if (!force && existsSync(index)) {
    const built = statSync(index).mtimeMs;
    if (Math.max(newestMtime(join(ROOT, 'renderer')), newestMtime(join(ROOT, 'core'))) <= built) return;
  }
  log.info('building the renderer (vite build)…');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

export type WebHostOptions = Readonly<{ port?: number; dbPath: string; demo?: boolean; token?: string; autoPrint?: boolean; staticDir?: string }>;
export type WebHost = Readonly<{ url: string; origin: string; token: string; port: number; db: Db; emit: EventSink; close(): Promise<void> }>;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  // Checkpoints in a worker thread, off the sale's commit path (backend/db/checkpointer.ts).
  const db = await openStore(opts.dbPath, { backgroundCheckpoints: true });
  // Chain sync runs in the background once the till is registered (idle otherwise).
  const autoSync = startHostAutoSync(db);
  // Lookup pages into the OS page cache in the background, so the first scans of the day are as
  // fast as the rest (a page read from disk costs ~1 ms; on a big store that is most of a lookup).
  const warm = warmMemberLookupsGradually(db);
  void warm.done.then((p) => log.info('member lookups warmed', p), (e: unknown) => log.warn('member lookup warm-up failed', { error: String(e) }));
  const fresh = (db.prepare('SELECT count(*) FROM product').pluck().get() as number) === 0;
  let demo = false;
  if (opts.demo !== false && fresh) {
    seedDemo(db);
    demo = true;
  }
  if (opts.demo !== false && seedDemoStaff(db)) demo = true;
  const token = opts.token ?? randomBytes(24).toString('hex');
  const clients = new Set<ServerResponse>();
  const emit: EventSink = (event, payload) => {
    const value = parseEvent(EVENTS, event, payload);
    if (value === null) return log.warn('dropped an event that does not match the contract', { event });
    const data = `data: ${JSON.stringify({ event, payload: value })}\n\n`;
    for (const c of clients) c.write(data);
  };
  const handlers = createApi({ db, sessions: createSessionRegistry(), emit, demo, autoPrint: opts.autoPrint ?? true });
  const staticDir = resolve(opts.staticDir ?? RENDERER_DIR);
  let origin = '';

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...extra });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
  const deny = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { ok: false, error: { code, message } });

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((ok, bad) => {
      let size = 0;
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1_000_000) {
          bad(new Error('too large'));
          req.destroy();
        } else parts.push(c);
      });
      req.on('end', () => ok(Buffer.concat(parts).toString('utf8')));
      req.on('error', bad);
    });

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', origin);
      // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
      if (req.headers.host !== new URL(origin).host) return deny(res, 421, 'FORBIDDEN', 'Wrong host');
      if (url.pathname.startsWith('/api/')) {
        if (req.headers.origin && req.headers.origin !== origin) return deny(res, 403, 'FORBIDDEN', 'Cross-origin requests are refused');
        const given = (req.headers['x-kopilka-token'] as string | undefined) ?? url.searchParams.get('token');
        if (given !== token) return deny(res, 401, 'UNAUTHENTICATED', 'Open the address printed by npm run start:web (it carries the access token)');
        const name = url.pathname.slice('/api/'.length);
        if (name === 'events' && req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          clients.add(res);
          req.on('close', () => clients.delete(res));
          return;
        }
        if (name === 'virtual/scan' && req.method === 'POST') {
          // The virtual scanner: what a serial/HID scanner would push, for development and tests.
          const { code } = JSON.parse((await readBody(req)) || '{}') as { code?: unknown };
          if (typeof code !== 'string' || code.length === 0) return deny(res, 400, 'VALIDATION', 'Give {"code": "..."}');
          emit('device.scanned', { code, source: 'virtual', at: new Date().toISOString() });
          return json(res, 200, { ok: true, value: null });
        }
        if (req.method !== 'POST') return deny(res, 405, 'VALIDATION', 'Use POST');
        if (!isChannelName(name)) return deny(res, 404, 'NOT_FOUND', `Unknown channel "${name.slice(0, 80)}"`);
        let input: unknown;
        try {
          input = JSON.parse((await readBody(req)) || '{}');
        } catch {
          return deny(res, 400, 'VALIDATION', 'The request body is not JSON');
        }
        const result = await dispatch(CHANNELS, handlers, name, input);
        if (result.ok && (name === 'sale.commit' || name === 'sale.refund')) emit('status.changed', currentStatus({ db, sessions: createSessionRegistry(), emit }));
        return json(res, 200, result);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'VALIDATION', 'Use GET');
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
      } catch {
        return send(res, 400, 'Bad path', 'text/plain');
      }
      if (rel.includes('\0') || rel.split(/[\\/]/).includes('..')) return send(res, 404, 'Not found', 'text/plain');
      let file = resolve(staticDir, rel || 'index.html');
      if (file !== staticDir && !file.startsWith(staticDir + sep)) return send(res, 404, 'Not found', 'text/plain');
      if (!existsSync(file) || statSync(file).isDirectory()) {
        if (extname(rel) !== '') return send(res, 404, 'Not found', 'text/plain');
        file = join(staticDir, 'index.html'); // client-side routes
      }
      return send(res, 200, readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream', { 'content-security-policy': CONTENT_SECURITY_POLICY });
    } catch (e) {
      log.error('request failed', { error: e instanceof Error ? e.stack : String(e) });
      if (!res.headersSent) deny(res, 500, 'INTERNAL', 'Internal error');
    }
  });

  await new Promise<void>((ok, bad) => {
    server.once('error', bad);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    db,
    emit,
    async close() {
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections?.();
      warm.stop();
      await warm.done.catch(() => undefined);
      await autoSync.stop();
      db.close();
    },
  };
}

function parseArgs(argv: readonly string[]): { port: number; db: string; demo: boolean } {
  let port = 0;
  let db = process.env.KOPILKA_DB ?? join(ROOT, '.kopilka', 'web-demo.db');
  let demo = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--port') port = Number(next());
    else if (a.startsWith('--port=')) port = Number(a.slice(7));
    else if (a === '--db') db = next();
    else if (a.startsWith('--db=')) db = a.slice(5);
    else if (a === '--no-demo') demo = false;
    else if (a === '--help' || a === '-h') {
      process.stderr.write('Usage: npm run start:web -- [--port N] [--db PATH] [--no-demo]\n');
      process.exit(0);
    } else throw new Error(`Unknown option ${a} (try --help)`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a number from 0 to 65535');
  return { port, db: resolve(db), demo };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  ensureRendererBuilt();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dirname(args.db), { recursive: true });
  const host = await startWebHost({ port: args.port, dbPath: args.db, demo: args.demo });
  process.stderr.write(`Kopilka browser mode: database ${args.db}\n`);
  if (args.demo) process.stderr.write(`Demo PINs: manager ${DEMO_PINS.manager}, owner ${DEMO_PINS.owner}, cashier ${DEMO_PINS.cashier}. Virtual scanner: type a code here and press Enter.\n`);
  process.stdout.write(host.url + '\n');
  // The virtual scanner on stdin: each line is a scan (handy with a demo card: 2000000100012).
  process.stdin.setEncoding('utf8');
  let buf = '';
  process.stdin.on('data', (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const code = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (code) host.emit('device.scanned' as EventName, { code, source: 'virtual', at: new Date().toISOString() });
    }
  });
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`start:web: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
