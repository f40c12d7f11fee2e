#!/usr/bin/env node
// `npm start`: the Electron app with demo data. Where the Electron binary is not installed
// (offline machines, ELECTRON_SKIP_BINARY_DOWNLOAD=1) it says so and points at browser mode.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const exe = electronBinary();
if (!exe) {
  process.stderr.write(
    [
      'Kopilka: the Electron binary is not installed on this machine (node_modules/electron has no dist/),',
      'so the desktop app cannot start here. Run the same app in your browser instead:',
      '',
      '    npm run start:web',
      '',
      'It prints a http://127.0.0.1:… address to open. To get the desktop app, install with internet access',
      '(without ELECTRON_SKIP_BINARY_DOWNLOAD) or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
const { buildElectron } = await import('./build-electron.mjs');
await buildElectron();
const env = { ...process.env, KOPILKA_DEMO: process.env.KOPILKA_DEMO ?? '1' };
const child = spawn(exe, [join(root, 'dist-electron', 'main', 'index.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
child.on('exit', (code) => process.exit(code ?? 0));
