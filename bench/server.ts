import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { uuidv7 } from '../core/util/ids';
import { setLogSink } from '../core/util/logger';
import { openStore } from '../backend/db/connection';
import { appendEvents } from '../backend/db/ledger';
import { registerTerminal, syncNow, type FetchFn, type SyncProgress } from '../backend/sync';
import { createProvisioningCode } from '../server/auth';
import { compactChanges, compactionStart } from '../server/changes';
import { openPostgres } from '../server/db/database';
import { migrateServer } from '../server/db/migrate';
import { ingestBatch } from '../server/ingest';
import { pullChanges } from '../server/pull';
import { ChainWriter, provisionTill } from '../server/testing';
import { round, type BenchResult } from './types';

/**
 * Chain server on PostgreSQL: ingest with 500-event batches from several tills at once, beside
 * COPY of the same rows into the same table (the limit); a 100,000-event backlog uploaded by
 * one real till over loopback HTTP; paging 100,000 member snapshots out, before and after the
 * change table is compacted.
 */
const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU seconds spent so far by this process and by each PostgreSQL backend serving `dbName`
 * (Linux /proc); cpuSince turns two readings into seconds. The machine is shared, so wall-clock rates depend on everyone else's load;
 * events per CPU-second do not.
 */
function cpuMark(dbName: string): CpuMark {
  const tick = 100; // USER_HZ on Linux
  const pg = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres:') || !cmd.includes(dbName)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      pg.set(Number(pid), (Number(f[11]) + Number(f[12])) / tick);
    } catch {
      /* process ended */
    }
  }
  const me = process.cpuUsage();
  return { pg, node: (me.user + me.system) / 1e6 };
}

/**
 * A reading of cpuMark: each PostgreSQL backend's CPU so far, by pid, and this process's.
 * Differences are taken per backend: a pooled connection that closes while idle (pg's default
 * 10 s) takes its counter with it, and a plain sum would then go down (a negative CPU time).
 */
type CpuMark = Readonly<{ pg: ReadonlyMap<number, number>; node: number }>;

/** CPU seconds since `before`: this process plus every backend of the database still running. */
function cpuSince(dbName: string, before: CpuMark): number {
  const now = cpuMark(dbName);
  let pg = 0;
  for (const [pid, s] of now.pg) pg += s - (before.pg.get(pid) ?? 0);
  return pg + now.node - before.node;
}

/** CPU seconds of one process so far (the server child of the backlog run). */
function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

