import { IANAZone } from 'luxon';
import { z } from 'zod';
import { LOCALES } from './messages';

/**
 * A loyalty program is versioned data, never code. The terminal evaluates whatever version is
 * active, records that version on every sale, and keeps every version ever set.
 * Rates are integers: basis points (1% = 100 bps, ×2 = 20 000 bps), points per N minor units,
 * minor units per point. Everything new since the first engine is optional with a default, so
 * every program stored before keeps parsing to the same behaviour.
 */
const int = z.number().int();
const nonNeg = int.min(0);
const bps = nonNeg.max(10_000);
const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'ids are lower-case letters, digits, "_", "-", "."');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time as HH:MM');

export const RoundingSchema = z.enum(['down', 'half_up', 'up']);

/** Which lines a rule looks at: a line matches if its product id or SKU is listed, or its category is. Empty = every line. */
export const ScopeSchema = z
  .object({
    products: z.array(z.string().min(1)).default([]).describe('product ids or SKUs'),
    categories: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const EarnBaseSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('percent'), bps: bps.describe('cashback, 500 = 5%') }),
  z.object({
    mode: z.literal('per_amount'),
    points: nonNeg.describe('points given for every `per` minor units'),
    per: int.min(1).describe('minor units, 100000 = 1 000 ₽'),
    steps: z.boolean().default(false).describe('true: only whole multiples of `per` count (1 500 ₽ → 100 pts for "100 per 1 000 ₽")'),
  }),
]);

const ruleCommon = {
  id,
  label: z.string().min(1).max(80).optional().describe('reason shown to the cashier and on the receipt'),
  priority: int.default(100).describe('lower runs first and wins ties; per-sale caps cut the lowest priority last'),
  group: z.string().min(1).optional().describe('stacking group id (see `stacking.groups`); none = adds up'),
};

/** Per-product / per-category earning: a multiplier on the base points of the scoped lines, or fixed points per unit. */
export const EarnRuleSchema = z.discriminatedUnion('mode', [
  z.object({ ...ruleCommon, mode: z.literal('multiplier'), scope: ScopeSchema, bps: int.min(10_000).max(1_000_000).describe('20000 = ×2') }).strict(),
  z
    .object({
      ...ruleCommon,
      mode: z.literal('fixed'),
      scope: ScopeSchema,
      pointsPerUnit: nonNeg,
      replaceBase: z.boolean().default(false).describe('true: these lines earn only the fixed points'),
    })
    .strict(),
]);

export const TierLevelSchema = z
  .object({
    id,
    name: z.string().min(1).max(40),
    threshold: nonNeg.describe('qualifying spend in minor units from which this level applies'),
    earnBps: bps.optional().describe('replaces the base rate for members at this level (points programs)'),
    discountBps: bps.optional().describe('discount on eligible lines (accumulative discount programs)'),
    perks: z.array(z.string().max(80)).default([]),
  })
  .strict();

export const TiersSchema = z
  .object({
    kind: z.enum(['points', 'discount']).default('points').describe('discount = accumulative discount that grows with spend'),
    basis: z.enum(['rolling', 'lifetime']).default('rolling'),
    windowDays: int.min(1).max(3660).default(365).describe('rolling window for qualifying spend'),
    periodDays: int.min(1).max(3660).default(365).describe('a level is reviewed at the end of each period'),
    graceDays: nonNeg.max(3660).default(30).describe('a downgrade happens only this long after the period ends'),
    levels: z.array(TierLevelSchema).min(1),
  })
  .strict();

export const TimeWindowSchema = z.object({ from: hhmm, to: hhmm }).strict();

export const CampaignSchema = z
  .object({
    ...ruleCommon,
    name: z.string().min(1).max(80),
    from: isoDate.optional().describe('first day, inclusive, shop time zone'),
    to: isoDate.optional().describe('last day, inclusive'),
    weekdays: z.array(int.min(1).max(7)).default([]).describe('ISO weekdays 1 = Monday; empty = every day'),
    times: z.array(TimeWindowSchema).default([]).describe('time-of-day windows [from, to) in the shop time zone; empty = all day'),
    scope: ScopeSchema.default({ products: [], categories: [] }),
    effect: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('multiplier'), bps: int.min(10_000).max(1_000_000).describe('20000 = double points') }).strict(),
      z.object({ kind: z.literal('fixed'), points: nonNeg }).strict(),
    ]),
    minCheck: nonNeg.default(0),
    perMemberLimit: int.min(1).optional().describe('how many sales per member the campaign may reward'),
  })
  .strict();

