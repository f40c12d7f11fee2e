/**
 * Packaging and shell checks that run without an Electron binary: the electron-builder config,
 * that nothing rebuilds natives at install time, and `npm start`'s plain message where no binary
 * exists. (The bundles are checked in main-bundle.test.ts, which builds them once.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cfg = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main?: string };

const targets = (section: { target: (string | { target: string })[] }) => section.target.map((t) => (typeof t === 'string' ? t : t.target));

test('installers: Windows NSIS, Linux AppImage + deb, macOS dmg', () => {
  assert.deepEqual(targets(cfg.win), ['nsis']);
  assert.deepEqual(targets(cfg.linux).sort(), ['AppImage', 'deb']);
  assert.deepEqual(targets(cfg.mac), ['dmg']);
  assert.equal(cfg.appId, 'app.kopilka.pos');
});

test('native modules: unpacked from the asar, rebuilt for Electron only in beforePack', () => {
  assert.equal(cfg.asar, true);
  assert.ok(cfg.asarUnpack.includes('**/*.node'));
  assert.equal(cfg.npmRebuild, false, 'electron-builder must not rebuild every native dependency');
  assert.equal(cfg.buildDependenciesFromSource, false);
  const hook = join(root, cfg.beforePack);
  assert.ok(existsSync(hook), cfg.beforePack);
  const src = readFileSync(hook, 'utf8');
  assert.match(src, /onlyModules: \['better-sqlite3'\]/);
  for (const [name, script] of Object.entries(pkg.scripts)) {
    if (/^(pre|post)?install$|^prepare$/.test(name)) assert.doesNotMatch(script, /rebuild|install-app-deps|electron-builder/, `${name} must not rebuild natives`);
  }
});

test('packaged files: built app only, no tests, sources or maps', () => {
  assert.equal(cfg.extraMetadata.main, 'dist-electron/main/index.mjs');
  for (const f of ['dist/renderer/**', 'dist-electron/**', 'resources/demo/**']) assert.ok(cfg.files.includes(f), f);
  for (const f of ['!**/*.test.*', '!**/test/**', '!**/*.ts', '!**/*.map']) assert.ok(cfg.files.includes(f), f);
});

test('npm start without an Electron binary says so and names npm run start:web', { skip: existsSync(join(root, 'node_modules/electron/dist')) ? 'Electron binary present' : false }, () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts/start.mjs')], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Electron binary is not installed/);
  assert.match(r.stderr, /npm run start:web/);
});
