import { closeSync, openSync } from 'node:fs';
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
 * When: once the WAL holds `thresholdFrames` frames not yet copied, passes run (PASS_GAP_MS apart)
 * until the WAL is caught up; the writer's next transaction then starts the WAL over. Not sooner: the
 * first commit after each restart also fsyncs the new WAL header, so a worker that caught up
 * after every sale would add an fsync to every commit. At the default 1000 frames the WAL
 * restarts as often as it did with auto-checkpoint; only the copying and its fsyncs moved.
 * "Caught up" is judged on the WAL as it is after the pass, not on the pass's own result (a pass
 * only sees the commits that existed when it began), and the round lasts until the WAL has
 * started over: a transaction that began before the pass finished appends instead of restarting.
 *
 * Under back-to-back commits (the benchmark's loop, a bulk load) no round ever catches up: SQLite
 * starts the WAL over only when a writer begins a transaction while every frame is copied, and a
 * pass, which ends with an fsync of the database file, cannot fit in the few µs between one
 * commit and the next transaction. Left alone, the WAL grows to `backstopPages` and the commit
 * that crosses it copies what is left and fsyncs the database file itself (measured on the 4.8 GB
 * benchmark store: 3-11 ms of the main thread's CPU and 12-21 ms of wall time every ~300 sales;
 * 170 ms and 0.9 s when that fsync also wrote back pages still dirty from copying the file). So
 * once the WAL holds `restartFrames` frames, the worker brings the WAL within a few frames of
 * caught up and fsyncs the database file on its own descriptor (both while the writer goes on),
 * then asks the writer to wait once, before its next transaction, while it runs one last short
 * pass; that transaction then starts the WAL over. The wait happens in `db.transaction` functions
 * (every sale, refund and use case), bounded by PAUSE_MAX_MS, and costs the writer no CPU: on the
 * benchmark store p50 0.6-0.9 ms, at most 1-5.6 ms a run, once per ~110-150 sales at the default
 * 4000 frames, so under 1 % of sales carry it. The writer waits before BEGIN, holding no lock and
 * writing nothing, and the last pass is an ordinary PASSIVE checkpoint: crash safety is unchanged.
 * Other ways to get the restart were measured and dropped: the worker taking the write lock for
 * that last pass (BEGIN IMMEDIATE on a second connection) has to catch the µs gap between two
 * transactions by spinning, which on a loaded two-core machine mostly timed out, and the writer
 * it blocks sleeps at least SQLite's 1 ms busy step.
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
  /**
   * WAL frames at which the worker, not catching up between commits, has the writer wait once so
   * the WAL restarts (default 4 × thresholdFrames).
   */
  restartFrames?: number;
  /** Path of the better-sqlite3 entry point for the worker (resolved from here by default). */
  driver?: string;
}>;

/**
 * framesCopied: WAL frames written into the database file; maxWalFrames: the most the WAL held at a
 * look; restarts: WAL restarts the worker saw; pauses: times the writer waited before a
 * transaction so the WAL could restart, longestPauseMs the longest of those waits, latePauses
 * those it cut short at PAUSE_MAX_MS.
 */
export type CheckpointerStats = Readonly<{
  passes: number;
  framesCopied: number;
  busy: number;
  maxWalFrames: number;
  restarts: number;
  pauses: number;
  longestPauseMs: number;
  latePauses: number;
}>;

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
const STOP = 0, CLOSED = 1, PASSES = 2, FRAMES = 3, BUSY = 4, MAXLOG = 5, RESTARTS = 6;
const PAUSE = 7, PAUSES = 8, PAUSE_MAX_US = 9, LATE = 10, SLOTS = 11;
// PAUSE: the worker asks (WANT), the writer waits (PARKED), the worker's last pass is done (DONE).
const NONE = 0, WANT = 1, PARKED = 2, DONE = 3;
// A check soon after a pass made no progress or the WAL was caught up, in ms; the rate window, in ms.
const SOON_MS = 1, RATE_WINDOW_MS = 20;
// Passes in a round that does not catch up come this far apart, in ms. Each one fsyncs the WAL,
// a flush of the disk's cache beside the writer's own fsyncs: on the benchmark loop the bare
// commit's p99 was 0.6-1.1 ms with passes 5 ms apart (~360 per 3000 sales) and 0.2-0.3 ms, as
// with a pass every 200 ms, 20 ms apart (~135). The flush before the writer's wait still takes
// only ~2 ms, and the WAL peaks ~700 frames above restartFrames instead of ~300.
const PASS_GAP_MS = 20;
// The most a writer waits for the worker's last pass before going on without the restart: on a
// quiet disk that pass takes ~0.5-1 ms, under a saturated one it can take as long as the
// backstop's own checkpoint, and then the WAL is better left to grow a little longer.
const PAUSE_MAX_MS = 10;
// How long the worker waits for the writer to begin a transaction before giving up the request.
const PAUSE_ASK_MS = 50;
// The WAL, before the writer is asked to wait, is left this close to caught up.
const FEW_FRAMES = 64;

