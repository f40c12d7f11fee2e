import { ScopeSchema } from '../../core/loyalty/program';
import type { PromoSnapshot } from '../../core/loyalty/quote';
import { fail } from '../../core/util/errors';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

/** Promo codes: typed or scanned at the counter, single- or multi-use, value or percentage. */
export type PromoCode = Readonly<{
  code: string;
  kind: 'percent' | 'amount';
  value: number;
  scope: { products: string[]; categories: string[] };
  minCheck: number;
  validFrom: string | null;
  validTo: string | null;
  maxUses: number | null;
  perMember: number | null;
  status: 'active' | 'disabled';
  uses: number;
  note: string;
}>;

export type NewPromo = Readonly<{
  code: string;
  kind: 'percent' | 'amount';
  value: number;
  scope?: unknown;
  minCheck?: number;
  validFrom?: string | null;
  validTo?: string | null;
  maxUses?: number | null;
  perMember?: number | null;
  note?: string;
}>;

export function normalizePromoCode(text: string): string {
  return text.trim().toUpperCase();
}

export function createPromo(db: Db, p: NewPromo): PromoCode {
  const code = normalizePromoCode(p.code);
  if (!/^[A-Z0-9_-]{3,32}$/.test(code)) fail('VALIDATION', `"${p.code}" is not a usable promo code: 3–32 letters, digits, "-" or "_"`);
  if (!Number.isSafeInteger(p.value) || p.value <= 0) fail('VALIDATION', 'A promo code needs a positive whole value');
  if (p.kind === 'percent' && p.value > 10_000) fail('VALIDATION', 'A percentage promo cannot be above 100%');
  for (const [what, v] of [['max uses', p.maxUses], ['uses per member', p.perMember], ['minimum check', p.minCheck]] as const) {
    if (v !== undefined && v !== null && (!Number.isSafeInteger(v) || v < 0)) fail('VALIDATION', `${what} must be a whole number ≥ 0`);
  }
  for (const t of [p.validFrom, p.validTo]) if (t && Number.isNaN(Date.parse(t))) fail('VALIDATION', `"${t}" is not a date-time`);
  if (p.validFrom && p.validTo && Date.parse(p.validFrom) >= Date.parse(p.validTo)) fail('VALIDATION', 'The promo code would end before it starts');
  const scope = ScopeSchema.parse(p.scope ?? {});
  if (stmt(db, 'SELECT 1 FROM promo_code WHERE code = ?').get(code)) fail('CONFLICT', `Promo code ${code} already exists`);
  stmt(db,
    'INSERT INTO promo_code (code, kind, value, scope, min_check, valid_from, valid_to, max_uses, per_member, status, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(code, p.kind, p.value, JSON.stringify(scope), p.minCheck ?? 0, p.validFrom ?? null, p.validTo ?? null, p.maxUses ?? null, p.perMember ?? null, 'active', p.note ?? '', new Date().toISOString());
  return getPromo(db, code);
}

type Row = { code: string; kind: 'percent' | 'amount'; value: number; scope: string; min_check: number; valid_from: string | null; valid_to: string | null; max_uses: number | null; per_member: number | null; status: 'active' | 'disabled'; note: string };

export function getPromo(db: Db, codeText: string): PromoCode {
  const code = normalizePromoCode(codeText);
  const r = stmt(db, 'SELECT * FROM promo_code WHERE code = ?').get(code) as Row | undefined;
  if (!r) fail('NOT_FOUND', `Unknown promo code ${code}: check the spelling`);
  const uses = stmt(db, 'SELECT count(*) FROM promo_use WHERE code = ?').pluck().get(code) as number;
  return { code: r.code, kind: r.kind, value: r.value, scope: JSON.parse(r.scope), minCheck: r.min_check, validFrom: r.valid_from, validTo: r.valid_to, maxUses: r.max_uses, perMember: r.per_member, status: r.status, uses, note: r.note };
}

export function listPromos(db: Db): readonly PromoCode[] {
  return (stmt(db, 'SELECT code FROM promo_code ORDER BY created_at, code').pluck().all() as string[]).map((c) => getPromo(db, c));
}

export function disablePromo(db: Db, codeText: string): PromoCode {
  const p = getPromo(db, codeText);
  stmt(db, "UPDATE promo_code SET status = 'disabled' WHERE code = ?").run(p.code);
  return getPromo(db, p.code);
}

/** The engine's view of a code for this member: uses left is the tighter of the overall and per-member limits. */
export function promoSnapshot(db: Db, codeText: string, memberId: string | null): PromoSnapshot {
  const p = getPromo(db, codeText);
  if (p.status !== 'active') fail('VALIDATION', `Promo code ${p.code} is switched off`);
  let usesLeft: number | null = p.maxUses === null ? null : p.maxUses - p.uses;
  if (p.perMember !== null) {
    if (!memberId) fail('VALIDATION', `Promo code ${p.code} is personal: identify the member first`);
    const mine = stmt(db, 'SELECT count(*) FROM promo_use WHERE code = ? AND member_id = ?').pluck().get(p.code, memberId) as number;
    usesLeft = usesLeft === null ? p.perMember - mine : Math.min(usesLeft, p.perMember - mine);
  }
  return { code: p.code, kind: p.kind, value: p.value, scope: p.scope, minCheck: p.minCheck, validFrom: p.validFrom, validTo: p.validTo, usesLeft };
}
