import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Layering is enforced by dependency-cruiser (.dependency-cruiser.cjs); see docs/conventions.md.
const root = fileURLToPath(new URL('../..', import.meta.url));
const depcruise = join(root, 'node_modules/.bin/depcruise');
const LAYERS = ['core', 'backend', 'native', 'renderer', 'electron', 'server'];

type Violation = { from: string; to: string; rule: { name: string } };
function cruise(cwd: string, dirs: string[]): { violations: Violation[]; modules: number } {
  const r = spawnSync(depcruise, ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...dirs], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const out = JSON.parse(r.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: out.summary.violations, modules: out.summary.totalCruised };
}

test('every layer imports only what it may', { timeout: 120_000 }, () => {
  const { violations, modules } = cruise(root, LAYERS.filter((d) => spawnSync('test', ['-d', join(root, d)]).status === 0));
  assert.ok(modules > 10, `cruised only ${modules} modules: the parser is not seeing the TypeScript sources`);
  assert.deepEqual(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`), []);
});

test('the rules catch a forbidden import (the lint itself works)', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-lint-'));
  try {
    cpSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    cpSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    mkdirSync(join(dir, 'core'));
    mkdirSync(join(dir, 'backend'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'backend/store.ts'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'core/bad.ts'), "import { readFileSync } from 'node:fs';\nimport { x } from '../backend/store';\nexport const y = [readFileSync, x];\n");
    writeFileSync(join(dir, 'renderer/bad.ts'), "import { x } from '../backend/store';\nexport const z = x;\n");
    const names = cruise(dir, ['core', 'backend', 'renderer']).violations.map((v) => v.rule.name).sort();
    assert.deepEqual(names, ['core-is-pure', 'core-no-node', 'renderer-layer']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the whole project type-checks (electron adapters included, via electron.d.ts)', { timeout: 240_000 }, () => {
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: string };
    assert.fail('tsc found errors:\n' + (e.stdout ?? String(err)).split('\n').slice(0, 40).join('\n'));
  }
});
