import { randomInt } from 'node:crypto';
import { plusDays } from '../../core/loyalty/calendar';
import type { GiftCardSnapshot } from '../../core/loyalty/quote';
import { fail } from '../../core/util/errors';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

/**
 * Gift certificates: sold at the counter (a liability, no points, not payable with points) or
 * issued by a manager, spent as tender. Balance = Σ moves; moves are append-only.
 */
export type GiftCertificate = Readonly<{ code: string; initial: number; balance: number; currency: string; issuedAt: string; expiresAt: string | null; saleId: string | null; status: 'active' | 'void' }>;

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I: read out over the counter

export function newGiftCode(db: Db): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    const code = `GC-${s.slice(0, 4)}-${s.slice(4)}`;
    if (!stmt(db, 'SELECT 1 FROM gift_certificate WHERE code = ?').get(code)) return code;
  }
}

export function normalizeGiftCode(text: string): string {
  return text.trim().toUpperCase();
}

export type IssueGift = Readonly<{ amount: number; currency: string; at: string; zone: string; validDays: number; saleId?: string | null; code?: string; reason?: string }>;

export function issueGiftCertificate(db: Db, g: IssueGift): GiftCertificate {
  if (!Number.isSafeInteger(g.amount) || g.amount <= 0) fail('VALIDATION', `A gift certificate needs a positive whole amount of kopecks, got ${g.amount}`);
  const code = g.code ? normalizeGiftCode(g.code) : newGiftCode(db);
  if (!/^[A-Z0-9-]{4,32}$/.test(code)) fail('VALIDATION', `"${code}" is not a usable certificate code: 4–32 letters, digits or dashes`);
  if (stmt(db, 'SELECT 1 FROM gift_certificate WHERE code = ?').get(code)) fail('CONFLICT', `Gift certificate ${code} already exists`);
  const expiresAt = plusDays(g.at, g.validDays, g.zone);
  stmt(db, 'INSERT INTO gift_certificate (code, initial, currency, issued_at, expires_at, sale_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    code, g.amount, g.currency, g.at, expiresAt, g.saleId ?? null, 'active', new Date().toISOString(),
  );
  stmt(db, 'INSERT INTO gift_certificate_move (code, sale_id, amount, reason, at) VALUES (?, ?, ?, ?, ?)').run(code, g.saleId ?? null, g.amount, g.reason ?? 'issue', g.at);
  return getGiftCertificate(db, code);
}

export function getGiftCertificate(db: Db, codeText: string): GiftCertificate {
  const code = normalizeGiftCode(codeText);
  const r = stmt(db, 'SELECT * FROM gift_certificate WHERE code = ?').get(code) as
    | { code: string; initial: number; currency: string; issued_at: string; expires_at: string | null; sale_id: string | null; status: 'active' | 'void' }
    | undefined;
  if (!r) fail('NOT_FOUND', `No gift certificate ${code}: check the code on the certificate`);
  const balance = stmt(db, 'SELECT coalesce(sum(amount), 0) FROM gift_certificate_move WHERE code = ?').pluck().get(code) as number;
  return { code: r.code, initial: r.initial, balance, currency: r.currency, issuedAt: r.issued_at, expiresAt: r.expires_at, saleId: r.sale_id, status: r.status };
}

/** What the engine needs to accept a certificate as tender; void ones are refused here. */
export function giftSnapshot(db: Db, codeText: string): GiftCardSnapshot {
  const g = getGiftCertificate(db, codeText);
  if (g.status !== 'active') fail('VALIDATION', `Gift certificate ${g.code} was cancelled`);
  return { code: g.code, balance: g.balance, expiresAt: g.expiresAt };
}

/** Spend from a certificate inside the sale's transaction, re-checking the balance there. */
export function spendGift(db: Db, code: string, amount: number, saleId: string, at: string): void {
  if (amount <= 0) return;
  const g = getGiftCertificate(db, code);
  if (g.balance < amount) fail('CONFLICT', `Gift certificate ${code} has ${g.balance / 100} left, not ${amount / 100}: quote again`);
  stmt(db, 'INSERT INTO gift_certificate_move (code, sale_id, amount, reason, at) VALUES (?, ?, ?, ?, ?)').run(g.code, saleId, -amount, 'spend', at);
}

export function listGiftCertificates(db: Db): readonly GiftCertificate[] {
  const codes = stmt(db, 'SELECT code FROM gift_certificate ORDER BY issued_at, code').pluck().all() as string[];
  return codes.map((c) => getGiftCertificate(db, c));
}

/** Outstanding liability: what active, unexpired certificates can still buy. */
export function giftLiability(db: Db, atIso: string): Readonly<{ certificates: number; amount: number; expiredUnused: number }> {
  const at = Date.parse(atIso);
  let certificates = 0;
  let amount = 0;
  let expiredUnused = 0;
  for (const g of listGiftCertificates(db)) {
    if (g.status !== 'active' || g.balance <= 0) continue;
    if (g.expiresAt !== null && Date.parse(g.expiresAt) <= at) expiredUnused += g.balance;
    else {
      certificates++;
      amount += g.balance;
    }
  }
  return { certificates, amount, expiredUnused };
}
