import { z } from 'zod';
import { channel } from '../define';
import { Id, IsoDateTime, Minor, NonNegMinor, Points, Session } from '../common';

/**
 * Shifts, reports, staff, audit and privacy (issue 6): the manager screens under
 * renderer/src/features/{shifts,reports,staff,privacy}. Every channel takes the manager session;
 * the handler checks the session's role against the action (owner for staff and erasure).
 */
const Int = z.number().int();
const Count = Int.min(0);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01');
const Reason = z.string().trim().min(1, 'Say why').max(300);

export const ShiftSchema = z.object({
  id: Id,
  number: Count,
  status: z.enum(['open', 'closed']),
  openedAt: IsoDateTime,
  openedBy: z.string(),
  openingFloat: NonNegMinor,
  closedAt: IsoDateTime.nullable(),
  closedBy: z.string().nullable(),
  countedCash: NonNegMinor.nullable(),
  expectedCash: Minor.nullable(),
  overShort: Minor.nullable(),
});

const ByMethod = z.object({ cash: Minor, card: Minor, points: Minor, gift: Minor });
export const ShiftReportSchema = z.object({
  shiftId: Id,
  shiftNumber: Count,
  status: z.enum(['open', 'closed']),
  openedAt: IsoDateTime,
  openedBy: z.string().nullable(),
  closedAt: IsoDateTime.nullable(),
  closedBy: z.string().nullable(),
  at: IsoDateTime,
  currency: z.string(),
  sales: z.object({ count: Count, subtotal: Minor, discount: Minor, total: Minor, paidByPoints: Minor, toPay: Minor, byMethod: ByMethod }),
  refunds: z.object({ count: Count, amount: Minor, cash: Minor, card: Minor }),
  voids: z.object({ count: Count, amount: Minor, cash: Minor, card: Minor }),
  netTakings: Minor,
  cash: z.object({ openingFloat: Minor, sales: Minor, refunds: Minor, paidIn: Minor, paidOut: Minor, expected: Minor, counted: Minor.nullable(), overShort: Minor.nullable() }),
  loyalty: z.object({
    pointsEarned: Points,
    pointsBonus: Points,
    pointsIssued: Points,
    pointsIssuedValue: Minor,
    pointsRedeemed: Points,
    pointsRedeemedValue: Minor,
    pointsClawedBack: Points,
    pointsRestored: Points,
    pointsExpired: Points,
    adjustments: z.object({ count: Count, added: Points, removed: Points }),
    corrections: Points,
    stampsGiven: Count,
    freeItems: Count,
    newMembers: Count,
    memberSales: Count,
  }),
  perCashier: z.array(
    z.object({
      staffId: z.string().nullable(),
      name: z.string(),
      sales: Count,
      salesTotal: Minor,
      refunds: Count,
      refundsAmount: Minor,
      pointsIssued: Points,
      pointsRedeemed: Points,
      pointsRedeemedValue: Minor,
      adjustments: Count,
      newMembers: Count,
    }),
  ),
});
export type ShiftReportView = z.output<typeof ShiftReportSchema>;

export const ZReportSchema = z.object({ report: ShiftReportSchema, unsyncedEvents: Count, hash: z.string(), createdAt: IsoDateTime });

export const AnalyticsSchema = z.object({
  period: z.object({ from: Day, to: Day }),
  at: IsoDateTime,
  currency: z.string(),
  members: z.object({ total: Count, active: Count, new: Count, erased: Count }),
  repeatRateBps: Count,
  frequencyX100: Count,
  averageCheck: z.object({ members: Minor, nonMembers: Minor, memberSales: Count, nonMemberSales: Count }),
  cohorts: z.array(z.object({ cohort: z.string(), size: Count, retained: z.array(Count) })),
  liability: z.object({
    points: Points,
    value: Minor,
    pointValue: Minor,
    pending: Points,
    debt: Points,
    expiry: z.array(z.object({ month: z.string(), points: Points, value: Minor })),
    neverExpires: Points,
  }),
  tiers: z.array(z.object({ tier: z.string(), members: Count })),
  campaigns: z.array(z.object({ id: z.string(), name: z.string(), sales: Count, members: Count, revenue: Minor, points: Points, discount: Minor })),
  monthly: z.array(z.object({ month: z.string(), sales: Count, memberSales: Count, revenue: Minor, memberRevenue: Minor, pointsIssued: Points, pointsRedeemed: Points, newMembers: Count })),
});
export type AnalyticsView = z.output<typeof AnalyticsSchema>;

