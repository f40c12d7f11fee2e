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
