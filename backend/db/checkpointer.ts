import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { createLogger } from '../../core/util/logger';
import type { Db } from './types';

const log = createLogger('checkpoint');

/**
 * Checkpoints off the commit path. With SQLite's auto-checkpoint, the commit that pushes the WAL
 * past 1000 pages copies them into the database file and fsyncs it before returning: every ~30th
 * sale waits for that, and that wait is the commit's p99. Here the till's writer connection stops
 * doing it, and a worker thread with its own connection runs PASSIVE checkpoints instead. PASSIVE
 * never takes the write lock and never waits for readers, so a commit is never blocked by it.
 *
 * When: once the WAL holds `thresholdFrames` frames not yet copied (read from the wal-index
 * header in the -shm file every `intervalMs`), passes run back to back until one finds
 * everything copied; the writer's next transaction then starts the WAL over. Not sooner: the
 * first commit after each restart also fsyncs the new WAL header, so a worker that caught up
 * after every sale would add an fsync to every commit. At the default 1000 frames the WAL
 * restarts as often as it did with auto-checkpoint; only the copying and its fsyncs moved.
 *
 * Bounded WAL growth does not depend on the worker: the writer keeps an auto-checkpoint at
 * `backstopPages`, far above what the worker lets pile up, so a stalled or dead worker costs
 * latency, never disk space. A crash at any point is the same as a crash with auto-checkpoint:
 * the WAL stays the authority until a checkpoint has fully copied it.
 */
export type CheckpointerOptions = Readonly<{
  intervalMs?: number;
  /** Frames waiting in the WAL that start a round of passes. */
  thresholdFrames?: number;
  /** The writer's own auto-checkpoint, kept as a bound if the worker falls behind. */
  backstopPages?: number;
  /** Path of the better-sqlite3 entry point for the worker (resolved from here by default). */
  driver?: string;
}>;

/** framesCopied: WAL frames written into the database file; maxWalFrames: the most the WAL held at a pass. */
export type CheckpointerStats = Readonly<{ passes: number; framesCopied: number; busy: number; maxWalFrames: number }>;

export type Checkpointer = Readonly<{
  /** Stop the worker and close its connection; waits for a pass in progress. Idempotent. */
  stop(): void;
  stats(): CheckpointerStats;
  /** False when the store cannot have one (in memory, read-only, not WAL); stop() is then a no-op. */
  running: boolean;
}>;

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 200;
export const DEFAULT_THRESHOLD_FRAMES = 1000;
export const DEFAULT_BACKSTOP_PAGES = 10_000;

// Shared Int32 slots between the writer's thread and the worker.
const STOP = 0, CLOSED = 1, PASSES = 2, FRAMES = 3, BUSY = 4, MAXLOG = 5, SLOTS = 6;