export const StaffSchema = z.object({ id: Id, name: z.string(), role: z.enum(['cashier', 'manager', 'owner']), active: z.boolean(), createdAt: IsoDateTime });
export const AuditEntrySchema = z.object({
  seq: Count,
  at: IsoDateTime,
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  staffRole: z.string().nullable(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const ConsentSchema = z.object({ kind: z.enum(['processing', 'marketing']), granted: z.boolean(), textVersion: z.string(), at: IsoDateTime, staffId: z.string().nullable(), source: z.string() });
export const CSV_TABLE_NAMES = ['summary', 'monthly', 'cohorts', 'liability', 'tiers', 'campaigns'] as const;

const PrintResult = z.object({ printed: z.boolean(), message: z.string() });

export const managerChannels = {
  'shift.current': channel(
    z.object({ session: Session }),
    z.object({ shift: ShiftSchema.nullable(), report: ShiftReportSchema.nullable(), unsyncedEvents: Count }),
    'The open shift (if any) with its X report so far, and how many events are not yet on the server.',
    { manager: true },
  ),
  'shift.open': channel(z.object({ session: Session, openingFloat: NonNegMinor }), ShiftSchema, 'Open a shift with the cash float.', { manager: true }),
  'shift.cash': channel(
    z.object({ session: Session, kind: z.enum(['in', 'out']), amount: NonNegMinor.min(1, 'Enter an amount above zero'), reason: Reason }),
    z.object({ id: Id, kind: z.enum(['in', 'out']), amount: NonNegMinor, reason: z.string(), at: IsoDateTime }),
    'Cash paid into or out of the drawer, with a reason.',
    { manager: true },
  ),
  'shift.close': channel(
    z.object({ session: Session, countedCash: NonNegMinor, note: z.string().trim().max(500).default(''), syncFirst: z.boolean().default(false) }),
    z.object({ shift: ShiftSchema, z: ZReportSchema, notes: z.array(z.string()) }),
    'Close the shift with the counted cash; stores the Z report. With syncFirst, sends unsynced events first (closing goes ahead if that fails).',
    { manager: true },
  ),
  'shift.list': channel(z.object({ session: Session }), z.array(ShiftSchema), 'Recent shifts, newest first.', { manager: true }),
  'report.z': channel(z.object({ session: Session, shift: Count }), ZReportSchema, 'A stored Z report by shift number.', { manager: true }),
  'report.print': channel(
    z.object({ session: Session, kind: z.enum(['x', 'z']), shift: Count.optional() }),
    PrintResult,
    'Print the X report of the open shift or a stored Z report.',
    { manager: true },
  ),
  'report.loyalty': channel(
    z.object({ session: Session, from: Day.optional(), to: Day.optional() }),
    AnalyticsSchema,
    "Loyalty analytics for a period of business dates; a date left out comes from the last twelve months up to today in the shop's time zone (the view says which period it covers).",
    { manager: true },
  ),
  'report.csv': channel(
    z.object({ session: Session, from: Day.optional(), to: Day.optional(), table: z.enum(CSV_TABLE_NAMES) }),
    z.object({ filename: z.string(), csv: z.string() }),
    'One analytics table as CSV for download.',
    { manager: true },
  ),
  'staff.list': channel(z.object({ session: Session }), z.array(StaffSchema), 'Staff members (never their PINs).', { manager: true }),
  'staff.add': channel(
    z.object({ session: Session, name: z.string().trim().min(1, 'Enter the name').max(80), role: z.enum(['cashier', 'manager', 'owner']), pin: z.string().regex(/^\d{4,8}$/, 'The PIN is 4 to 8 digits') }),
    StaffSchema,
    'Add a staff member (owner session).',
    { manager: true },
  ),
  'staff.deactivate': channel(z.object({ session: Session, id: Id, reason: Reason }), z.object({ ok: z.literal(true) }), 'Switch off a staff member’s PIN (owner session).', { manager: true }),
  'audit.list': channel(
    z.object({ session: Session, action: z.string().max(40).optional(), limit: Count.max(1000).default(200) }),
    z.object({ entries: z.array(AuditEntrySchema), chainIntact: z.boolean() }),
    'The audit log, newest first, and whether its hash chain is intact.',
    { manager: true },
  ),
  'privacy.consents': channel(z.object({ session: Session, memberId: Id }), z.array(ConsentSchema), 'A member’s consent history.', { manager: true }),
  'privacy.setConsent': channel(
    z.object({ session: Session, memberId: Id, kind: z.enum(['processing', 'marketing']), granted: z.boolean() }),
    z.array(ConsentSchema),
    'Give or withdraw a consent (versioned, timed).',
    { manager: true },
  ),
  'privacy.export': channel(z.object({ session: Session, memberId: Id }), z.object({ filename: z.string(), json: z.string() }), 'Everything stored about one member, as JSON (owner session; audited).', { manager: true }),
  'privacy.erase': channel(
    z.object({ session: Session, memberId: Id, reason: Reason }),
    z.object({ memberId: Id, erasedAt: IsoDateTime, balanceKept: Points, cardsRemoved: Count }),
    'Erase a member’s personal data; the ledger and reports stay intact (owner session; audited).',
    { manager: true },
  ),
  'points.adjust': channel(
    z.object({ session: Session, memberId: Id, delta: Points.refine((d) => d !== 0, 'The adjustment cannot be zero'), reason: Reason }),
    z.object({ balance: Points, eventId: Id }),
    'Manual point adjustment: a ledger delta with a reason (audited).',
    { manager: true },
  ),
} as const;
