export { ProductInputSchema, CatalogFileSchema, parseItemRef } from './product';
export type { Product, ProductInput, CatalogFile } from './product';
