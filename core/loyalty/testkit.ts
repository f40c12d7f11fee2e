import type { CartLine, MemberSnapshot } from './quote';

/** Small builders for loyalty tests and benchmarks (pure: no I/O). */
export function line(lineNo: number, name: string, category: string, unitPrice: number, qty = 1, extra: Partial<CartLine> = {}): CartLine {
  return { lineNo, productId: `p-${name}`, sku: name.toUpperCase(), name, category, qty, unitPrice, earnsPoints: true, payableWithPoints: true, ...extra };
}

export function member(extra: Partial<MemberSnapshot> = {}): MemberSnapshot {
  return { id: 'm1', balance: 0, ...extra };
}
