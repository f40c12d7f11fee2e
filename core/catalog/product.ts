import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from '../money/money';

/**
 * A product as the catalog imports it. Prices are minor units. The loyalty flags say whether the
 * line earns points and whether points may pay for it (tobacco, alcohol and gift certificates
 * usually do neither).
 */
export const ProductInputSchema = z
  .object({
    sku: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'SKU: letters, digits, dot, dash or underscore'),
    name: z.string().trim().min(1).max(200),
    category: z.string().trim().max(80).default(''),
    price: z.number().int().min(0).max(MAX_AMOUNT_MINOR),
    barcodes: z.array(z.string().trim().regex(/^[0-9A-Za-z-]{4,48}$/, 'barcode: 4–48 letters or digits')).default([]),
    earnsPoints: z.boolean().default(true),
    payableWithPoints: z.boolean().default(true),
    active: z.boolean().default(true),
  })
  .strict();

export type ProductInput = z.input<typeof ProductInputSchema>;

export type Product = Readonly<{
  id: string;
  sku: string;
  name: string;
  category: string;
  price: number;
  barcodes: readonly string[];
  earnsPoints: boolean;
  payableWithPoints: boolean;
  active: boolean;
}>;

export const CatalogFileSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/).default('RUB'),
  products: z.array(ProductInputSchema).min(1),
});
export type CatalogFile = z.output<typeof CatalogFileSchema>;

/** A scanned or typed item reference with an optional quantity: `LATTE`, `4601234567893:2`. */
export function parseItemRef(text: string): { code: string; qty: number } {
  const m = /^([^:\s]+)(?::(.*))?$/.exec(String(text ?? '').trim());
  if (!m) return { code: '', qty: NaN };
  const qty = m[2] === undefined ? 1 : /^-?\d+$/.test(m[2]) ? Number(m[2]) : NaN;
  return { code: m[1]!, qty };
}