// Plain CommonJS so it runs the same from tsx, a bundle or an installed app: no file to ship.
const WORKER_SOURCE = `
const { workerData: W, parentPort } = require('node:worker_threads');
const Database = require(W.driver);
const s = new Int32Array(W.shared);
const db = new Database(W.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const fs = require('node:fs');
const noop = db.prepare('PRAGMA wal_checkpoint(NOOP)');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const now = () => Number(process.hrtime.bigint()) / 1e6;
let dbfd = W.dbfd;
const finish = () => {
  try { db.close(); } finally { Atomics.store(s, ${CLOSED}, 1); Atomics.notify(s, ${CLOSED}); }
};
// log: frames in the WAL; checkpointed: how many of them are in the database file. A header read
// while the writer rewrites it comes back busy: that look is skipped.
// A round of passes runs from the threshold until the WAL has started over, not until a pass finds
// it caught up: a transaction that began before that pass finished appends without restarting.
let inRound = false;
let lastLog = 0;
let written = 0;
const look = () => {
  const r = noop.get();
  if (r.busy) return null;
  if (r.log < lastLog) { Atomics.add(s, ${RESTARTS}, 1); written += r.log; inRound = false; } else written += r.log - lastLog;
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
// The descriptor is the writer's thread's (see there); fsync on any descriptor of a file flushes
// all of it. Without one the writer's wait also covers flushing what the earlier passes copied.
const flush = () => {
  if (dbfd < 0) return;
  try { fs.fdatasyncSync(dbfd); } catch { dbfd = -1; }
};
// Returns 'blocked' when a reader holds old frames (a wait could not make the WAL restart), 'none'
// when no transaction began in time, 'late' when the writer stopped waiting first.
const pauseWriter = () => {
  let st = look();
  for (let i = 0; i < 3; i++) {
    if (st === null || st.log === st.checkpointed) return 'done';
    const r = pass(st);
    if (r.checkpointed < r.log) return 'blocked';
    flush();
    st = look();
    if (st !== null && st.log - st.checkpointed <= ${FEW_FRAMES}) break;
  }
  Atomics.store(s, ${PAUSE}, ${WANT});
  Atomics.wait(s, ${PAUSE}, ${WANT}, ${PAUSE_ASK_MS});
  if (Atomics.compareExchange(s, ${PAUSE}, ${WANT}, ${NONE}) === ${WANT}) return 'none';
  // The writer waits before BEGIN, holding no lock: nothing is appended until this pass is done,
  // so it copies the rest and fsyncs the database file, and the transaction that follows restarts.
  pass(look() ?? st);
  if (Atomics.compareExchange(s, ${PAUSE}, ${PARKED}, ${DONE}) !== ${PARKED}) return 'late';
  Atomics.notify(s, ${PAUSE});
  return 'done';
};
// Between rounds the next look comes when the WAL should reach the threshold (or restartFrames)
// at the rate it grew over the last window, at most an interval away: under back-to-back commits
// an interval of growth would be several thresholds' worth.
let timer = null;
// rate: frames per ms, -1 until a window has measured it.
let rate = -1, windowAt = 0, windowWritten = 0;
let backoff = 0;
let askAgainAt = 0;
const later = (ms) => { timer = ms < 0 ? setImmediate(run) : setTimeout(run, ms); };
const tick = () => {
  timer = null;
  if (Atomics.load(s, ${STOP}) === 1) { finish(); return; }
  const st = look();
  if (st === null) { later(${SOON_MS}); return; }
  const t = now();
  if (windowAt === 0 || t - windowAt >= ${RATE_WINDOW_MS}) {
    if (windowAt > 0) rate = (written - windowWritten) / (t - windowAt);
    windowAt = t; windowWritten = written;
  }
  const waiting = st.log - st.checkpointed;
  if (waiting > 0 && st.log >= W.restartFrames && written >= askAgainAt) {
    const res = pauseWriter();
    // The writer's wait would skew the rate: the next window starts afresh.
    windowAt = 0;
    rate = -1;
    // A reader holding old frames is often the writer's own transaction, for as long as it runs;
    // after a request that found no transaction or came too late, ask again a threshold later.
    if (res === 'blocked') {
      backoff = Math.min(W.intervalMs, backoff > 0 ? backoff * 2 : ${SOON_MS});
      later(backoff);
      return;
    }
    backoff = 0;
    if (res !== 'done') askAgainAt = written + W.threshold;
    later(${SOON_MS});
    return;
  }
  if (waiting === 0 || (!inRound && waiting < W.threshold)) {
    const toRestart = W.restartFrames - st.log;
    const left = toRestart > 0 ? Math.min(W.threshold - waiting, toRestart) : W.threshold - waiting;
    later(rate < 0 ? ${RATE_WINDOW_MS} : rate > 0 ? Math.max(${SOON_MS}, Math.min(W.intervalMs, left / rate)) : W.intervalMs);
    return;
  }
  inRound = true;
  const r = pass(st);
  // No progress: a reader holds old frames; check back ever later, up to the interval.
  if (r.checkpointed > st.checkpointed || r.log < st.log) { backoff = 0; later(${PASS_GAP_MS}); return; }
  backoff = Math.min(W.intervalMs, backoff > 0 ? backoff * 2 : ${SOON_MS});
  later(backoff);
};
const run = () => {
  try { tick(); } catch (e) { try { finish(); } finally { throw e; } }
};
later(${RATE_WINDOW_MS});
parentPort.on('message', () => { if (timer) { clearTimeout(timer); clearImmediate(timer); } finish(); });
`;