export async function run(): Promise<BenchResult[]> {
  setLogSink(() => {});
  if (!(await reachable(BASE))) return [{ name: 'server ingest', unit: '', value: NaN, note: `PostgreSQL not reachable at ${BASE}: set BENCH_DATABASE_URL` }];
  const name = `kopilka_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(BASE);
  u.pathname = '/' + name;
  const db = openPostgres({ connectionString: u.toString(), max: 8 });
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-bench-'));
  const out: BenchResult[] = [];
  try {
    await migrateServer(db);

    // 1. Ingest: 4 tills pushing concurrently, 500 events per batch, 20,000 members, in rounds of
    //    4 new tills × 25 batches. A chain server runs for days, so the target is its steady state:
    //    the first rounds of a fresh process run code V8 has not optimised yet (Node's CPU per event
    //    fell 39 → 32 → 24 µs over the first three rounds here) and insert the members for the first
    //    time. Two rounds warm up, three are measured and the median is the figure; the first round
    //    is reported beside it as the cold figure.
    const TILLS = 4;
    const BATCHES = 25;
    const WARMUP_ROUNDS = 2;
    const MEASURED_ROUNDS = 3;
    const members = Array.from({ length: 20_000 }, () => uuidv7());
    // Statements per batch, counted around the transaction (each one is a round trip; BEGIN and
    // COMMIT are two more).
    let statements = 0;
    const tx = db.tx.bind(db);
    const counted = Object.assign(Object.create(db) as typeof db, {
      tx: <T>(label: string, fn: Parameters<typeof db.tx<T>>[1]) => tx(label, (sql) => fn({ query: (text, params) => (statements++, sql.query(text, params)) })),
    });
    type Round = Readonly<{ eps: number; ms: number; cpu: number; nodeCpu: number; statements: number; attempts: number; retries: number }>;
    const ingestRound = async (r: number): Promise<Round> => {
      const tills = await Promise.all(Array.from({ length: TILLS }, async (_, i) => {
        const p = await provisionTill(db, `Bench shop ${r}-${i}`);
        const w = new ChainWriter(p.terminalId);
        const batches = Array.from({ length: BATCHES }, (_b, b) =>
          w.batch(Array.from({ length: 500 }, (_e, k) => {
            const m = members[(i * 7919 + b * 500 + k * 13) % members.length]!;
            return k % 5 === 4 ? w.add('redeem', m, -3) : w.add('earn', m, 17);
          })));
        return { ...p, batches };
      }));
      const statements0 = statements;
      const commits0 = db.stats.commits;
      const retries0 = db.stats.retries;
      const cpu0 = cpuMark(name);
      const node0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(tills.map(async (t) => {
        for (const b of t.batches) {
          const res = await ingestBatch(counted, t.terminalId, t.shopId, b);
          if (res.statusCode !== 200) throw new Error(`ingest answered ${res.statusCode}`);
        }
      }));
      const ms = performance.now() - t0;
      const cpu = cpuSince(name, cpu0);
      const nodeUse = process.cpuUsage(node0);
      return { eps: (TILLS * BATCHES * 500) / (ms / 1000), ms, cpu, nodeCpu: (nodeUse.user + nodeUse.system) / 1e6, statements: statements - statements0, attempts: db.stats.commits - commits0, retries: db.stats.retries - retries0 };
    };
    const rounds: Round[] = [];
    for (let r = 0; r < WARMUP_ROUNDS + MEASURED_ROUNDS; r++) rounds.push(await ingestRound(r));
    const total = TILLS * BATCHES * 500;
    const measured = rounds.slice(WARMUP_ROUNDS);
    const med = [...measured].sort((a, b) => a.eps - b.eps)[Math.floor(MEASURED_ROUNDS / 2)]!;
    const cold = rounds[0]!;
    const perEvent = (x: Round) => `${round((x.cpu * 1e6) / total, 1)} µs per event: Node ${round((x.nodeCpu * 1e6) / total, 1)}, PostgreSQL ${round(((x.cpu - x.nodeCpu) * 1e6) / total, 1)}`;
    out.push({
      name: `ingest, ${TILLS} tills × ${BATCHES} batches × 500 events (steady state)`,
      unit: 'events/s',
      value: Math.round(med.eps),
      target: '≥ 20000',
      ok: med.eps >= 20_000,
      note: `median of ${MEASURED_ROUNDS} rounds (${measured.map((x) => Math.round(x.eps)).join(', ')} events/s) after ${WARMUP_ROUNDS} warm-up rounds, ${total} events each with new tills; full checks: dedupe, chain, member apply, positions; ${med.retries} retries`,
    });
    out.push({ name: 'ingest, first round of a fresh process (cold)', unit: 'events/s', value: Math.round(cold.eps), note: `${total} events in ${round(cold.ms / 1000, 2)} s, members seen for the first time, code not yet optimised by V8 (${perEvent(cold)})` });
    out.push({ name: 'ingest per CPU-second (Node + PostgreSQL backends)', unit: 'events/cpu-s', value: Math.round(total / med.cpu), note: `median round: ${round(med.cpu, 2)} CPU-s for ${total} events (${perEvent(med)}): what one idle core would sustain, independent of the shared machine's load` });
    out.push({ name: 'ingest statements per batch (+ BEGIN and COMMIT)', unit: 'round trips', value: round(med.statements / Math.max(1, med.attempts), 1), note: `${med.statements} statements over ${med.attempts} transactions (incl. ${med.retries} retried attempts)` });

    // 2. COPY the same rows into the same table: the raw write limit.
    const rows = (await db.query<Record<string, unknown>>('SELECT * FROM terminal_event')).rows;
    const csvPath = join(dir, 'events.csv');
    const esc = (v: unknown) => (v === null || v === undefined ? '' : `"${(typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v instanceof Date ? v.toISOString() : String(v)).replace(/"/g, '""')}"`);
    const cols = ['terminal_id', 'seq', 'event_id', 'kind', 'member_id', 'delta', 'sale_id', 'ref_event_id', 'occurred_at', 'business_at', 'drift_flagged', 'program_version', 'payload', 'prev_hash', 'hash', 'received_at'];
    writeFileSync(csvPath, rows.map((r) => cols.map((c) => esc(r[c])).join(',')).join('\n') + '\n');
    chmodSync(dir, 0o755);
    chmodSync(csvPath, 0o644);
    await db.query('CREATE TABLE terminal_event_copy (LIKE terminal_event INCLUDING ALL)');
    const cpu1 = cpuMark(name);
    const c0 = performance.now();
    let copyNote = 'server-side COPY FROM file (needs the DB on this machine)';
    try {
      await db.query(`COPY terminal_event_copy (${cols.join(',')}) FROM '${csvPath}' WITH (FORMAT csv)`);
    } catch (err) {
      copyNote = 'COPY failed: ' + (err instanceof Error ? err.message : String(err));
    }
    const copyMs = performance.now() - c0;
    const copyCpu = cpuSince(name, cpu1);
    out.push({ name: 'COPY of the same rows into terminal_event (limit)', unit: 'events/s', value: Math.round(rows.length / (copyMs / 1000)), note: `${rows.length} rows in ${round(copyMs / 1000, 2)} s (${Math.round(rows.length / Math.max(copyCpu, 0.001))} rows/cpu-s); ${copyNote}` });

    // 3. One real till (SQLite) uploads a 100,000-event backlog over loopback HTTP to the server
    //    running as its own process (`npm run server`), as in production.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--json', '--port', '0'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, DATABASE_URL: u.toString() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          const line = buf.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve((JSON.parse(line) as { url: string }).url);
        });
        child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const store = await openStore(join(dir, 'till.db'));
      const code = await createProvisioningCode(db, 'Backlog shop');
      await registerTerminal(store, { server: url, code: code.code });
      const N = 100_000;
      const ids = Array.from({ length: N }, () => uuidv7());
      store.transaction(() => {
        const ins = store.prepare("INSERT INTO member (id, name, created_at, updated_at) VALUES (?, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
        for (const id of ids) ins.run(id);
        const at = new Date().toISOString();
        for (let i = 0; i < N; i += 1000) appendEvents(store, ids.slice(i, i + 1000).map((m) => ({ kind: 'earn' as const, memberId: m, delta: 5, occurredAt: at })));
      })();
      // Where the time goes, batch by batch: the till building the body (outbox read, JSON), the
      // request (HTTP + server + PostgreSQL), the till reading the answer and marking it acknowledged.
      const split = { build: 0, request: 0, mark: 0 };
      let mark = 0;
      const fetchFn: FetchFn = async (url, init) => {
        const t = performance.now();
        split.build += t - mark;
        const res = await fetch(url, init);
        const text = await res.text();
        mark = performance.now();
        split.request += mark - t;
        return { status: res.status, headers: res.headers, text: async () => text };
      };
      const onProgress = (p: SyncProgress) => {
        if (p.phase !== 'push') return;
        const t = performance.now();
        split.mark += t - mark;
        mark = t;
      };
      const cpu0 = cpuMark(name);
      const child0 = procCpuSeconds(child.pid!);
      const u0 = performance.now();
      mark = u0;
      const r = await syncNow(store, { pull: false, fetchFn, onProgress });
      const upMs = performance.now() - u0;
      const upCpu = cpuSince(name, cpu0) + procCpuSeconds(child.pid!) - child0;
      out.push({ name: 'upload of a 100,000-event backlog from one till (HTTP, 500/batch)', unit: 's', value: round(upMs / 1000, 2), target: '≤ 10', ok: upMs <= 10_000 && r.acknowledged === N, note: `${r.acknowledged} acknowledged, ${Math.round(N / (upMs / 1000))} events/s, ${N} distinct members, server in its own process` });
      const per = (ms: number) => round(ms / (N / 500), 1);
      out.push({ name: 'backlog upload, time per 500-event batch: till build / request / till mark acked', unit: 'ms', value: per(upMs), note: `build ${per(split.build)} ms (outbox read, body JSON), request ${per(split.request)} ms (HTTP + server + PostgreSQL), mark acked ${per(split.mark)} ms (answer JSON, SQLite); total` });
      out.push({ name: 'backlog upload per CPU-second (till + server process + PostgreSQL backends)', unit: 'events/cpu-s', value: Math.round(N / upCpu), note: `${round(upCpu, 2)} CPU-s for ${N} events` });
      store.close();
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }

    // 4. Pull every member snapshot (≥ 100,000 members now) page by page: first with the change
    //    table as ingest left it (every member written again by every round: superseded rows the
    //    pull walks past), then after compaction (server/changes.ts), as the server keeps it.
    const probe = await provisionTill(db, 'Pull shop');
    const pullEverything = async () => {
      const p0 = performance.now();
      let cursor: string | undefined;
      let pulled = 0;
      for (;;) {
        const page = await pullChanges(db, probe.terminalId, cursor, 5000);
        pulled += page.members.length;
        cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      return { pulled, ms: performance.now() - p0 };
    };
    const changeRows = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM member_change')).rows[0]!.n);
    const rowsBefore = await changeRows();
    const raw = await pullEverything();
    out.push({ name: `pull of ${raw.pulled} member snapshots (pages of 5000), change table not compacted`, unit: 's', value: round(raw.ms / 1000, 2), note: `${Math.round(raw.pulled / (raw.ms / 1000))} snapshots/s, walking ${rowsBefore} change rows` });
    const state = compactionStart();
    const k0 = performance.now();
    let compacted = { scanned: 0, deleted: 0 };
    for (let wrapped = false; !wrapped; ) {
      const r = await compactChanges(db, state, { maxRows: 1_000_000 });
      compacted = { scanned: compacted.scanned + r.scanned, deleted: compacted.deleted + r.deleted };
      wrapped = r.wrapped;
    }
    const compactMs = performance.now() - k0;
    out.push({ name: 'compaction of the change table (superseded pull positions)', unit: 's', value: round(compactMs / 1000, 2), note: `${compacted.deleted} of ${compacted.scanned} rows deleted (${Math.round(compacted.scanned / (compactMs / 1000))} rows/s scanned)` });
    const compact = await pullEverything();
    out.push({ name: `pull of ${compact.pulled} member snapshots (pages of 5000), compacted`, unit: 's', value: round(compact.ms / 1000, 2), note: `${Math.round(compact.pulled / (compact.ms / 1000))} snapshots/s, ${await changeRows()} change rows` });
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  const load = loadavg().map((x) => x.toFixed(1)).join('/');
  return out.map((r) => ({ ...r, note: `${r.note ?? ''}; load avg ${load} on ${process.env.BENCH_CPUS ?? 2} cores during the run` }));
}
