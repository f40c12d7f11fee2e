import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { openStore } from '../../backend/db/connection';
import { openUnattendedShift } from '../../backend/shifts/shift';
import { seedMember, seedTestCatalog, useProgram } from '../../backend/testing/fixtures';
import type { StoreCheck, StoreCheckRequest } from './check-store';

/**
 * Crash test (issue 2 §11): a child process commits sales through the real checkout and is
 * SIGKILLed at a random moment, 200 times. After every kill: every sale the child reported as
 * committed is present, no sale is half-written (lines, payments, ledger events, outbox all
 * there and consistent), and the ledger verifies (gap-free seqs, hash chain, balance == Σ delta).
 *
 * The child is bundled once with esbuild so each restart costs ~0.1 s instead of a tsx start-up;
 * it still runs the same TypeScript sources.
 */
const KILLS = Number(process.env.KOPILKA_CRASH_KILLS ?? 200);
const LANES = 2; // two stores killed in parallel: same number of kills, half the wall time
let dir: string;
let childJs: string;
let checkJs: string;
const lanes: { dbPath: string; cards: string[]; backgroundCheckpoints: boolean }[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kopilka-crash-'));
  childJs = join(dir, 'sale-loop.mjs');
  checkJs = join(dir, 'check-store.mjs');
  await build({
    entryPoints: {
      'sale-loop': fileURLToPath(new URL('./sale-loop.ts', import.meta.url)),
      'check-store': fileURLToPath(new URL('./check-store.ts', import.meta.url)),
    },
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    minify: true, // less to parse on each of the 200 start-ups
    // The native module stays outside the bundle, imported by absolute path (the bundle lives in a temp dir).
    plugins: [
      {
        name: 'native-external',
        setup(b) {
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: createRequire(import.meta.url).resolve('better-sqlite3'), external: true }));
        },
      },
    ],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  for (let l = 0; l < LANES; l++) {
    const dbPath = join(dir, `crash-${l}.db`);
    const db = await openStore(dbPath);
    openUnattendedShift(db, 'test'); // sales need an open cash shift (shifts area)
    seedTestCatalog(db);
    useProgram(db, { name: 'crash', earn: { base: { mode: 'percent', bps: 500 } }, redeem: { pointValue: 100, maxShareBps: 5000 } });
    lanes.push({ dbPath, cards: [seedMember(db, 5000).card, seedMember(db, 0).card, seedMember(db, 300).card], backgroundCheckpoints: l % 2 === 1 });
    db.close();
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Run = { committed: string[]; refunded: number; sawReady: boolean; stderr: string };

function runAndKill(lane: (typeof lanes)[number], seed: number, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Odd lanes checkpoint in a worker thread like the till (backend/db/checkpointer.ts).
    const env = lane.backgroundCheckpoints ? { ...process.env, KOPILKA_CRASH_CHECKPOINT_DRIVER: createRequire(import.meta.url).resolve('better-sqlite3') } : process.env;
    const child = spawn(process.execPath, [childJs, lane.dbPath, String(seed), ...lane.cards], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, env });
    const run: Run = { committed: [], refunded: 0, sawReady: false, stderr: '' };
    let buf = '';
    let timer: NodeJS.Timeout | null = null;
    const arm = () => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY') {
          run.sawReady = true;
          arm();
        } else if (line.startsWith('C ')) run.committed.push(line.slice(2));
        else if (line.startsWith('R ')) run.refunded++;
      }
    });
    child.stderr.on('data', (c) => (run.stderr += String(c)));
    // Some kills land during start-up or while the store is being opened and recovered.
    if (delayMs % 7 === 0) arm();
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (code ${code}): ${run.stderr}`));
      else resolve(run);
    });
  });
}

/** checkStore (check-store.ts) in a worker thread, so this thread keeps killing the other lane's child on time. */
function checkStore(dbPath: string, reported: ReadonlySet<string>): Promise<StoreCheck> {
  return new Promise((resolve, reject) => {
    const request: StoreCheckRequest = { kind: 'crash-check', dbPath, reported: [...reported] };
    const w = new Worker(checkJs, { workerData: request });
    w.once('message', (m: StoreCheck) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`store check stopped with exit code ${code}`))));
  });
}

test(`a child committing sales is SIGKILLed ${KILLS} times; nothing reported is lost, nothing is half-written, the ledger verifies`, { timeout: 480_000 }, async () => {
  // Deterministic "random" delays (0–120 ms after READY, some during start-up) so a failure can be replayed.
  let x = 0x9e3779b9;
  const next = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), x);
  const perLane = Math.ceil(KILLS / LANES);
  const delays = Array.from({ length: LANES }, () => Array.from({ length: perLane }, () => next() % 121));
  const stats = await Promise.all(
    lanes.map(async (lane, l) => {
      const reported = new Set<string>();
      let refunds = 0;
      let beforeReady = 0;
      for (let i = 0; i < perLane; i++) {
        const run = await runAndKill(lane, l * 100_000 + i + 1, delays[l]![i]!);
        run.committed.forEach((id) => reported.add(id));
        refunds += run.refunded;
        if (!run.sawReady) beforeReady++;
        await checkStore(lane.dbPath, reported);
      }
      const final = await checkStore(lane.dbPath, reported);
      assert.ok(final.sales >= reported.size);
      return { reported: reported.size, stored: final.sales, events: final.events, refunds, beforeReady };
    }),
  );
  const sum = (k: keyof (typeof stats)[number]) => stats.reduce((a, s) => a + s[k], 0);
  assert.ok(sum('reported') >= KILLS / 4, `the children made progress (${sum('reported')} sales reported over ${KILLS} kills)`);
  // Useful when reading CI logs; not an assertion on timing.
  console.log(`crash: ${perLane * LANES} kills, ${sum('reported')} sales reported, ${sum('stored')} stored, ${sum('refunds')} refunds, ${sum('events')} events, ${sum('beforeReady')} kills before ready`);
});
