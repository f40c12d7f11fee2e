import { z } from 'zod';
import { channel } from '../define';
import { Empty, Id, NonNegMinor } from '../common';

export const ProductSchema = z.object({
  id: Id,
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  price: NonNegMinor,
  barcodes: z.array(z.string()),
  earnsPoints: z.boolean(),
  payableWithPoints: z.boolean(),
});
export type Product = z.output<typeof ProductSchema>;

export const catalogChannels = {
  'catalog.list': channel(
    Empty,
    z.object({ categories: z.array(z.string()), products: z.array(ProductSchema) }),
    'Every active product, grouped by category order, for the product grid.',
  ),
  'catalog.byBarcode': channel(
    z.object({ code: z.string().trim().min(1, 'Scan or type a barcode').max(64) }),
    ProductSchema.nullable(),
    'The product a scanned barcode belongs to, or null.',
  ),
} as const;
