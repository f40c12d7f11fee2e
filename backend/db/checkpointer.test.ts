import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { setLogSink } from '../../core/util/logger';
import { startBackgroundCheckpoints } from './checkpointer';
import { openStore } from './connection';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function tempDb(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-ckpt-'));
  return { path: join(dir, 'k.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the worker copies the WAL into the database while the writer keeps its auto-checkpoint only as a far backstop; close stops it and removes the WAL', async () => {
  const t = tempDb();
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const ck = startBackgroundCheckpoints(db, { intervalMs: 5, thresholdFrames: 50, backstopPages: 5000 });
    assert.equal(ck.running, true);
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 5000);
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 200; i++) ins.run('x'.repeat(500));
    await until('the worker to copy frames', () => ck.stats().framesCopied > 0);
    // Caught up: everything the writer committed is in the database file, so the WAL starts over.
    await until('the worker to catch up', () => {
      const r = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      return r[0]!.log === r[0]!.checkpointed;
    });
    const reader = new Database(t.path, { readonly: true });
    assert.equal(reader.prepare('SELECT count(*) FROM t').pluck().get(), 200);
    reader.close();
    db.close();
    assert.equal(existsSync(t.path + '-wal'), false, 'the last connection to close checkpoints and removes the WAL');
    ck.stop(); // idempotent after close
    const again = new Database(t.path, { readonly: true });
    assert.equal(again.prepare('SELECT count(*) FROM t').pluck().get(), 200);
    again.close();
  } finally {
    t.cleanup();
  }
});

test('the WAL stays bounded while the writer commits without pause', async () => {
  const t = tempDb();
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const backstop = 50;
    const ck = startBackgroundCheckpoints(db, { intervalMs: 5, thresholdFrames: 10, backstopPages: backstop });
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    const frame = (db.pragma('page_size', { simple: true }) as number) + 24;
    let maxWal = 0;
    let written = 0;
    for (let n = 1; written < 20 * backstop * frame; n++) {
      db.transaction(() => {
        for (let i = 0; i < 5; i++) ins.run('y'.repeat(2000));
      })();
      written += 5 * 2000;
      if (n % 10 === 0) {
        maxWal = Math.max(maxWal, statSync(t.path + '-wal').size);
        await sleep(0); // the till's event loop turns between sales
      }
    }
    // The WAL started over again and again instead of holding everything written. Its peak is the
    // backstop plus what the writer commits while a worker pass holds the checkpoint lock (the
    // writer's own checkpoint is then skipped until the next commit): on a loaded machine a pass
    // can take a while, hence the slack, still well under what was written.
    assert.ok(maxWal <= 8 * backstop * frame, `WAL grew to ${maxWal} bytes for ${written} bytes written`);
    db.close();
    assert.ok(ck.stats().passes > 0, 'the worker ran beside the writer');
  } finally {
    t.cleanup();
  }
});

test('below the threshold the worker leaves the WAL alone (each restart costs the next commit a header fsync)', async () => {
  const t = tempDb();
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const ck = startBackgroundCheckpoints(db, { intervalMs: 5, thresholdFrames: 1000 });
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 20; i++) ins.run('z'.repeat(100));
    await sleep(150);
    assert.equal(ck.stats().framesCopied, 0, 'nothing copied while few frames wait');
    for (let i = 0; i < 1100; i++) ins.run('z'.repeat(100));
    await until('a round of passes once the threshold is passed', () => ck.stats().framesCopied >= 1000);
    db.close();
    assert.equal(existsSync(t.path + '-wal'), false);
  } finally {
    t.cleanup();
  }
});

test('in-memory and read-only stores get no worker', async () => {
  const mem = await openStore(':memory:', { migrate: false });
  assert.equal(startBackgroundCheckpoints(mem).running, false);
  mem.close();
  const t = tempDb();
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    db.close();
    const ro = await openStore(t.path, { readonly: true });
    assert.equal(startBackgroundCheckpoints(ro).running, false);
    ro.close();
  } finally {
    t.cleanup();
  }
});

