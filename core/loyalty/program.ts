import { z } from 'zod';

/**
 * A loyalty program is versioned data, never code. The terminal evaluates whatever version is
 * active, records that version on every sale, and keeps every version ever set.
 * Rates are integers: basis points (1% = 100 bps), points per N minor units, minor units per point.
 */
const int = z.number().int();
const nonNeg = int.min(0);

export const RoundingSchema = z.enum(['down', 'half_up', 'up']);

export const EarnBaseSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('percent'), bps: nonNeg.max(10_000).describe('cashback, 500 = 5%') }),
  z.object({
    mode: z.literal('per_amount'),
    points: nonNeg.describe('points given for every `per` minor units'),
    per: int.min(1).describe('minor units, 100000 = 1 000 ₽'),
  }),
]);

export const ProgramSchema = z
  .object({
    schema: z.literal(1).default(1),
    name: z.string().min(1).max(120),
    currency: z.string().regex(/^[A-Z]{3}$/).default('RUB'),
    timezone: z.string().min(1).default('Europe/Moscow'),
    earn: z.object({
      base: EarnBaseSchema,
      rounding: RoundingSchema.default('down'),
      /** Whether the part of a line paid with points earns too. Off by default, as most programs do. */
      earnOnPointsPaid: z.boolean().default(false),
      minCheck: nonNeg.default(0).describe('minimum check total (minor units) to earn anything'),
    }),
    redeem: z.object({
      enabled: z.boolean().default(true),
      pointValue: int.min(1).default(100).describe('minor units one point is worth: 100 = 1 ₽'),
      maxShareBps: nonNeg.max(10_000).default(5_000).describe('cap as a share of the payable check'),
      minBalance: nonNeg.default(0).describe('a member needs at least this many points to redeem'),
    }),
  })
  .strict();

export type ProgramInput = z.input<typeof ProgramSchema>;
export type Program = Readonly<z.output<typeof ProgramSchema>>;

export function parseProgram(json: unknown): Program {
  return ProgramSchema.parse(json);
}

/** The program a fresh terminal starts with: 5% back, up to half the check payable with points. */
export const DEFAULT_PROGRAM: Program = parseProgram({
  name: 'Kopilka standard',
  earn: { base: { mode: 'percent', bps: 500 } },
  redeem: { pointValue: 100, maxShareBps: 5_000 },
});
