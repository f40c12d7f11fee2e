#!/usr/bin/env node
// `npm run dist [-- --linux|--win|--mac]`: build and package installers with electron-builder.
// Needs internet (Electron zip + headers for the better-sqlite3 rebuild in beforePack). Afterwards
// better-sqlite3 is rebuilt back for Node so tests and the CLI keep working on this machine.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildElectron();
const args = process.argv.slice(2);
const eb = spawnSync(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.yml', ...args], { cwd: root, stdio: 'inherit' });
const back = spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (back.status !== 0) process.stderr.write('dist: could not rebuild better-sqlite3 for Node; run `npm rebuild better-sqlite3`\n');
process.exit(eb.status ?? 1);
