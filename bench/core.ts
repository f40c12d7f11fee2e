import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { canonicalJson } from '../core/util/canonical-json';
import { isUuid } from '../core/util/ids';
import { GENESIS_HASH } from '../core/ledger/event';
import { ean13CheckDigit } from '../core/members/card';
import { quote, type CartLine } from '../core/loyalty/quote';
import { upsertProduct } from '../backend/catalog/catalog';
import { DEFAULT_BACKSTOP_PAGES, startBackgroundCheckpoints } from '../backend/db/checkpointer';
import { applyPragmas, openStore } from '../backend/db/connection';
import { sha256Hex } from '../backend/db/ledger';
import { findMemberByCard, findMemberByPhone, warmMemberLookups } from '../backend/members/members';
import { loadActiveProgram, saveProgram } from '../backend/loyalty/index';
import { saveMemberLots, withLotFolds } from '../backend/loyalty/snapshot-lots';
import { commitSale, priceSaleForCommit, quoteSale, writePricedSale, type SaleRequest } from '../backend/sales/checkout';
import { openUnattendedShift } from '../backend/shifts/shift';
import { leastCommit } from './least-commit';
import { percentile, round, sample, timeBesideBare, type BenchResult } from './types';

/**
 * Terminal-core figures on a big store: 1 000 000 members (each with a card and a phone) and
 * 10 000 000 hash-chained ledger events. The store is built once in bulk (one transaction per
 * batch, prepared statements, most secondary indexes created after the load) into the shape a till
 * that recorded those events through sales would have (see build()), and cached under bench/out/
 * keyed by BUILD_VERSION, so reruns skip the build.
 *
 * Measured: member lookup by card and by phone (p50/p99, after the till's warm-up read of the
 * lookup B-trees), a 20-line quote (engine and through the store), a sale commit writing 3 ledger
 * events beside a bare one-row fsync'd commit on the same file (the physical floor), and peak RSS.
 * The commit is given twice: the whole commitSale (re-quote under the write lock + write + fsync;
 * the ratio target stays on this one) and (a) its write transaction alone, timed from the
 * end of pricing to COMMIT returning; plus CPU time and WAL pages per commit (work counted).
 * Checkpoints run in a worker thread beside the commits, as on the till (backend/db/checkpointer.ts).
 * The commits come after a warm-up of KOPILKA_BENCH_WARM_COMMITS sales (1000) on other members,
 * because a till is measured at work, not while V8 is still compiling its commit path.
 */
// v2: member_card and member_balance WITHOUT ROWID (migration 007), lot projection table (022).
// v3: built as a till would hold it: no ANALYZE, the member index grown by inserts, every
// member's stored lots (see build()).
const BUILD_VERSION = 'v3';
const MEMBERS = Number(process.env.KOPILKA_BENCH_MEMBERS ?? 1_000_000);
const EVENTS = Number(process.env.KOPILKA_BENCH_EVENTS ?? 10_000_000);
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const AT = '2026-03-02T12:00:00+03:00';

