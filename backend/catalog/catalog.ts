import { CatalogFileSchema, ProductInputSchema, type Product } from '../../core/catalog/product';
import { fail } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

type ProductRow = {
  id: string; sku: string; name: string; category: string; price: number;
  earns_points: number; payable_with_points: number; active: number;
};

function toProduct(db: Db, r: ProductRow): Product {
  const barcodes = stmt(db, 'SELECT code FROM product_barcode WHERE product_id = ? ORDER BY code').pluck().all(r.id) as string[];
  return {
    id: r.id, sku: r.sku, name: r.name, category: r.category, price: r.price, barcodes,
    earnsPoints: r.earns_points === 1, payableWithPoints: r.payable_with_points === 1, active: r.active === 1,
  };
}

/**
 * Create or update a product by SKU (barcodes replace the old set). Prices are validated as
 * integer minor units; a barcode already on another product is refused rather than moved.
 */
export function upsertProduct(db: Db, input: unknown, at = new Date().toISOString()): Product {
  const parsed = ProductInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    fail('VALIDATION', `Product ${i?.path.join('.') || ''}: ${i?.message ?? 'invalid'}`.trim());
  }
  const p = parsed.data;
  return db.transaction(() => {
    const existing = stmt(db, 'SELECT id FROM product WHERE sku = ?').get(p.sku) as { id: string } | undefined;
    const id = existing?.id ?? uuidv7();
    for (const code of p.barcodes) {
      const owner = stmt(db, 'SELECT p.sku FROM product_barcode b JOIN product p ON p.id = b.product_id WHERE b.code = ? AND b.product_id <> ?').pluck().get(code, id) as string | undefined;
      if (owner) fail('CONFLICT', `Barcode ${code} already belongs to ${owner}`);
      if (stmt(db, 'SELECT 1 FROM product WHERE sku = ? AND id <> ?').get(code, id)) fail('CONFLICT', `Barcode ${code} equals another product's SKU`);
    }
    if (existing) {
      stmt(db, 'UPDATE product SET name=?, category=?, price=?, earns_points=?, payable_with_points=?, active=?, updated_at=? WHERE id=?').run(
        p.name, p.category, p.price, p.earnsPoints ? 1 : 0, p.payableWithPoints ? 1 : 0, p.active ? 1 : 0, at, id,
      );
      stmt(db, 'DELETE FROM product_barcode WHERE product_id = ?').run(id);
    } else {
      stmt(db, 'INSERT INTO product (id, sku, name, category, price, earns_points, payable_with_points, active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)').run(
        id, p.sku, p.name, p.category, p.price, p.earnsPoints ? 1 : 0, p.payableWithPoints ? 1 : 0, p.active ? 1 : 0, at, at,
      );
    }
    const ins = stmt(db, 'INSERT INTO product_barcode (code, product_id) VALUES (?, ?)');
    for (const code of new Set(p.barcodes)) ins.run(code, id);
    return getProduct(db, id);
  })();
}

export function importCatalog(db: Db, file: unknown): number {
  const parsed = CatalogFileSchema.safeParse(file);
  if (!parsed.success) fail('VALIDATION', `Catalog file: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return db.transaction(() => {
    for (const p of parsed.data.products) upsertProduct(db, p);
    return parsed.data.products.length;
  })();
}

export function getProduct(db: Db, id: string): Product {
  const r = stmt(db, 'SELECT * FROM product WHERE id = ?').get(id) as ProductRow | undefined;
  if (!r) fail('NOT_FOUND', `No product with id ${id}`);
  return toProduct(db, r);
}

function activeRowByCode(db: Db, code: string): ProductRow {
  const c = String(code ?? '').trim();
  if (!c) fail('VALIDATION', 'Scan a barcode or type a SKU');
  const r = (stmt(db, 'SELECT * FROM product WHERE sku = ?').get(c) ??
    stmt(db, 'SELECT p.* FROM product_barcode b JOIN product p ON p.id = b.product_id WHERE b.code = ?').get(c)) as ProductRow | undefined;
  if (!r) fail('NOT_FOUND', `Unknown item "${c.slice(0, 64)}": no product has this SKU or barcode`);
  if (r.active !== 1) fail('NOT_FOUND', `"${r.name}" is no longer sold (inactive in the catalog)`);
  return r;
}

/** Find an active product by SKU or by any of its barcodes (what a scanner or a cashier types). */
export function findProductByCode(db: Db, code: string): Product {
  return toProduct(db, activeRowByCode(db, code));
}

/** A product as a sale line needs it: the same lookup and refusals, without its barcode list (one statement less per line of a commit). */
export type SaleItem = Omit<Product, 'barcodes'>;
export function findSaleItem(db: Db, code: string): SaleItem {
  const r = activeRowByCode(db, code);
  return { id: r.id, sku: r.sku, name: r.name, category: r.category, price: r.price, earnsPoints: r.earns_points === 1, payableWithPoints: r.payable_with_points === 1, active: true };
}

export function listProducts(db: Db, opts: { includeInactive?: boolean } = {}): Product[] {
  const rows = stmt(db, `SELECT * FROM product ${opts.includeInactive ? '' : 'WHERE active = 1'} ORDER BY category, name`).all() as ProductRow[];
  return rows.map((r) => toProduct(db, r));
}
