import { z } from 'zod';
import { channel } from '../define';
import { IsoDateTime, NonNegMinor, Points, Session } from '../common';
import { QuoteSchema } from './sales';

/**
 * The loyalty program travels as JSON and is validated by the rules engine (core/loyalty) in
 * the handler, so the contract never lags behind the rules schema; its errors come back as
 * VALIDATION with the path of the offending field.
 */
const ProgramJson = z.record(z.string(), z.unknown());

export const programChannels = {
  'program.get': channel(
    z.object({}).strict(),
    z.object({ version: z.number().int().nullable(), program: ProgramJson, activatedAt: IsoDateTime.nullable() }),
    'The active loyalty program.',
  ),
  'program.save': channel(
    z.object({ session: Session, program: ProgramJson }),
    z.object({ version: z.number().int() }),
    'Validate and activate a new program version (every version is kept).',
    { manager: true },
  ),
  'program.simulate': channel(
    z.object({
      session: Session,
      program: ProgramJson,
      /** A hypothetical cart: amounts per line, whether each earns / is payable with points. */
      lines: z.array(z.object({ name: z.string().max(120), category: z.string().max(120).default(''), qty: z.number().int().min(1).max(999), unitPrice: NonNegMinor, earnsPoints: z.boolean().default(true), payableWithPoints: z.boolean().default(true) })).min(1).max(50),
      balance: Points.min(0),
      redeem: z.enum(['none', 'max']).default('none'),
    }),
    QuoteSchema.omit({ lines: true }),
    'Preview what a draft program would do to a sample check, without saving it.',
    { manager: true },
  ),
} as const;
