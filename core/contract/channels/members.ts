import { z } from 'zod';
import { channel } from '../define';
import { Id, IsoDate, IsoDateTime, Points, Session } from '../common';

/** What the member panel shows. Phones never leave the backend unmasked except to a manager edit form. */
export const MemberViewSchema = z.object({
  id: Id,
  name: z.string(),
  phoneMasked: z.string(),
  cardCode: z.string().nullable(),
  balance: Points,
  /** Earned but still on hold (not yet spendable). */
  pending: Points,
  expiring: z.object({ points: Points, at: IsoDateTime }).nullable(),
  tier: z
    .object({
      name: z.string(),
      nextName: z.string().nullable(),
      /** Progress towards the next tier in the program's unit (minor units of spend). */
      progress: z.number().int(),
      target: z.number().int().nullable(),
    })
    .nullable(),
  stamps: z.array(z.object({ label: z.string(), have: z.number().int(), need: z.number().int() })),
  consent: z.boolean(),
  birthday: IsoDate.nullable(),
});
export type MemberView = z.output<typeof MemberViewSchema>;

export const CandidateSchema = z.object({ id: Id, name: z.string(), phoneMasked: z.string() });

const Phone = z.string().trim().min(5, 'Enter the phone number').max(32);
const Name = z.string().trim().min(1, 'Enter the name').max(120);

export const memberChannels = {
  'member.identify': channel(
    z.object({ code: z.string().trim().min(1, 'Scan a card or enter a code').max(512) }),
    MemberViewSchema.nullable(),
    'The member a scanned card / QR / typed card code belongs to, or null.',
  ),
  'member.findByPhone': channel(
    z.object({ phone: Phone }),
    MemberViewSchema.nullable(),
    'Exact lookup by full phone number (any format the cashier types; normalised to E.164).',
  ),
  'member.findByLast4': channel(
    z.object({ last4: z.string().regex(/^\d{4}$/, 'Enter exactly 4 digits') }),
    z.array(CandidateSchema),
    'Members whose phone ends in these 4 digits, masked, for the cashier to pick from.',
  ),
  'member.get': channel(z.object({ id: Id }), MemberViewSchema, 'The member panel for one member.'),
  'member.enrol': channel(
    z.object({
      phone: Phone,
      name: Name,
      birthday: IsoDate.nullable().default(null),
      /** Consent to store personal data (152-FZ); enrolment is refused without it. */
      consent: z.boolean(),
      marketingConsent: z.boolean().default(false),
      cardCode: z.string().trim().min(1).max(64).nullable().default(null),
    }),
    MemberViewSchema,
    'Enrol a new member at the counter.',
  ),
  'member.search': channel(
    z.object({ session: Session, query: z.string().trim().max(120) }),
    z.array(CandidateSchema.extend({ balance: Points, consent: z.boolean() })),
    'Manager search by name, phone digits or card code.',
    { manager: true },
  ),
  'member.detail': channel(
    z.object({ session: Session, id: Id }),
    MemberViewSchema.extend({ phone: z.string(), marketingConsent: z.boolean() }),
    'Full member record for the manager edit form (unmasked phone).',
    { manager: true },
  ),
  'member.update': channel(
    z.object({
      session: Session,
      id: Id,
      name: Name.optional(),
      phone: Phone.optional(),
      birthday: IsoDate.nullable().optional(),
      consent: z.boolean().optional(),
      marketingConsent: z.boolean().optional(),
    }),
    MemberViewSchema,
    'Manager edit of a member (name, phone, birthday, consents).',
    { manager: true },
  ),
} as const;