test('under back-to-back transactions the WAL starts over again and again, far below the backstop: no commit runs a checkpoint', async () => {
  const t = tempDb();
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const backstop = 5000;
    const ck = startBackgroundCheckpoints(db, { intervalMs: 5, thresholdFrames: 50, restartFrames: 200, backstopPages: backstop });
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    const sale = db.transaction((n: number) => {
      for (let i = 0; i < n; i++) ins.run('s'.repeat(1200));
    });
    const walFrames = () => (db.pragma('wal_checkpoint(NOOP)') as { log: number }[])[0]!.log;
    let restarts = 0;
    let most = 0;
    let before = walFrames();
    // No await in the loop: the writer never leaves a gap the worker could catch up in.
    for (let n = 0; n < 3000; n++) {
      sale.immediate(3);
      const now = walFrames();
      if (now < before) restarts++;
      most = Math.max(most, now);
      before = now;
    }
    const st = ck.stats();
    // Every restart came from the writer waiting once before a transaction, not from its own
    // auto-checkpoint: the WAL never came near the backstop that would run one inside a commit.
    assert.ok(restarts >= 5, `the WAL started over ${restarts} times in ${most} frames at most`);
    assert.ok(most < 1500 && most < backstop, `the WAL grew to ${most} frames`);
    assert.ok(st.pauses >= 1, 'the writer waited for the worker before a transaction');
    assert.ok(st.longestPauseMs <= 1000, `a pause lasted ${st.longestPauseMs} ms`);
    db.close();
    assert.equal(db.transaction, Database.prototype.transaction, 'stop gives the transaction method back');
    assert.equal(existsSync(t.path + '-wal'), false);
    const again = new Database(t.path, { readonly: true });
    assert.equal(again.prepare('SELECT count(*) FROM t').pluck().get(), 9000);
    again.close();
  } finally {
    t.cleanup();
  }
});

test('between sales the worker catches up on its own: the WAL starts over and the writer never waits', async () => {
  const t = tempDb();
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const ck = startBackgroundCheckpoints(db, { intervalMs: 5, thresholdFrames: 50, restartFrames: 400 });
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    const sale = db.transaction(() => {
      for (let i = 0; i < 3; i++) ins.run('q'.repeat(1200));
    });
    const wal = () => (db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[])[0]!;
    let restarts = 0;
    for (let burst = 0; burst < 5; burst++) {
      const before = wal().log;
      for (let i = 0; i < 40; i++) sale.immediate();
      if (wal().log < before + 40) restarts++;
      await until('the worker to catch up', () => {
        const w = wal();
        return w.log === w.checkpointed;
      });
    }
    assert.ok(restarts >= 3, `the WAL started over ${restarts} times`);
    assert.equal(ck.stats().pauses, 0, 'the writer never waited');
    db.close();
  } finally {
    t.cleanup();
  }
});

test('transaction functions keep their variants, arguments, nesting and rollback while the worker runs', async () => {
  const t = tempDb();
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    startBackgroundCheckpoints(db, { intervalMs: 5 });
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    const add = db.transaction((v: string) => Number(ins.run(v).lastInsertRowid));
    const both = db.transaction((a: string, b: string) => [add(a), add.immediate(b)]);
    assert.deepEqual(both.exclusive('a', 'b'), [1, 2]);
    assert.equal(add.deferred('c'), 3);
    // Each variant carries the others and the database, as better-sqlite3's own do.
    const props = (f: unknown) => f as { default: unknown; immediate: unknown; database: unknown };
    assert.equal(props(add.immediate).immediate, add.immediate);
    assert.equal(props(add.exclusive).default, add);
    assert.equal(props(both).database, db);
    const fail = db.transaction(() => {
      add('d');
      throw new Error('refused');
    });
    assert.throws(() => fail.immediate(), /refused/);
    assert.equal(db.inTransaction, false);
    assert.deepEqual(db.prepare('SELECT v FROM t ORDER BY id').pluck().all(), ['a', 'b', 'c']);
    db.close();
  } finally {
    t.cleanup();
  }
});

test('a worker that dies hands checkpoints back to the writer, whose transactions no longer wait for it', async () => {
  const t = tempDb();
  const warnings: string[] = [];
  setLogSink((level, scope, message) => void (level === 'warn' && warnings.push(`${scope}: ${message}`)));
  try {
    const db = await openStore(t.path, { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const ck = startBackgroundCheckpoints(db, { driver: join(t.path, '..', 'no-such-driver.cjs'), restartFrames: 1 });
    assert.equal(ck.running, true);
    await until('the writer to auto-checkpoint again', () => db.pragma('wal_autocheckpoint', { simple: true }) === 1000);
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 50; i++) db.transaction(() => ins.run('d'))();
    assert.equal(ck.stats().pauses, 0);
    assert.ok(warnings.some((w) => w.startsWith('checkpoint: checkpoint worker stopped')), warnings.join('\n'));
    db.close();
    assert.equal(existsSync(t.path + '-wal'), false);
  } finally {
    t.cleanup();
  }
});
