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
 * When: once the WAL holds `thresholdFrames` frames not yet copied, passes run back to back until
 * the WAL is caught up; the writer's next transaction then starts the WAL over. Not sooner: the
 * first commit after each restart also fsyncs the new WAL header, so a worker that caught up
 * after every sale would add an fsync to every commit. At the default 1000 frames the WAL
 * restarts as often as it did with auto-checkpoint; only the copying and its fsyncs moved.
 * "Caught up" is judged on the WAL as it is after the pass, not on the pass's own result: a pass
 * only sees the commits that existed when it began, so under back-to-back commits it always ends
 * with everything it saw copied while the WAL has already grown.
 *
 * The frame counts come from `PRAGMA wal_checkpoint(NOOP)` on the worker's connection, which
 * reads the wal-index header without copying. Not from a descriptor of our own on the -shm
 * file: closing any descriptor of a file drops every POSIX lock the process holds on it,
 * SQLite's WAL locks included (https://sqlite.org/howtocorrupt.html section 2.2).
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

/** framesCopied: WAL frames written into the database file; maxWalFrames: the most the WAL held at a look; restarts: WAL restarts the worker saw. */
export type CheckpointerStats = Readonly<{ passes: number; framesCopied: number; busy: number; maxWalFrames: number; restarts: number }>;

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
const STOP = 0, CLOSED = 1, PASSES = 2, FRAMES = 3, BUSY = 4, MAXLOG = 5, RESTARTS = 6, SLOTS = 7;
// A check soon after a pass made no progress or the WAL was caught up, in ms; the rate window, in ms.
const SOON_MS = 1, RATE_WINDOW_MS = 20;

// Plain CommonJS so it runs the same from tsx, a bundle or an installed app: no file to ship.
const WORKER_SOURCE = `
const { workerData: W, parentPort } = require('node:worker_threads');
const Database = require(W.driver);
const s = new Int32Array(W.shared);
const db = new Database(W.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const noop = db.prepare('PRAGMA wal_checkpoint(NOOP)');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const finish = () => {
  try { db.close(); } finally { Atomics.store(s, ${CLOSED}, 1); Atomics.notify(s, ${CLOSED}); }
};
// log: frames in the WAL; checkpointed: how many of them are in the database file. A header read
// while the writer rewrites it comes back busy: that look is skipped.
let lastLog = 0;
let written = 0;
const look = () => {
  const r = noop.get();
  if (r.busy) return null;
  if (r.log < lastLog) { Atomics.add(s, ${RESTARTS}, 1); written += r.log; } else written += r.log - lastLog;
  lastLog = r.log;
  if (r.log > Atomics.load(s, ${MAXLOG})) Atomics.store(s, ${MAXLOG}, r.log);
  return r;
};
const pass = (before) => {
  const r = passive.get();
  Atomics.add(s, ${PASSES}, 1);
  if (r.busy) Atomics.add(s, ${BUSY}, 1);
  const from = r.log >= before.log ? before.checkpointed : 0;
  if (r.checkpointed > from) Atomics.add(s, ${FRAMES}, r.checkpointed - from);
  return r;
};
// Between rounds the next look comes when the WAL should reach the threshold at the rate it grew
// over the last window, at most an interval away: under back-to-back commits an interval of
// growth would be several thresholds' worth.
let timer = null;
let inRound = false;
let rate = 0, windowAt = 0, windowWritten = 0;
let backoff = 0;
const later = (ms) => { timer = ms < 0 ? setImmediate(run) : setTimeout(run, ms); };
const tick = () => {
  timer = null;
  if (Atomics.load(s, ${STOP}) === 1) { finish(); return; }
  const st = look();
  if (st === null) { later(${SOON_MS}); return; }
  const t = now();
  if (t - windowAt >= ${RATE_WINDOW_MS}) {
    if (windowAt > 0) rate = (written - windowWritten) / (t - windowAt);
    windowAt = t; windowWritten = written;
  }
  const waiting = st.log - st.checkpointed;
  if (waiting === 0 || (!inRound && waiting < W.threshold)) {
    inRound = false;
    later(rate > 0 ? Math.max(${SOON_MS}, Math.min(W.intervalMs, (W.threshold - waiting) / rate)) : W.intervalMs);
    return;
  }
  inRound = true;
  const r = pass(st);
  // No progress: a reader holds old frames; check back ever later, up to the interval.
  if (r.checkpointed > st.checkpointed || r.log < st.log) { backoff = 0; later(-1); return; }
  backoff = Math.min(W.intervalMs, backoff > 0 ? backoff * 2 : ${SOON_MS});
  later(backoff);
};
const run = () => {
  try { tick(); } catch (e) { try { finish(); } finally { throw e; } }
};
later(W.intervalMs);
parentPort.on('message', () => { if (timer) { clearTimeout(timer); clearImmediate(timer); } finish(); });
`;

const NOT_RUNNING: Checkpointer = { stop() {}, stats: () => ({ passes: 0, framesCopied: 0, busy: 0, maxWalFrames: 0, restarts: 0 }), running: false };

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
    stats: () => ({ passes: Atomics.load(s, PASSES), framesCopied: Atomics.load(s, FRAMES), busy: Atomics.load(s, BUSY), maxWalFrames: Atomics.load(s, MAXLOG), restarts: Atomics.load(s, RESTARTS) }),
    running: true,
  };
}