export function phoneOf(i: number): string {
  return '+7900' + String(i).padStart(7, '0');
}
export function cardOf(i: number): string {
  const first12 = '2' + String(i).padStart(11, '0');
  return first12 + String(ean13CheckDigit(first12));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const rnd = new Uint8Array(10 * 65536);
let rndPos = rnd.length;
/** UUIDv7 for bulk loads: same layout as core/util/ids (48-bit ms, version 7, variant 10), random bytes drawn in bulk. */
function fastUuidv7(ms: number): string {
  if (rndPos + 10 > rnd.length) {
    globalThis.crypto.getRandomValues(rnd.subarray(0, 65536));
    for (let o = 65536; o < rnd.length; o += 65536) globalThis.crypto.getRandomValues(rnd.subarray(o, o + 65536));
    rndPos = 0;
  }
  const r = rnd;
  const p = rndPos;
  rndPos += 10;
  const t = ms.toString(16).padStart(12, '0');
  return (
    t.slice(0, 8) + '-' + t.slice(8, 12) + '-7' + HEX[r[p]!]!.slice(1) + HEX[r[p + 1]!] + '-' + HEX[0x80 | (r[p + 2]! & 0x3f)] + HEX[r[p + 3]!] + '-' +
    HEX[r[p + 4]!] + HEX[r[p + 5]!] + HEX[r[p + 6]!] + HEX[r[p + 7]!] + HEX[r[p + 8]!] + HEX[r[p + 9]!]
  );
}

/** canonicalJson() of a bulk event, spelled out (keys in code-unit order); checked against the real one below. */
function eventJson(id: string, terminalId: string, seq: number, kind: string, memberId: string, delta: number, occurredAt: string): string {
  return `{"delta":${delta},"id":"${id}","kind":"${kind}","memberId":"${memberId}","occurredAt":"${occurredAt}","payload":{},"programVersion":null,"refEventId":null,"saleId":null,"seq":${seq},"terminalId":"${terminalId}"}`;
}

/** Build the store in bulk. Returns the build time in seconds. */
async function build(path: string): Promise<number> {
  const t0 = Date.now();
  const tmp = path + '.building';
  for (const f of [tmp, tmp + '-wal', tmp + '-shm']) rmSync(f, { force: true });
  const store = await openStore(tmp); // schema via the real migrations
  const terminal = store.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").pluck().get() as string;
  store.close();

  const db = new Database(tmp);
  // Bulk-load settings: journal in memory, no fsync, big cache. Leaving WAL needs DELETE first;
  // the finished file is switched back to WAL by openStore.
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('cache_size = -400000');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = OFF');
  // Indexes built after the load, as CREATE INDEX packs them: the ones sales never write, and
  // two that stay empty here (no event of the bulk load has a sale or a reference).
  // ledger_event_member stays: every sale adds its events to it at their member's place, and an
  // index packed full by CREATE INDEX splits a page on nearly every such insert; grown by inserts
  // as on a till, SQLite's page balancing leaves its pages about 90 % full.
  const dropped = ['member_phone_last4', 'member_card_member', 'ledger_event_sale', 'ledger_event_ref'];
  const indexSql = dropped.map((n) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(n) as string);
  for (const n of dropped) db.exec(`DROP INDEX ${n}`);

  const created = '2025-01-01T00:00:00.000Z';
  if (!isUuid(fastUuidv7(Date.now()))) throw new Error('bench: fastUuidv7 is not a UUID');
  const ids: string[] = new Array(MEMBERS);
  const insMember = db.prepare(`INSERT INTO member (id, phone, name, consent_pd, consent_pd_at, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)`);
  const insCard = db.prepare(`INSERT INTO member_card (code, member_id, kind, created_at) VALUES (?, ?, 'ean13', ?)`);
  const BATCH = 50_000;
  for (let start = 0; start < MEMBERS; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(MEMBERS, start + BATCH); i++) {
        const id = fastUuidv7(Date.parse(created) + i);
        ids[i] = id;
        insMember.run(id, phoneOf(i), `Гость ${i}`, created, created, created);
        insCard.run(cardOf(i), id, created);
      }
    })();
  }
  process.stderr.write(`bench core: ${MEMBERS} members in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  // Events: each for a member drawn at random, as customers come in (so the member-keyed B-trees
  // fill the way a till's do); a redeem only when the member can afford it.
  const balance = new Int32Array(MEMBERS);
  const insEvent = db.prepare(
    `INSERT INTO ledger_event (seq, id, terminal_id, kind, member_id, delta, sale_id, ref_event_id, occurred_at, program_version, payload, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, '{}', ?, ?)`,
  );
  let prev = GENESIS_HASH;
  const baseMs = Date.parse('2025-01-01T00:00:00Z');
  let rng = 0x2545f491;
  const rand = () => ((rng ^= rng << 13), (rng ^= rng >>> 17), (rng ^= rng << 5), rng >>> 0);
  for (let start = 1; start <= EVENTS; start += 200_000) {
    db.transaction(() => {
      for (let seq = start; seq < Math.min(EVENTS + 1, start + 200_000); seq++) {
        const m = rand() % MEMBERS;
        const r = rand();
        let kind: 'earn' | 'redeem' = 'earn';
        let delta = 5 + (r % 60);
        if (r % 10 < 3 && balance[m]! >= 20) {
          kind = 'redeem';
          delta = -Math.min(balance[m]!, 20 + (r % 100));
        }
        balance[m]! += delta;
        const ms = baseMs + seq * 3000;
        const occurredAt = new Date(ms).toISOString();
        const id = fastUuidv7(ms);
        // Same preimage as chainPreimage(): prevHash ‖ canonical JSON of the event without hash/prevHash.
        const json = eventJson(id, terminal, seq, kind, ids[m]!, delta, occurredAt);
        if (seq <= 1000 && json !== canonicalJson({ id, terminalId: terminal, seq, kind, memberId: ids[m], delta, saleId: null, refEventId: null, occurredAt, programVersion: null, payload: {} })) {
          throw new Error('bench: hand-written event JSON differs from canonicalJson');
        }
        const hash = sha256Hex(prev + json);
        insEvent.run(seq, id, terminal, kind, ids[m], delta, occurredAt, prev, hash);
        prev = hash;
      }
    })();
    if ((start - 1) % 2_000_000 === 0) process.stderr.write(`bench core: ${start - 1} events, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const insBal = db.prepare('INSERT INTO member_balance (member_id, balance, updated_seq) VALUES (?, ?, 0)');
  db.transaction(() => {
    for (let i = 0; i < MEMBERS; i++) if (balance[i] !== 0) insBal.run(ids[i], balance[i]);
  })();
  process.stderr.write(`bench core: events and balances in ${((Date.now() - t0) / 1000).toFixed(1)} s; building indexes\n`);
  for (const sql of indexSql) db.exec(sql);
  // No ANALYZE: the till never runs it. (With its sqlite_stat4, statements whose plan depends on
  // a bound value are re-prepared whenever that value changes: a cost a till does not have.)
  db.pragma('locking_mode = NORMAL');
  db.pragma('journal_mode = DELETE');
  db.close();

  // Products, the program and an open shift through the real services.
  const s = await openStore(tmp);
  const cats = ['Кофе', 'Чай', 'Выпечка', 'Десерты', 'Завтраки'];
  for (let p = 0; p < 20; p++) upsertProduct(s, { sku: `P${p}`, name: `Товар ${p}`, category: cats[p % cats.length]!, price: 5000 + 700 * p, barcodes: [cardOf(900_000_000 + p)] });
  saveProgram(s, { name: 'bench', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000 } }, '2000-01-01T00:00:00Z');
  openUnattendedShift(s, 'test', '2026-03-01T08:00:00+03:00');
  // A till that recorded these events through sales holds every member's lots as of their last
  // sale (snapshot-lots.ts): stored here by the same function, in batches.
  // In random member order, as their sales came.
  const order = Uint32Array.from({ length: MEMBERS }, (_, i) => i);
  for (let i = MEMBERS - 1; i > 0; i--) {
    const j = rand() % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let start = 0; start < MEMBERS; start += 20_000) {
    s.transaction(() => withLotFolds(s, () => {
      for (let i = start; i < Math.min(MEMBERS, start + 20_000); i++) saveMemberLots(s, ids[order[i]!]!);
    })).immediate();
  }
  process.stderr.write(`bench core: stored lots in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  s.close();
  renameSync(tmp, path);
  return (Date.now() - t0) / 1000;
}

/**
 * The same call timed in CPU time of this process (user + system, µs resolution). On a shared
 * machine wall-clock p99 is dominated by waiting for a core; this separates that from our cost.
 */
function sampleCpu(n: number, fn: (i: number) => void): number[] {
  for (let i = 0; i < Math.min(200, n); i++) fn(i);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    fn(i);
    const d = process.cpuUsage(c);
    out[i] = (d.user + d.system) / 1000;
  }
  return out;
}

/**
 * CPU time of this thread in ms, from Linux's per-thread scheduler statistics (Node 20 has no
 * process.threadCpuUsage); process.cpuUsage() first, because reading rusage brings the thread's
 * run time up to date (otherwise it moves only at scheduler ticks). Elsewhere: the whole process.
 */
const THREAD_CPU = existsSync('/proc/thread-self/schedstat');
function mainThreadCpuMs(): number {
  const p = process.cpuUsage();
  if (!THREAD_CPU) return (p.user + p.system) / 1000;
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
}

function loadNote(): string {
  const [one] = loadavg();
  return `load average ${one!.toFixed(1)} on ${cpus().length} cores while measuring`;
}

function ioFloor(db: Database.Database, pages: number, n: number, bare: Database.Statement, commitP99: number): BenchResult[] {
  const ROWS = 4000;
  db.exec('CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
  // 3000-byte rows: one per page, so each update dirties exactly one page.
  if ((db.prepare('SELECT count(*) FROM bench_floor').pluck().get() as number) < ROWS) {
    const ins = db.prepare('INSERT OR REPLACE INTO bench_floor (id, v) VALUES (?, ?)');
    db.transaction(() => { for (let i = 0; i < ROWS; i++) ins.run(i, Buffer.alloc(3000)); })();
  }
  const upd = db.prepare('UPDATE bench_floor SET v = ? WHERE id = ?');
  const blob = Buffer.alloc(3000, 7);
  let r = 0x5eed;
  // Checkpoints first: transaction functions made after they start take part in the WAL restarts.
  const checkpoints = startBackgroundCheckpoints(db);
  // Like a sale's pages: most are the same few pages every time (a sale's are the right-hand ends
  // of its tables), RANDOM of them anywhere (a sale's member-keyed rows: balance, lots, indexes).
  const RANDOM = Math.min(5, pages);
  const commitPages = db.transaction(() => {
    r = (Math.imul(r, 1103515245) + 12345) >>> 0;
    // New bytes every time: SQLite leaves a page clean when a row is rewritten with what it holds.
    blob.writeUInt32LE(r, 0);
    for (let k = 0; k < pages - RANDOM; k++) upd.run(blob, k);
    for (let k = 0; k < RANDOM; k++) upd.run(blob, 100 + ((r + k * 797) % (ROWS - 100)));
  });
  const { commits: floors, bares } = timeBesideBare(n, 20, () => commitPages.immediate(), () => bare.run('x'.repeat(64)));
  checkpoints.stop();
  // What one of those commits appended to the WAL, counted (checkpoints paused): the pages it is meant to write.
  const walPath = db.name + '-wal';
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const w0 = statSync(walPath).size;
  for (let i = 0; i < 20; i++) commitPages.immediate();
  const written = (statSync(walPath).size - w0) / 20 / ((db.pragma('page_size', { simple: true }) as number) + 24);
  db.pragma('wal_autocheckpoint = 1000');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const f99 = percentile(floors, 99), b99 = percentile(bares, 99);
  return [
    { name: `I/O floor: ${pages}-page commit with no work p50`, unit: 'ms', value: round(percentile(floors, 50)), note: `as many pages as a sale commit writes, ${RANDOM} of them at random, one small update each (${round(written, 1)} WAL pages per commit, counted)` },
    { name: `I/O floor: ${pages}-page commit with no work p99`, unit: 'ms', value: round(f99), note: `bare p50 ${round(percentile(bares, 50))} / p99 ${round(b99)} ms beside it; ` + loadNote() },
    { name: 'commit sale p99 / I/O floor p99', unit: '×', value: round(commitP99 / f99, 2), note: 'what the sale commit adds above writing and syncing its pages; the rest of its ratio to the bare commit is those pages' },
  ];
}

export async function run(): Promise<BenchResult[]> {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `core-${BUILD_VERSION}-${MEMBERS}m-${EVENTS}e.db`);
  let buildSeconds: number | null = null;
  if (!existsSync(path)) buildSeconds = await build(path);
  const db = await openStore(path);
  applyPragmas(db);
  // As on the till (openStore backgroundCheckpoints): checkpoints in a worker thread, not inside a commit.
  const checkpoints = startBackgroundCheckpoints(db);
  const results: BenchResult[] = [];
  const events = db.prepare('SELECT max(seq) FROM ledger_event').pluck().get() as number;
  const members = db.prepare('SELECT count(*) FROM member').pluck().get() as number;
  results.push({ name: 'store: members', unit: 'rows', value: members });
  results.push({ name: 'store: ledger events', unit: 'rows', value: events });
  results.push({ name: 'store: file size', unit: 'MB', value: round(statSync(path).size / 1e6, 0), note: relative(process.cwd(), path) });
  results.push({ name: 'store: build time', unit: 's', value: buildSeconds === null ? 0 : round(buildSeconds, 1), note: buildSeconds === null ? 'cached file reused (delete bench/out/core-*.db to rebuild)' : 'bulk build' });

  // A till reads the lookup B-trees once at start (warmMemberLookups); without it the first
  // touch of each random page may come from disk, which is what a cold page cache measures.
  const w0 = process.hrtime.bigint();
  const trees = warmMemberLookups(db);
  results.push({ name: 'warm-up: member lookup B-trees read once', unit: 's', value: round(Number(process.hrtime.bigint() - w0) / 1e9, 2), note: `${trees} B-trees (member rows, id/phone keys, cards, card list, balances) before the lookups` });

  let r = 0x1234567;
  const pick = () => ((r = (Math.imul(r, 1103515245) + 12345) >>> 0), r % MEMBERS);
  // What separates wall from CPU time in the lookups: reads from disk, page faults, GC pauses.
  const gcPauses: number[] = [];
  const gcObs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcPauses.push(e.duration); });
  gcObs.observe({ entryTypes: ['gc'] });
  const ru0 = process.resourceUsage();
  const byCard = sample(5000, () => void findMemberByCard(db, cardOf(pick())));
  const byPhone = sample(5000, () => void findMemberByPhone(db, phoneOf(pick())));
  const ru1 = process.resourceUsage();
  // GC entries reach the observer asynchronously, after more than one turn of the event loop.
  await new Promise((res) => setTimeout(res, 50));
  gcObs.disconnect();
  const lookupIo = `during the 10 000 timed lookups: ${ru1.fsRead - ru0.fsRead} blocks read from disk, ${ru1.majorPageFault - ru0.majorPageFault} major / ${ru1.minorPageFault - ru0.minorPageFault} minor page faults, ${gcPauses.length} GC pauses (longest ${round(Math.max(0, ...gcPauses))} ms)`;
  results.push({ name: 'lookup by card p50', unit: 'ms', value: round(percentile(byCard, 50)) });
  results.push({ name: 'lookup by card p99', unit: 'ms', value: round(percentile(byCard, 99)), target: '≤ 0.3 ms', ok: percentile(byCard, 99) <= 0.3 });
  results.push({ name: 'lookup by phone p50', unit: 'ms', value: round(percentile(byPhone, 50)) });
  results.push({ name: 'lookup by phone p99', unit: 'ms', value: round(percentile(byPhone, 99)), target: '≤ 0.3 ms', ok: percentile(byPhone, 99) <= 0.3, note: 'includes E.164 normalisation; ' + loadNote() });
  const cardCpu = sampleCpu(5000, () => void findMemberByCard(db, cardOf(pick())));
  const phoneCpu = sampleCpu(5000, () => void findMemberByPhone(db, phoneOf(pick())));
  results.push({ name: 'lookup by card p99 (CPU time)', unit: 'ms', value: round(percentile(cardCpu, 99)), note: 'time on a core, without waiting for one' });
  results.push({ name: 'lookup by phone p99 (CPU time)', unit: 'ms', value: round(percentile(phoneCpu, 99)), note: lookupIo });

  // A 20-line cart: the pure engine (what the target is about) and through the store (product + member lookups).
  const { program, version } = loadActiveProgram(db, AT);
  const lines: CartLine[] = Array.from({ length: 20 }, (_, i) => ({
    lineNo: i + 1, productId: `p${i}`, sku: `P${i}`, name: `Товар ${i}`, category: 'Кофе', qty: 1 + (i % 3), unitPrice: 5000 + 700 * i, earnsPoints: i % 7 !== 6, payableWithPoints: i % 5 !== 4,
  }));
  const engine = sample(5000, () => void quote({ program, programVersion: version, lines, member: { id: 'm', balance: 5000 }, redeem: { mode: 'max' }, at: AT }));
  results.push({ name: 'quote 20 lines p50 (engine)', unit: 'ms', value: round(percentile(engine, 50)) });
  results.push({ name: 'quote 20 lines p99 (engine)', unit: 'ms', value: round(percentile(engine, 99)), target: '≤ 0.2 ms', ok: percentile(engine, 99) <= 0.2 });
  const items = lines.map((l) => ({ code: l.sku, qty: l.qty }));
  const full = sample(1000, () => void quoteSale(db, { items, member: { card: cardOf(pick()) }, redeem: { mode: 'max' }, at: AT }));
  results.push({ name: 'quote 20 lines p99 (with store lookups)', unit: 'ms', value: round(percentile(full, 99)), note: '20 product lookups + member + snapshot from its ledger' });

  // Commit: a sale with a member redeeming and earning → sale + redeem + earn events, vs a bare one-row commit.
  db.exec('CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const bare = db.prepare('INSERT INTO bench_bare (v) VALUES (?)');
  // Members who can redeem, from a different place in the store on every run, so a cached store's
  // members do not pile up sales and lots run after run; the first WARM of them warm up the commit
  // path (a till has done many sales before the one that counts), the rest are measured.
  const WARM = Number(process.env.KOPILKA_BENCH_WARM_COMMITS ?? 1000);
  const canRedeem = db.prepare('SELECT count(*) FROM member_balance WHERE balance > 300').pluck().get() as number;
  const from = Math.floor(Math.random() * Math.max(1, canRedeem - WARM - 2000));
  const picked = db.prepare('SELECT member_id FROM member_balance WHERE balance > 300 LIMIT ? OFFSET ?').pluck().all(WARM + 2000, from) as string[];
  const warmMembers = picked.slice(0, WARM);
  const richMembers = picked.slice(WARM);
  const sale3 = (member: string): SaleRequest => ({ items: [{ code: 'P1', qty: 1 }, { code: 'P2', qty: 2 }, { code: 'P3', qty: 1 }], member: { id: member }, redeem: { mode: 'points', points: 10 }, payment: { method: 'card' }, at: AT });
  const warm0 = process.cpuUsage();
  for (const m of warmMembers) {
    commitSale(db, sale3(m));
    bare.run('x'.repeat(64));
  }
  const warmCpu = process.cpuUsage(warm0);
  results.push({ name: 'commit warm-up', unit: 'sales', value: warmMembers.length, note: `${round((warmCpu.user + warmCpu.system) / 1000 / Math.max(1, warmMembers.length))} ms CPU per sale while V8 compiles the commit path; measured members: ${richMembers.length} from offset ${from} of ${canRedeem} with balance > 300` });
  let eventsPerSale = 0;
  const N = Number(process.env.KOPILKA_BENCH_COMMITS ?? 400);
  const { commits, bares } = timeBesideBare(N, 20, (i) => void (eventsPerSale = commitSale(db, sale3(richMembers[i % richMembers.length]!)).events.length), () => bare.run('x'.repeat(64)));
  const c50 = percentile(commits, 50), c99 = percentile(commits, 99), b50 = percentile(bares, 50), b99 = percentile(bares, 99);
  results.push({ name: 'commit sale p50', unit: 'ms', value: round(c50), note: `${eventsPerSale} ledger events + outbox + lines + payments; whole commitSale (re-quote + write + fsync)` });
  results.push({ name: 'commit sale p99', unit: 'ms', value: round(c99) });
  results.push({ name: 'bare 1-row fsync commit p50', unit: 'ms', value: round(b50) });
  results.push({ name: 'bare 1-row fsync commit p99', unit: 'ms', value: round(b99) });
  results.push({ name: 'commit p99 / bare p99', unit: '×', value: round(c99 / b99, 2), target: '≤ 1.5×', ok: c99 / b99 <= 1.5, note: 'whole commitSale; ' + loadNote() });
  results.push({ name: 'commit p50 / bare p50', unit: '×', value: round(c50 / b50, 2) });

  // The same commit split at the point where the re-quote ends: (a) is the write transaction of an
  // already-priced sale (inserts, ledger events, loyalty state, COMMIT with its fsync), timed from
  // the end of pricing to COMMIT returning, beside its own bare commits. Same code path as commitSale.
  let pricedAt = 0n;
  const split = db.transaction((req: SaleRequest) =>
    withLotFolds(db, () => {
      const priced = priceSaleForCommit(db, req);
      pricedAt = process.hrtime.bigint();
      return writePricedSale(db, req, priced);
    }),
  );
  const writes: number[] = [];
  const bares2: number[] = [];
  const wholeCpu: number[] = [];
  for (let i = 0; i < N + 20; i++) {
    const req = sale3(richMembers[(i * 7 + 3) % richMembers.length]!);
    const c0 = mainThreadCpuMs();
    split.immediate(req);
    const t1 = process.hrtime.bigint();
    const cpu = mainThreadCpuMs() - c0;
    bare.run('x'.repeat(64));
    const t2 = process.hrtime.bigint();
    if (i >= 20) {
      writes.push(Number(t1 - pricedAt) / 1e6);
      bares2.push(Number(t2 - t1) / 1e6);
      wholeCpu.push(cpu);
    }
  }
  const w50 = percentile(writes, 50), w99 = percentile(writes, 99), bb50 = percentile(bares2, 50), bb99 = percentile(bares2, 99);
  results.push({ name: 'commit sale p50 (CPU time)', unit: 'ms', value: round(percentile(wholeCpu, 50)), note: `whole commit on a core, without fsync waits or waiting for a core (${THREAD_CPU ? 'this thread only: not the checkpoint worker or V8\'s helper threads' : 'whole process'})` });
  results.push({ name: 'commit sale p99 (CPU time)', unit: 'ms', value: round(percentile(wholeCpu, 99)) });
  results.push({ name: 'write tx of a priced sale p50', unit: 'ms', value: round(w50), note: '(a) inserts + ledger + loyalty state + COMMIT, after the re-quote' });
  results.push({ name: 'write tx of a priced sale p99', unit: 'ms', value: round(w99) });
  results.push({ name: 'write tx p99 / bare p99', unit: '×', value: round(w99 / bb99, 2), note: `bare p50 ${round(bb50)} / p99 ${round(bb99)} ms beside it; ` + loadNote() });
  results.push({ name: 'write tx p50 / bare p50', unit: '×', value: round(w50 / bb50, 2) });

  const ck = checkpoints.stats();
  results.push({ name: 'checkpoints off the commit path', unit: 'passes', value: ck.passes, note: checkpoints.running ? `worker thread, PASSIVE: ${ck.framesCopied} WAL frames copied during the warm-up and commit runs, WAL at most ${ck.maxWalFrames} frames, ${ck.restarts} WAL restarts, ${ck.pauses} writer waits before a transaction for them (longest ${ck.longestPauseMs} ms, ${ck.latePauses} cut short); writer's own auto-checkpoint only at ${DEFAULT_BACKSTOP_PAGES} pages` : 'worker not running: SQLite auto-checkpoint in the commit' });
  checkpoints.stop();

  // Physical work per commit, counted: WAL pages appended (each one written and fsync'd, and later
  // copied into the database file by a checkpoint). Checkpoints are paused so the WAL only grows.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  const walBytes = () => (existsSync(path + '-wal') ? statSync(path + '-wal').size : 0);
  let saleFrames = 0, bareFrames = 0;
  const F = 100;
  for (let i = 0; i < F; i++) {
    const w0 = walBytes();
    commitSale(db, sale3(richMembers[(i * 11 + 5) % richMembers.length]!));
    const w1 = walBytes();
    bare.run('x'.repeat(64));
    saleFrames += w1 - w0;
    bareFrames += walBytes() - w1;
  }
  const frame = (db.pragma('page_size', { simple: true }) as number) + 24;
  db.pragma('wal_autocheckpoint = 1000');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const salePages = saleFrames / F / frame;
  results.push({ name: 'WAL pages per sale commit', unit: 'pages', value: round(salePages, 1), note: `bare commit: ${round(bareFrames / F / frame, 1)} pages; auto-checkpoint every 1000 pages` });

  // The disk's share of the ratio: a commit that writes as many pages as a sale and does nothing
  // else (one same-size update on each of that many pages of a scratch table), beside the same
  // bare commit, checkpoints in the worker as above. Whatever the sale commit adds above this is
  // its own work; the floor's distance from the bare commit is the cost of that many pages.
  results.push(...ioFloor(db, Math.round(salePages), N, bare, c99));
  db.close();
  results.push({ name: 'peak RSS', unit: 'MB', value: round(process.resourceUsage().maxRSS / 1024, 0) });
  // Whether any store writing the records could meet the ratio on this disk (least-commit.ts);
  // after the RSS figure, which is the till's, not this scratch store's.
  results.push(...leastCommit(OUT, Number(process.env.KOPILKA_BENCH_LEAST_COMMITS ?? 2000)));
  return results;
}
