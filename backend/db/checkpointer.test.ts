import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
