import type { Scope } from './program';

/** The fields of a cart line a scope looks at. */
export type ScopedLine = Readonly<{ productId: string; sku: string; category: string }>;

export function scopeIsEmpty(scope: Scope): boolean {
  return scope.products.length === 0 && scope.categories.length === 0;
}

/** An empty scope matches every line; otherwise the product id, SKU or category must be listed. */
export function inScope(scope: Scope, line: ScopedLine): boolean {
  if (scopeIsEmpty(scope)) return true;
  return scope.products.includes(line.productId) || scope.products.includes(line.sku) || scope.categories.includes(line.category);
}

/** Exclusion lists: an empty scope excludes nothing. */
export function excludedBy(scope: Scope, line: ScopedLine): boolean {
  return !scopeIsEmpty(scope) && inScope(scope, line);
}

export type LineTest = (line: ScopedLine) => boolean;
const tests = new WeakMap<Scope, LineTest>();

/**
 * `inScope` as a function of the line, built once per scope object: the quote asks it for every
 * line under every rule. Scopes are parts of immutable program (or request) data, so the lists
 * are turned into Sets once and remembered for as long as the scope object lives.
 */
export function scopeTest(scope: Scope): LineTest {
  let t = tests.get(scope);
  if (t === undefined) {
    if (scopeIsEmpty(scope)) {
      t = () => true;
    } else {
      const products = new Set(scope.products);
      const categories = new Set(scope.categories);
      // Most scopes name one category, or only categories, or only products: one lookup or comparison instead of three.
      const only = scope.categories[0];
      if (products.size === 0 && categories.size === 1) t = (l) => l.category === only;
      else if (products.size === 0) t = (l) => categories.has(l.category);
      else if (categories.size === 0) t = (l) => products.has(l.productId) || products.has(l.sku);
      else t = (l) => products.has(l.productId) || products.has(l.sku) || categories.has(l.category);
    }
    tests.set(scope, t);
  }
  return t;
}

const never: LineTest = () => false;

/** `excludedBy` as a function of the line. */
export function exclusionTest(scope: Scope): LineTest {
  return scopeIsEmpty(scope) ? never : scopeTest(scope);
}
