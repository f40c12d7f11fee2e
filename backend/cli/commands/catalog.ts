import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { formatMoney } from '../../../core/money/money';
import { fail } from '../../../core/util/errors';
import { importCatalog, listProducts } from '../../catalog/catalog';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  const catalog = program.command('catalog').description('products, prices and loyalty flags');
  catalog
    .command('import')
    .argument('<file>', 'JSON like resources/demo/menu.json')
    .action(async (file: string) => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        fail('VALIDATION', `Cannot read ${file} as JSON: ${(e as Error).message}`);
      }
      const db = await ctx.db();
      const n = importCatalog(db, json);
      ctx.out({ ok: true, imported: n }, `Imported ${n} products`);
    });
  catalog.command('list').action(async () => {
    const db = await ctx.db();
    const products = listProducts(db);
    ctx.out(
      { ok: true, products },
      products.map((p) => `${p.sku.padEnd(20)} ${formatMoney(p.price).padStart(12)}  ${p.name}${p.earnsPoints ? '' : ' [no points]'}${p.payableWithPoints ? '' : ' [not payable with points]'}`).join('\n'),
    );
  });
}
