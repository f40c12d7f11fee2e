#!/usr/bin/env node
// `npm test`: every suite through node's test runner (unit, property, CLI, crash, browser e2e),
// then one closing line `N passed, N failed, N skipped` that CI reads.
// Usage: npm test [-- file-or-dir-filter ...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROOTS = ['core', 'backend', 'native', 'renderer', 'electron', 'server', 'test', 'scripts'];

function walk(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (/\.test\.(ts|tsx|mjs)$/.test(name)) out.push(relative(root, p));
  }
  return out;
}

const filters = process.argv.slice(2);
let files = ROOTS.flatMap((r) => walk(join(root, r), [])).sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('No test files matched');
  process.exit(1);
}

const args = [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/test-summary-reporter.mjs', '--test-reporter-destination=stdout',
  ...files,
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, KOPILKA_TEST: '1' } });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