export const ActionSchema = z
  .object({
    id,
    name: z.string().min(1).max(80),
    points: int.min(1),
    maxPerPeriod: int.min(1).default(1),
    periodDays: int.min(1).max(3660).default(365),
  })
  .strict();

export const BonusesSchema = z
  .object({
    birthday: z.object({ points: int.min(1), windowDays: nonNeg.max(31).default(0), label: z.string().optional() }).strict().optional(),
    welcome: z.object({ points: int.min(1), afterFirstPurchase: z.boolean().default(false) }).strict().optional(),
    referral: z.object({ newMemberPoints: nonNeg, referrerPoints: nonNeg }).strict().optional(),
    actions: z.array(ActionSchema).default([]),
  })
  .strict();

export const StampCardSchema = z
  .object({
    id,
    name: z.string().min(1).max(80),
    scope: ScopeSchema,
    goal: int.min(1).max(100).describe('stamps to collect'),
    rewardItem: z
      .enum(['next', 'last'])
      .default('next')
      .describe('next: after `goal` stamps the next item gets the reward ("10 coffees, the 11th free"); last: the goal-th item does ("every 5th lunch")'),
    reward: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('free_item') }).strict(),
      z.object({ kind: z.literal('percent_off'), bps }).strict(),
    ]),
    expiryDays: int.min(1).optional().describe('stamps lapse this many days after the last one'),
  })
  .strict();

export const RewardSchema = z
  .object({
    id,
    name: z.string().min(1).max(80),
    cost: int.min(1).describe('points'),
    reward: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('free_item'), scope: ScopeSchema }).strict(),
      z.object({ kind: z.literal('percent_off'), bps, scope: ScopeSchema.default({ products: [], categories: [] }) }).strict(),
    ]),
  })
  .strict();

export const StackingGroupSchema = z
  .object({
    id: z.string().min(1),
    mode: z.enum(['best_of', 'add_up']),
    capPoints: nonNeg.optional(),
  })
  .strict();

