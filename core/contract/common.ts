import { z } from 'zod';

/** Shared schema pieces. Money is integer minor units, points are integers: never floats on the wire. */
export const Minor = z.number().int().safe();
export const NonNegMinor = Minor.min(0);
export const Points = z.number().int().safe();
export const Id = z.string().min(1).max(64);
/** A manager session token from `auth.login`; manager-only channels take it in their input. */
export const Session = z.string().min(16).max(128);
export const IsoDateTime = z.string().min(10).max(40);
/** yyyy-mm-dd */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 1990-04-23');
export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });
