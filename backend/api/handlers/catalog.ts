import type { Handlers, Product } from '../../../core/contract';
import type { Product as StoredProduct } from '../../../core/catalog/product';
import { KopilkaError } from '../../../core/util/errors';
import { findProductByCode, listProducts } from '../../catalog/catalog';
import type { ApiDeps } from '../deps';

export function toProductView(p: StoredProduct): Product {
  return { id: p.id, sku: p.sku, name: p.name, category: p.category, price: p.price, barcodes: [...p.barcodes], earnsPoints: p.earnsPoints, payableWithPoints: p.payableWithPoints };
}

export function catalogHandlers(deps: ApiDeps): Pick<Handlers, 'catalog.list' | 'catalog.byBarcode'> {
  return {
    'catalog.list': () => {
      const products = listProducts(deps.db).map(toProductView);
      return { categories: [...new Set(products.map((p) => p.category))], products };
    },
    'catalog.byBarcode': ({ code }) => {
      try {
        return toProductView(findProductByCode(deps.db, code));
      } catch (e) {
        if (e instanceof KopilkaError && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
  };
}
