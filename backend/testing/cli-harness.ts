import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { dumpDb } from './store';

/**
 * What every CLI end-to-end test file needs: a temporary database per file, batches of commands
 * through the real `main()` in one child (cli-driver.ts, so tsx starts once per batch), the real
 * `bin/kopilka.mjs` for exit codes, the single JSON object a `--json` command prints, and a full
 * dump to prove a refusal changed nothing.
 */
export type CliRun = { code: number; stdout: string; stderr: string };

const BIN = fileURLToPath(new URL('../../bin/kopilka.mjs', import.meta.url));
const DRIVER = fileURLToPath(new URL('./cli-driver.ts', import.meta.url));

export type CliHarness = Readonly<{
  /** The database file of this test file, and its temporary folder (valid inside tests). */
  db(): string;
  dir(): string;
  /** Runs each argv (with `--db` prepended) through main() in one child process. */
  batch(...argvs: string[][]): CliRun[];
  /** Runs the real bin in a child process; the database is passed as `KOPILKA_DB`. */
  spawn(args: string[], env?: Record<string, string>): CliRun;
  /** The one JSON object on stdout. */
  json(r: CliRun): Record<string, any>;
  /** Asserts exit status 0, then the one JSON object on stdout. */
  okJson(r: CliRun): Record<string, any>;
  dump(): string;
}>;

export function useCliHarness(prefix: string, opts: { batchTimeoutMs?: number } = {}): CliHarness {
  let dir = '';
  let db = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), `kopilka-${prefix}-`));
    db = join(dir, 'k.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const json = (r: CliRun): Record<string, any> => {
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `exactly one JSON object on stdout, got:\n${r.stdout}\nstderr: ${r.stderr}`);
    return JSON.parse(lines[0]!) as Record<string, any>;
  };
  return {
    db: () => db,
    dir: () => dir,
    batch(...argvs) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', DRIVER], {
        input: JSON.stringify(argvs.map((a) => ({ argv: ['--db', db, ...a] }))),
        encoding: 'utf8',
        timeout: opts.batchTimeoutMs ?? 90_000,
      });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as CliRun[];
    },
    spawn(args, env = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KOPILKA_DB: db, ...env }, timeout: 30_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    json,
    okJson(r) {
      assert.equal(r.code, 0, r.stderr);
      return json(r);
    },
    dump() {
      const d = new Database(db, { readonly: true });
      try {
        return dumpDb(d);
      } finally {
        d.close();
      }
    },
  };
}
