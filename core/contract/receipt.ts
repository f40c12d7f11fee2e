import { z } from 'zod';
import type { SaleReceiptModel } from '../receipt/model';
import { Minor, Points } from './common';

/** Zod mirror of core/receipt/model.ts `SaleReceiptModel` (the type stays the source of truth). */
const ShopHeader = z.object({
  name: z.string(),
  address: z.array(z.string()),
  taxId: z.string().optional(),
  lines: z.array(z.string()).optional(),
  logo: z.object({ width: z.number().int(), height: z.number().int(), base64: z.string() }).optional(),
});

export const ReceiptSchema = z.object({
  kind: z.enum(['sale', 'refund']),
  shop: ShopHeader,
  number: z.string(),
  time: z.string(),
  cashier: z.string(),
  terminal: z.string().optional(),
  lines: z.array(
    z.object({
      name: z.string(),
      qtyMilli: z.number().int(),
      unit: z.string().optional(),
      unitPrice: Minor,
      amount: Minor,
      discount: Minor,
      pointsPaid: Points,
      note: z.string().optional(),
    }),
  ),
  totals: z.object({ subtotal: Minor, discount: Minor, total: Minor, paidByPoints: Minor, toPay: Minor }),
  payments: z.array(
    z.object({
      type: z.enum(['cash', 'card', 'points', 'gift']),
      amount: Minor,
      tendered: Minor.optional(),
      change: Minor.optional(),
      reference: z.string().optional(),
    }),
  ),
  loyalty: z
    .object({
      memberName: z.string(),
      maskedPhone: z.string(),
      earned: z.array(z.object({ label: z.string(), points: Points })),
      earnedTotal: Points,
      redeemed: Points,
      balanceAfter: Points,
      pending: Points.optional(),
      expiring: z.object({ points: Points, date: z.string() }).optional(),
      tier: z.object({ name: z.string(), progress: z.string().optional() }).optional(),
      stamps: z.array(z.object({ label: z.string(), have: z.number().int(), need: z.number().int() })).optional(),
    })
    .optional(),
  qr: z.string().optional(),
  footer: z.array(z.string()),
  currency: z.string(),
  copy: z.boolean().optional(),
});

// Compile-time check that the mirror and the model type agree in both directions.
type Parsed = z.output<typeof ReceiptSchema>;
const _modelFitsSchema = (m: SaleReceiptModel): z.input<typeof ReceiptSchema> => ({ ...m, shop: { ...m.shop, address: [...m.shop.address], lines: m.shop.lines ? [...m.shop.lines] : undefined }, lines: [...m.lines], payments: [...m.payments], footer: [...m.footer], loyalty: m.loyalty ? { ...m.loyalty, earned: [...m.loyalty.earned], stamps: m.loyalty.stamps ? [...m.loyalty.stamps] : undefined } : undefined });
const _schemaFitsModel = (p: Parsed): SaleReceiptModel => p;
void _modelFitsSchema;
void _schemaFitsModel;