const NOT_RUNNING: Checkpointer = {
  stop() {},
  stats: () => ({ passes: 0, framesCopied: 0, busy: 0, maxWalFrames: 0, restarts: 0, pauses: 0, longestPauseMs: 0, latePauses: 0 }),
  running: false,
};

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
  const threshold = opts.thresholdFrames ?? DEFAULT_THRESHOLD_FRAMES;
  // For the worker's fsync of the database file. Opened here and closed only after the writer's
  // own close: closing a descriptor drops every POSIX lock the process holds on the file, and
  // while the writer is open those include the shared lock that keeps another process's close
  // from deleting the WAL under it. (Another connection of this process to the same file that
  // outlives the writer would lose its locks too.) Read-write because Windows flushes only
  // through a handle that may write; nothing is written through it.
  let dbfd = -1;
  try {
    dbfd = openSync(db.name, 'r+');
  } catch {
    // The writer's wait then also covers flushing what the passes copied.
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver,
      path: db.name,
      shared,
      dbfd,
      intervalMs: opts.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
      threshold,
      restartFrames: opts.restartFrames ?? 4 * threshold,
    },
  });
  // The till's process must be able to exit with the store open (tests, CLI): a pass cut short
  // is harmless (see above).
  worker.unref();
  let stopped = false;
  worker.on('error', (e) => {
    log.warn('checkpoint worker stopped; the writer auto-checkpoints again', { error: e instanceof Error ? e.message : String(e) });
    Atomics.store(s, PAUSE, NONE);
    Atomics.store(s, CLOSED, 1);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  db.pragma(`wal_autocheckpoint = ${opts.backstopPages ?? DEFAULT_BACKSTOP_PAGES}`);

  // Before the outermost transaction begins, if the worker asked: wait for its last pass. The
  // wrapped functions behave as better-sqlite3's own otherwise (arguments, this, the variants).
  // Only functions made from here on wait: one made before the checkpointer started (a cached
  // transaction function) never does, and under back-to-back commits through it the WAL again
  // restarts only at the backstop. openStore({ backgroundCheckpoints }) starts it first.
  const pause = () => {
    if (Atomics.load(s, PAUSE) !== WANT || Atomics.compareExchange(s, PAUSE, WANT, PARKED) !== WANT) return;
    const t0 = performance.now();
    Atomics.notify(s, PAUSE);
    const r = Atomics.wait(s, PAUSE, PARKED, PAUSE_MAX_MS);
    Atomics.store(s, PAUSE, NONE);
    const us = Math.round((performance.now() - t0) * 1000);
    Atomics.add(s, PAUSES, 1);
    if (r === 'timed-out') Atomics.add(s, LATE, 1);
    if (us > Atomics.load(s, PAUSE_MAX_US)) Atomics.store(s, PAUSE_MAX_US, us);
  };
  const transaction = db.transaction;
  db.transaction = function (this: Db, fn: (...args: never[]) => unknown) {
    const t = transaction.call(this, fn);
    const pausing = (f: (...args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]) {
        if (!db.inTransaction) pause();
        return f.apply(this, args);
      };
    const d = pausing(t), de = pausing(t.deferred), im = pausing(t.immediate), ex = pausing(t.exclusive);
    // Plain assignments: defineProperties, as better-sqlite3 uses, cost ~3 µs more per transaction.
    for (const v of [d, de, im, ex] as unknown as Record<string, unknown>[]) {
      v.default = d;
      v.deferred = de;
      v.immediate = im;
      v.exclusive = ex;
      v.database = db;
    }
    return d as typeof t;
  } as Db['transaction'];

  const stop = () => {
    if (stopped) return;
    stopped = true;
    db.transaction = transaction;
    Atomics.store(s, STOP, 1);
    // Wakes a worker waiting for the writer to begin a transaction.
    Atomics.notify(s, PAUSE);
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
    try {
      return close();
    } finally {
      if (dbfd >= 0) closeSync(dbfd);
      dbfd = -1;
    }
  };
  return {
    stop,
    stats: () => ({
      passes: Atomics.load(s, PASSES),
      framesCopied: Atomics.load(s, FRAMES),
      busy: Atomics.load(s, BUSY),
      maxWalFrames: Atomics.load(s, MAXLOG),
      restarts: Atomics.load(s, RESTARTS),
      pauses: Atomics.load(s, PAUSES),
      longestPauseMs: Atomics.load(s, PAUSE_MAX_US) / 1000,
      latePauses: Atomics.load(s, LATE),
    }),
    running: true,
  };
}
