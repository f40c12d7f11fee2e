import { z } from 'zod';
import { channel } from '../define';
import { Id, IsoDateTime, Minor, NonNegMinor, Points } from '../common';
import { ReceiptSchema } from '../receipt';

export const CartLineInput = z.object({
  productId: Id,
  qty: z.number().int('Quantity must be a whole number').min(1, 'Quantity must be at least 1').max(999, 'Quantity is at most 999'),
});

export const RedeemSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('max') }),
  z.object({ mode: z.literal('points'), points: z.number().int('Points must be a whole number').min(0, 'Points cannot be negative') }),
]);

export const QuoteRequest = z.object({
  lines: z.array(CartLineInput).min(1, 'The cart is empty: add at least one item').max(200),
  memberId: Id.nullable().default(null),
  redeem: RedeemSchema.default({ mode: 'none' }),
});

/** Mirrors core/loyalty/quote.ts `Quote` plus the names the cart shows. */
export const QuoteSchema = z.object({
  programVersion: z.number().int().nullable(),
  currency: z.string(),
  lines: z.array(
    z.object({ lineNo: z.number().int(), productId: Id, name: z.string(), qty: z.number().int(), unitPrice: NonNegMinor, amount: Minor, discount: Minor, pointsPaid: Minor, earned: Points }),
  ),
  subtotal: Minor,
  discount: Minor,
  total: Minor,
  redeemPoints: Points,
  redeemValue: Minor,
  toPay: Minor,
  maxRedeemPoints: Points,
  earnPoints: Points,
  effects: z.array(
    z.object({ ruleId: z.string(), kind: z.enum(['earn', 'redeem', 'discount', 'info', 'bonus']), label: z.string(), points: Points, amount: Minor, lineNos: z.array(z.number().int()) }),
  ),
  /** One-off bonuses (birthday, welcome, campaign) on top of earnPoints. */
  bonusPoints: Points.default(0),
  /** Tier after this sale and what is left to the next one (spend in minor units). */
  tier: z.object({ name: z.string(), next: z.object({ name: z.string(), remaining: Minor }).nullable() }).nullable().default(null),
  stamps: z.array(z.object({ name: z.string(), count: z.number().int(), goal: z.number().int(), added: z.number().int() })).default([]),
  /** When the points of this sale become spendable / lapse. */
  lot: z.object({ availableAt: IsoDateTime, expiresAt: IsoDateTime.nullable() }).nullable().default(null),
});
export type QuoteView = z.output<typeof QuoteSchema>;

export const PaymentInput = z.object({
  method: z.enum(['cash', 'card']),
  amount: NonNegMinor,
});

export const SaleSummarySchema = z.object({
  id: Id,
  number: z.string(),
  at: IsoDateTime,
  total: Minor,
  toPay: Minor,
  memberName: z.string().nullable(),
  status: z.enum(['completed', 'refunded', 'partially_refunded']),
});

export const salesChannels = {
  'sale.quote': channel(QuoteRequest, QuoteSchema, 'Price the cart for a member: totals, redemption cap, points earned and why.'),
  'sale.commit': channel(
    QuoteRequest.extend({
      payments: z.array(PaymentInput).min(1, 'Choose how the customer pays').max(4),
      /** Cash handed over; must cover the cash part. Change = tendered − cash part. */
      cashTendered: NonNegMinor.nullable().default(null),
      /** Retrying the same commit (double click, lost answer) returns the first sale. */
      idempotencyKey: z.string().uuid(),
    }),
    z.object({
      saleId: Id,
      number: z.string(),
      change: NonNegMinor,
      earned: Points,
      redeemed: Points,
      balanceAfter: Points.nullable(),
      receipt: ReceiptSchema,
    }),
    'Commit the sale: records payments, the ledger events and the receipt in one transaction.',
  ),
  'sale.recent': channel(
    z.object({ limit: z.number().int().min(1).max(200).default(20) }),
    z.array(SaleSummarySchema),
    'Latest sales on this terminal, newest first (for reprint and refund).',
  ),
  'sale.get': channel(
    z.object({ id: z.string().trim().min(1, 'Enter the receipt number').max(64) }),
    SaleSummarySchema.extend({
      lines: z.array(z.object({ lineNo: z.number().int(), name: z.string(), qty: z.number().int(), refundableQty: z.number().int(), amount: Minor })),
      receipt: ReceiptSchema,
    }),
    'One sale by id or receipt number, with what can still be refunded.',
  ),
  'sale.refund': channel(
    z.object({
      saleId: Id,
      /** Omit for a full refund of everything still refundable. */
      lines: z.array(z.object({ lineNo: z.number().int(), qty: z.number().int().min(1) })).min(1).nullable().default(null),
      managerPin: z.string().regex(/^\d{4,8}$/, 'The manager PIN is 4 to 8 digits'),
      reason: z.string().trim().min(1, 'Say why the sale is refunded').max(200),
      idempotencyKey: z.string().uuid(),
    }),
    z.object({ refundId: Id, amount: Minor, pointsReversed: Points, pointsReturned: Points, balanceAfter: Points.nullable(), receipt: ReceiptSchema }),
    'Refund a sale (or some lines) with a manager PIN; points earned are clawed back, points spent are returned.',
  ),
} as const;
