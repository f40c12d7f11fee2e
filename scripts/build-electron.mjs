#!/usr/bin/env node
// Builds what the Electron app runs: the renderer (vite → dist/renderer), the main process
// (one ESM bundle → dist-electron/main/index.mjs, native modules left external) and the
// sandboxed preload (ONE CommonJS file → dist-electron/preload/index.cjs: a sandboxed preload
// cannot require local files). Needs no Electron binary.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
// Native addons (and what loads them) stay in node_modules, unpacked from the asar.
export const NATIVE_EXTERNALS = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'pg-native'];

export async function buildElectron({ renderer = true } = {}) {
  if (renderer) {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  await build({
    entryPoints: [join(root, 'electron/main/index.ts')],
    outfile: join(root, 'dist-electron/main/index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: NATIVE_EXTERNALS,
    // Bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __kopilkaCreateRequire } from 'node:module'; const require = __kopilkaCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(root, 'electron/preload/index.ts')],
    outfile: join(root, 'dist-electron/preload/index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
    minify: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildElectron({ renderer: !process.argv.includes('--no-renderer') }).then(
    () => process.stderr.write('built dist/renderer, dist-electron/main/index.mjs, dist-electron/preload/index.cjs\n'),
    (e) => {
      process.stderr.write(String(e?.stack ?? e) + '\n');
      process.exit(1);
    },
  );
}