export const ProgramSchema = z
  .object({
    schema: z.literal(1).default(1),
    name: z.string().min(1).max(120),
    currency: z.string().regex(/^[A-Z]{3}$/).default('RUB'),
    timezone: z.string().min(1).default('Europe/Moscow'),
    // Optional (not defaulted) so stored programs and hand-built ones stay valid; absent = Russian.
    locale: z.enum(LOCALES).optional().describe('language of the default reason lines on screen and receipt: ru (default) or en; owner-written labels print as written'),
    earn: z
      .object({
        base: EarnBaseSchema,
        rounding: RoundingSchema.default('down'),
        /** Whether the part of a line paid with points earns too. Off by default, as most programs do. */
        earnOnPointsPaid: z.boolean().default(false),
        minCheck: nonNeg.default(0).describe('minimum check total (minor units) to earn anything'),
        label: z.string().min(1).max(80).optional(),
        exclude: ScopeSchema.default({ products: [], categories: [] }).describe('lines that never earn'),
        rules: z.array(EarnRuleSchema).default([]),
      })
      .strict(),
    redeem: z
      .object({
        enabled: z.boolean().default(true),
        pointValue: int.min(1).default(100).describe('minor units one point is worth: 100 = 1 ₽'),
        maxShareBps: bps.default(5_000).describe('cap as a share of the payable check'),
        minBalance: nonNeg.default(0).describe('a member needs at least this many points to redeem'),
        exclude: ScopeSchema.default({ products: [], categories: [] }).describe('lines that can never be paid with points'),
      })
      .strict(),
    tiers: TiersSchema.optional(),
    campaigns: z.array(CampaignSchema).default([]),
    bonuses: BonusesSchema.default({ actions: [] }),
    stamps: z.array(StampCardSchema).default([]),
    rewards: z.array(RewardSchema).default([]),
    stacking: z
      .object({
        groups: z.array(StackingGroupSchema).default([]),
        maxEarnPerSale: nonNeg.optional().describe('points one sale can earn from all rules together'),
        maxDiscountShareBps: bps.default(10_000).describe('discounts (tier, stamps, rewards, promo codes) as a share of the subtotal'),
      })
      .strict()
      .default({ groups: [], maxDiscountShareBps: 10_000 }),
    giftCertificates: z
      .object({
        scope: ScopeSchema.default({ products: [], categories: ['gift_certificate'] }).describe('catalog lines that are gift certificates'),
        validDays: int.min(1).max(3660).default(365),
      })
      .strict()
      .default({ scope: { products: [], categories: ['gift_certificate'] }, validDays: 365 }),
    points: z
      .object({
        pendingDays: nonNeg.max(365).default(0).describe('earned points become spendable after this many days'),
        expiryDays: int.min(1).max(3660).optional().describe('earned points expire this many days after earning; none = never'),
        warnDays: nonNeg.max(3660).default(30).describe('show "N pts expire on DD.MM" when a lot expires within this many days'),
      })
      .strict()
      .default({ pendingDays: 0, warnDays: 30 }),
  })
  .strict()
  .superRefine((p, ctx) => {
    const dup = (what: string, ids: readonly string[]) => {
      const seen = new Set<string>();
      for (const x of ids) {
        if (seen.has(x)) ctx.addIssue({ code: 'custom', message: `${what} id "${x}" is used twice` });
        seen.add(x);
      }
    };
    dup('rule', [...p.earn.rules.map((r) => r.id), ...p.campaigns.map((c) => c.id)]);
    dup('stamp card', p.stamps.map((s) => s.id));
    dup('reward', p.rewards.map((r) => r.id));
    dup('action', p.bonuses.actions.map((a) => a.id));
    dup('stacking group', p.stacking.groups.map((g) => g.id));
    if (p.tiers) {
      dup('tier', p.tiers.levels.map((l) => l.id));
      const t = p.tiers.levels.map((l) => l.threshold);
      if (t[0] !== 0) ctx.addIssue({ code: 'custom', message: 'the first tier level must start at threshold 0' });
      for (let i = 1; i < t.length; i++) if (t[i]! <= t[i - 1]!) ctx.addIssue({ code: 'custom', message: 'tier thresholds must grow strictly' });
    }
    if (!IANAZone.isValidZone(p.timezone)) ctx.addIssue({ code: 'custom', message: `unknown time zone "${p.timezone}" (use an IANA name such as Europe/Moscow)` });
    const groups = new Set(p.stacking.groups.map((g) => g.id));
    for (const r of [...p.earn.rules, ...p.campaigns]) {
      if (r.group !== undefined && !groups.has(r.group)) ctx.addIssue({ code: 'custom', message: `rule "${r.id}" names stacking group "${r.group}" which is not defined` });
    }
    for (const c of p.campaigns) {
      if (c.from && c.to && c.from > c.to) ctx.addIssue({ code: 'custom', message: `campaign "${c.id}" ends before it starts` });
      for (const w of c.times) if (w.from >= w.to) ctx.addIssue({ code: 'custom', message: `campaign "${c.id}" has a time window that ends before it starts (${w.from}–${w.to})` });
    }
  });

export type ProgramInput = z.input<typeof ProgramSchema>;
export type Program = Readonly<z.output<typeof ProgramSchema>>;
export type Scope = Readonly<z.output<typeof ScopeSchema>>;
export type EarnRule = Readonly<z.output<typeof EarnRuleSchema>>;
export type Campaign = Readonly<z.output<typeof CampaignSchema>>;
export type TierLevel = Readonly<z.output<typeof TierLevelSchema>>;
export type Tiers = Readonly<z.output<typeof TiersSchema>>;
export type StampCard = Readonly<z.output<typeof StampCardSchema>>;
export type Reward = Readonly<z.output<typeof RewardSchema>>;

export function parseProgram(json: unknown): Program {
  return ProgramSchema.parse(json);
}

/** The program a fresh terminal starts with: 5% back, up to half the check payable with points. */
export const DEFAULT_PROGRAM: Program = parseProgram({
  name: 'Kopilka standard',
  earn: { base: { mode: 'percent', bps: 500 } },
  redeem: { pointValue: 100, maxShareBps: 5_000 },
});

export type ProgramCheck = Readonly<{ ok: true; program: Program } | { ok: false; problems: readonly string[] }>;

/** Validate without throwing; each problem names the field path so a manager can find it in the file. */
export function checkProgram(json: unknown): ProgramCheck {
  const r = ProgramSchema.safeParse(json);
  if (r.success) return { ok: true, program: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(program)'}: ${i.message}`) };
}

/** The JSON Schema of a program file (docs/program.schema.json is generated from this and tested to be current). */
export function programJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ProgramSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