// Plain CommonJS so it runs the same from tsx, a bundle or an installed app: no file to ship.
// The wal-index header (https://sqlite.org/walformat.html): mxFrame at byte 16, the checkpoint's
// nBackfill at byte 96, both u32 in the machine's byte order. A torn read only moves a round of
// passes by one interval; if the -shm file cannot be read, a round runs every interval.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const le = require('node:os').endianness() === 'LE';
const Database = require(workerData.driver);
const s = new Int32Array(workerData.shared);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
let shm = null;
try { shm = fs.openSync(workerData.path + '-shm', 'r'); } catch {}
const hdr = Buffer.alloc(100);
const waiting = () => {
  if (shm === null) return Infinity;
  try {
    if (fs.readSync(shm, hdr, 0, 100, 0) < 100) return Infinity;
  } catch { return Infinity; }
  const mx = le ? hdr.readUInt32LE(16) : hdr.readUInt32BE(16);
  const done = le ? hdr.readUInt32LE(96) : hdr.readUInt32BE(96);
  return mx > done ? mx - done : 0;
};
const finish = () => {
  try { if (shm !== null) fs.closeSync(shm); db.close(); } finally { Atomics.store(s, ${CLOSED}, 1); Atomics.notify(s, ${CLOSED}); }
};
// One pass copies what the WAL holds now; the WAL only starts over once a pass has copied
// everything, so after a pass that found work, go again at once until one finds the WAL caught up.
// A reader holding an old snapshot stops progress; then wait for the next interval, not spin.
let timer = null;
let last = 0;
let inRound = false;
const pass = () => {
  timer = null;
  if (Atomics.load(s, ${STOP}) === 1) { finish(); return; }
  if (!inRound && waiting() < workerData.threshold) { timer = setTimeout(run, workerData.intervalMs); return; }
  const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
  Atomics.add(s, ${PASSES}, 1);
  if (r.busy) Atomics.add(s, ${BUSY}, 1);
  // log and checkpointed count from the WAL's start; fewer than last time means it started over.
  if (r.checkpointed < last) last = 0;
  if (r.checkpointed > last) Atomics.add(s, ${FRAMES}, r.checkpointed - last);
  if (r.log > Atomics.load(s, ${MAXLOG})) Atomics.store(s, ${MAXLOG}, r.log);
  inRound = r.log > r.checkpointed && r.checkpointed !== last;
  last = r.checkpointed;
  timer = inRound ? setImmediate(run) : setTimeout(run, workerData.intervalMs);
};
const run = () => {
  try { pass(); } catch (e) { try { finish(); } finally { throw e; } }
};
timer = setTimeout(run, workerData.intervalMs);
parentPort.on('message', () => { if (timer) { clearTimeout(timer); clearImmediate(timer); } finish(); });
`;

const NOT_RUNNING: Checkpointer = { stop() {}, stats: () => ({ passes: 0, framesCopied: 0, busy: 0, maxWalFrames: 0 }), running: false };

function defaultDriver(): string | null {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return null;
  }
}

/**
 * Start background checkpoints for the till's writer connection. `db.close()` stops them first,
 * so the writer's close is still the last one and checkpoints and removes the WAL as before.
 */
export function startBackgroundCheckpoints(db: Db, opts: CheckpointerOptions = {}): Checkpointer {
  if (db.memory || db.readonly || String(db.pragma('journal_mode', { simple: true })) !== 'wal') return NOT_RUNNING;
  const driver = opts.driver ?? defaultDriver();
  if (!driver) {
    log.warn('better-sqlite3 not resolvable for the checkpoint worker; SQLite auto-checkpoint stays on');
    return NOT_RUNNING;
  }
  const shared = new SharedArrayBuffer(SLOTS * 4);
  const s = new Int32Array(shared);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path: db.name, shared, intervalMs: opts.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS, threshold: opts.thresholdFrames ?? DEFAULT_THRESHOLD_FRAMES },
  });
  // The till's process must be able to exit with the store open (tests, CLI): a pass cut short
  // is harmless (see above).
  worker.unref();
  let stopped = false;
  worker.on('error', (e) => {
    log.warn('checkpoint worker stopped; the writer auto-checkpoints again', { error: e instanceof Error ? e.message : String(e) });
    Atomics.store(s, CLOSED, 1);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  db.pragma(`wal_autocheckpoint = ${opts.backstopPages ?? DEFAULT_BACKSTOP_PAGES}`);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    Atomics.store(s, STOP, 1);
    worker.postMessage('stop');
    // Synchronous on purpose: close() must not return while another connection of ours is open,
    // or the writer's close would not be the last and would leave the WAL behind.
    if (Atomics.wait(s, CLOSED, 0, 5000) === 'timed-out') log.warn('checkpoint worker did not close within 5 s');
    void worker.terminate();
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  const close = db.close.bind(db);
  db.close = () => {
    stop();
    return close();
  };
  return {
    stop,
    stats: () => ({ passes: Atomics.load(s, PASSES), framesCopied: Atomics.load(s, FRAMES), busy: Atomics.load(s, BUSY), maxWalFrames: Atomics.load(s, MAXLOG) }),
    running: true,
  };
}
