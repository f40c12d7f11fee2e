export { upsertProduct, importCatalog, getProduct, findProductByCode, listProducts } from './catalog';
