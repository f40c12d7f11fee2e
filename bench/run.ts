/**
 * `npm run bench [-- area ...]`: runs every bench/<area>.ts that exports `run()`, prints one table
 * and one JSON document, and writes bench/out/results.json. Benchmarks are measurements, not tests:
 * nothing here fails the build; missed targets are marked in the table.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './types';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const areas = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'types.ts'].includes(f) && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((a) => filters.length === 0 || filters.includes(a))
  .sort();

const all: Array<BenchResult & { area: string }> = [];
for (const area of areas) {
  const mod = (await import(pathToFileURL(join(here, area + '.ts')).href)) as { run?: () => Promise<BenchResult[]> };
  if (!mod.run) continue;
  process.stderr.write(`bench: ${area}…\n`);
  const t0 = Date.now();
  try {
    for (const r of await mod.run()) all.push({ area, ...r });
  } catch (err) {
    all.push({ area, name: 'FAILED', unit: '', value: NaN, note: err instanceof Error ? err.message : String(err) });
  }
  process.stderr.write(`bench: ${area} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

const rows = all.map((r) => [r.area, r.name, String(r.value), r.unit, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'yes' : 'NO', r.note ?? '']);
const head = ['area', 'measure', 'value', 'unit', 'target', 'met', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
const doc = { at: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, results: all };
console.log('\n' + JSON.stringify(doc, null, 2));
mkdirSync(join(here, 'out'), { recursive: true });
writeFileSync(join(here, 'out', 'results.json'), JSON.stringify(doc, null, 2));
