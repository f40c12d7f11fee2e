/**
 * The BUILT Electron main bundle, run in plain Node against a recording stub of the `electron`
 * module (test/stubs/electron-main.mjs, swapped in by a module hook; the real package is never
 * loaded). Proves index.ts wires the tested policies: one IPC handler per channel with the
 * sender check, secure webPreferences, the app:// protocol with its guard and CSP, permission,
 * navigation and window guards, demo data under KOPILKA_DEMO.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_NAMES, CONTRACT_VERSION } from '../../core/contract';

const root = fileURLToPath(new URL('../..', import.meta.url));
let report: Record<string, any>;
let dir: string;

before(async () => {
  const { buildElectron } = await import('../../scripts/build-electron.mjs');
  await buildElectron({ renderer: false });
  dir = mkdtempSync(join(tmpdir(), 'kopilka-main-'));
  const r = spawnSync(
    process.execPath,
    ['--import', join(root, 'test/stubs/register-electron-stub.mjs'), join(root, 'test/electron/main-bundle.driver.mjs'), join(root, 'dist-electron/main/index.mjs')],
    { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, KOPILKA_DB: join(dir, 'k.db'), KOPILKA_DEMO: '1' } },
  );
  assert.equal(r.status, 0, r.stderr);
  report = JSON.parse(r.stdout.trim().split('\n').pop()!);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('one IPC handler per contract channel, and nothing else', () => {
  assert.deepEqual(report.channels, CHANNEL_NAMES.map((n) => 'pos:' + n).sort());
});

test('IPC answers our origin, refuses others, validates input; demo data is there', () => {
  assert.equal(report.info.ok, true);
  assert.equal(report.info.value.contractVersion, CONTRACT_VERSION);
  assert.equal(report.info.value.demo, true);
  assert.deepEqual(report.refused, { ok: false, error: { code: 'FORBIDDEN', message: 'This window is not allowed to talk to the till' } });
  assert.equal(report.badInput.error.code, 'VALIDATION');
  assert.equal(report.annaName, 'Анна Иванова');
});

test('window: secure webPreferences, preload bundle, loads app://pos', () => {
  const p = report.webPreferences;
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.webSecurity, true);
  assert.match(p.preload, /dist-electron[\\/]preload[\\/]index\.cjs$/);
  assert.equal(report.url, 'app://pos/index.html');
  assert.equal(report.scheme, 'app');
  assert.equal(report.privileged[0].privileges.secure, true);
});

test('app:// serves the renderer with the CSP and refuses traversal or other hosts', () => {
  assert.equal(report.protoIndex.status, 200);
  assert.match(report.protoIndex.csp, /script-src 'self'/);
  assert.equal(report.protoTraversal.status, 404);
  assert.equal(report.protoOtherHost.status, 404);
  assert.match(report.cspHeader[0], /default-src 'none'/);
});

test('permissions, navigation, new windows and webviews are guarded', () => {
  assert.deepEqual(report.permissions, { camera: true, micro: false, foreignCamera: false, geo: false, checkMedia: true, checkForeign: false });
  assert.equal(report.navEvil.prevented, true);
  assert.equal(report.navOwn.prevented, false);
  assert.deepEqual(report.navEvil.open, { action: 'deny' });
  assert.equal(report.navEvil.webviewGuard, true);
});

test('bundles: main is one ESM file, the sandboxed preload one CJS file that requires only electron', () => {
  const preload = readFileSync(join(root, 'dist-electron/preload/index.cjs'), 'utf8');
  const requires = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(requires)], ['electron']);
  assert.match(preload, /exposeInMainWorld\("pos"/);
  assert.doesNotMatch(preload, /exposeInMainWorld\("ipcRenderer"/);
  const main = readFileSync(join(root, 'dist-electron/main/index.mjs'), 'utf8');
  const imports = new Set([...main.matchAll(/^import .* from "([^"]+)";?$/gm)].map((m) => m[1]!));
  for (const i of imports) assert.ok(i.startsWith('node:') || ['electron', 'better-sqlite3', 'serialport', 'node-hid'].includes(i) || i.startsWith('@serialport/'), `unexpected external import ${i}`);
});
