#!/usr/bin/env node
// Builds what the Electron app runs: the renderer (vite → dist/renderer), the main process
// (one ESM bundle → dist-electron/main/index.mjs, native modules left external) and the
// sandboxed preload (ONE CommonJS file → dist-electron/preload/index.cjs: a sandboxed preload
// cannot require local files). Needs no Electron binary.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Native addons (and what loads them) stay in node_modules, unpacked from the asar.
export const NATIVE_EXTERNALS = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'pg-native'];

/**
 * esbuild plugin: electron/main/migrations.ts becomes static imports of every migration, since
 * the backend's runtime folder scan cannot work inside a bundle.
 */
export const staticMigrations = {
  name: 'kopilka-static-migrations',
  setup(b) {
    b.onLoad({ filter: /electron[\\/]main[\\/]migrations\.ts$/ }, () => {
      const dir = join(root, 'backend/db/migrations');
      const files = readdirSync(dir).filter((f) => /^\d{3}-[^.]+\.ts$/.test(f)).sort();
      const imports = files.map((f, i) => `import { migration as m${i} } from ${JSON.stringify(join(dir, f))};`).join('\n');
      const list = files.map((_, i) => `m${i}`).join(', ');
      return { contents: `${imports}\nexport async function bundledMigrations() { return [${list}]; }\n`, loader: 'ts', resolveDir: dir };
    });
  },
};

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
    plugins: [staticMigrations],
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
