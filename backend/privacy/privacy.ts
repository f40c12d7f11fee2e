import { z } from 'zod';
import { maskPhone } from '../../core/members';
import { fail } from '../../core/util/errors';
import { createLogger } from '../../core/util/logger';
import { recordAudit } from '../audit/audit';
import { defineSetting, getSetting } from '../db/settings';
import type { Db } from '../db/types';
import { roleAllows } from '../staff/permissions';
import type { Actor } from '../staff/staff';

/**
 * Members' personal data under 152-FZ / GDPR: versioned consents, the phone shown to each role,
 * export of everything stored about one member, and erasure that anonymises the person while
 * keeping every ledger amount (balances, reports and the hash chain stay intact).
 */
const log = createLogger('privacy');

defineSetting('privacy.processingTextVersion', z.string().min(1).max(40), '1', 'Version of the personal-data processing consent text shown at enrolment');
defineSetting('privacy.marketingTextVersion', z.string().min(1).max(40), '1', 'Version of the marketing consent text shown at enrolment');

export type ConsentKind = 'processing' | 'marketing';
export type ConsentEntry = Readonly<{ kind: ConsentKind; granted: boolean; textVersion: string; at: string; staffId: string | null; source: string }>;

export function consentHistory(db: Db, memberId: string): ConsentEntry[] {
  return (
    db.prepare('SELECT kind, granted, text_version, at, staff_id, source FROM consent WHERE member_id = ? ORDER BY seq').all(memberId) as Array<{
      kind: ConsentKind;
      granted: number;
      text_version: string;
      at: string;
      staff_id: string | null;
      source: string;
    }>
  ).map((r) => ({ kind: r.kind, granted: r.granted === 1, textVersion: r.text_version, at: r.at, staffId: r.staff_id, source: r.source }));
}

function requireMember(db: Db, memberId: string): { id: string; phone: string | null; erased: boolean } {
  const r = db.prepare('SELECT m.id, m.phone, e.member_id IS NOT NULL AS erased FROM member m LEFT JOIN member_erasure e ON e.member_id = m.id WHERE m.id = ?').get(memberId) as
    | { id: string; phone: string | null; erased: number }
    | undefined;
  if (!r) fail('NOT_FOUND', `No member with id ${memberId}`);
  return { id: r.id, phone: r.phone, erased: r.erased === 1 };
}

/**
 * Give or withdraw a consent. The member row holds the current state; the consent table gets the
 * history (with the consent text version) from migration 062's triggers. Withdrawing processing
 * consent does not erase by itself: erasure is a separate, owner-authorised step.
 */
export function setConsent(db: Db, actor: Actor | null, memberId: string, kind: ConsentKind, granted: boolean, at = new Date().toISOString()): ConsentEntry[] {
  db.transaction(() => {
    const m = requireMember(db, memberId);
    if (m.erased && granted) fail('CONFLICT', 'This member was erased; enrol them again instead');
    const col = kind === 'processing' ? 'consent_pd' : 'consent_marketing';
    db.prepare(`UPDATE member SET ${col} = ?, ${col}_at = ?, updated_at = ? WHERE id = ?`).run(granted ? 1 : 0, at, at, memberId);
    recordAudit(db, {
      actor: { staffId: actor?.staffId ?? null, role: actor?.role ?? null },
      action: 'consent.change',
      subjectType: 'member',
      subjectId: memberId,
      details: { kind, granted, textVersion: getSetting<string>(db, kind === 'processing' ? 'privacy.processingTextVersion' : 'privacy.marketingTextVersion') },
      at,
    });
  })();
  return consentHistory(db, memberId);
}

/** The phone as a given role may see it: cashiers only ever get the mask. */
export function phoneFor(actorRole: Actor['role'] | null, phone: string | null): string | null {
  if (phone === null) return null;
  return actorRole && roleAllows(actorRole, 'member.view_phone') ? phone : maskPhone(phone);
}

export type MemberExport = Readonly<{
  format: 'kopilka.member-export';
  version: 1;
  exportedAt: string;
  member: Readonly<Record<string, unknown>>;
  cards: readonly Readonly<Record<string, unknown>>[];
  consents: readonly ConsentEntry[];
  balance: number;
  ledger: readonly Readonly<Record<string, unknown>>[];
  sales: readonly Readonly<Record<string, unknown>>[];
  refunds: readonly Readonly<Record<string, unknown>>[];
  erasure: Readonly<Record<string, unknown>> | null;
}>;

/** Everything stored about one member, as one JSON document (right of access / portability). Audited. */
export function exportMember(db: Db, actor: Actor, memberId: string, at = new Date().toISOString()): MemberExport {
  if (!roleAllows(actor.role, 'member.export')) fail('FORBIDDEN', 'Exporting a member’s data needs an owner PIN');
  return db.transaction(() => {
    requireMember(db, memberId);
    const member = db
      .prepare(
        'SELECT id, phone, name, birthday, consent_pd, consent_pd_at, consent_marketing, consent_marketing_at, created_at, updated_at FROM member WHERE id = ?',
      )
      .get(memberId) as Record<string, unknown>;
    const cards = db.prepare('SELECT code, kind, status, created_at FROM member_card WHERE member_id = ? ORDER BY created_at, code').all(memberId) as Record<string, unknown>[];
    const ledger = (
      db.prepare('SELECT seq, id, kind, delta, sale_id, ref_event_id, occurred_at, program_version, payload FROM ledger_event WHERE member_id = ? ORDER BY seq').all(memberId) as Array<
        Record<string, unknown> & { payload: string }
      >
    ).map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
    const sales = (
      db.prepare('SELECT id, receipt_no, occurred_at, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points FROM sale WHERE member_id = ? ORDER BY occurred_at, id').all(memberId) as Array<
        Record<string, unknown> & { id: string }
      >
    ).map((s) => ({
      ...s,
      lines: db.prepare('SELECT line_no, name, qty, unit_price, amount, discount, points_paid, earned FROM sale_line WHERE sale_id = ? ORDER BY line_no').all(s.id),
      payments: db.prepare('SELECT method, amount FROM payment WHERE sale_id = ? ORDER BY id').all(s.id),
    }));
    const refunds = db
      .prepare('SELECT r.id, r.refund_no, r.sale_id, r.kind, r.occurred_at, r.amount, r.points_clawed, r.points_restored FROM refund r JOIN sale s ON s.id = r.sale_id WHERE s.member_id = ? ORDER BY r.occurred_at, r.id')
      .all(memberId) as Record<string, unknown>[];
    const balance = (db.prepare('SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(memberId) as number | undefined) ?? 0;
    const erasure = (db.prepare('SELECT erased_at, reason FROM member_erasure WHERE member_id = ?').get(memberId) as Record<string, unknown> | undefined) ?? null;
    recordAudit(db, { actor: { staffId: actor.staffId, role: actor.role }, action: 'member.export', subjectType: 'member', subjectId: memberId, at });
    return {
      format: 'kopilka.member-export' as const,
      version: 1 as const,
      exportedAt: at,
      member,
      cards,
      consents: consentHistory(db, memberId),
      balance,
      ledger,
      sales,
      refunds,
      erasure,
    };
  })();
}

export type ErasureResult = Readonly<{ memberId: string; erasedAt: string; balanceKept: number; cardsRemoved: number; jobsScrubbed: number }>;

/**
 * Erase a member: name, phone and birthday are cleared, cards removed, consents withdrawn,
 * queued/printed receipts naming them blanked; the
 * member id, every ledger event and sale stay, so balances and reports add up exactly as before.
 * `secure_delete` zeroes the freed bytes and the WAL is checkpointed, so the old phone and name
 * do not linger in the database file either.
 */
export function eraseMember(db: Db, actor: Actor, memberId: string, reason: string, at = new Date().toISOString()): ErasureResult {
  if (!roleAllows(actor.role, 'member.erase')) fail('FORBIDDEN', 'Erasing a member needs an owner PIN');
  const why = reason.trim();
  if (!why) fail('VALIDATION', 'Give the reason for erasure (e.g. "member’s request of 25.11.2026")');
  if (why.length > 300) fail('VALIDATION', 'Keep the reason under 300 characters');
  const previous = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    const result = db.transaction(() => {
      const m = requireMember(db, memberId);
      if (m.erased) fail('CONFLICT', 'This member has already been erased');
      const balanceKept = (db.prepare('SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(memberId) as number | undefined) ?? 0;
      db.prepare(
        `UPDATE member SET name = '', phone = NULL, birthday = NULL, consent_pd = 0, consent_pd_at = ?, consent_marketing = 0, consent_marketing_at = ?, updated_at = ? WHERE id = ?`,
      ).run(at, at, at, memberId);
      const cardsRemoved = db.prepare('DELETE FROM member_card WHERE member_id = ?').run(memberId).changes;
      // Receipts in the print queue carry the member's name (model JSON and printer bytes): blank
      // them, and cancel any still waiting. The sale itself can still be reprinted, anonymised.
      const jobsScrubbed = db
        .prepare(
          `UPDATE print_job SET model = NULL, bytes = X'', updated_at = @at,
             last_error = CASE WHEN state = 'pending' THEN 'cancelled: member data erased' ELSE last_error END,
             state = CASE WHEN state = 'pending' THEN 'cancelled' ELSE state END
           WHERE (kind = 'sale' AND ref IN (SELECT id FROM sale WHERE member_id = @id))
              OR (kind = 'refund' AND ref IN (SELECT r.id FROM refund r JOIN sale s ON s.id = r.sale_id WHERE s.member_id = @id))`,
        )
        .run({ at, id: memberId }).changes;
      db.prepare('INSERT INTO member_erasure (member_id, erased_at, staff_id, reason) VALUES (?, ?, ?, ?)').run(memberId, at, actor.staffId, why);
      recordAudit(db, {
        actor: { staffId: actor.staffId, role: actor.role },
        action: 'member.erase',
        subjectType: 'member',
        subjectId: memberId,
        reason: why,
        details: { balanceKept, cardsRemoved, jobsScrubbed },
        at,
      });
      return { memberId, erasedAt: at, balanceKept, cardsRemoved, jobsScrubbed };
    })();
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      log.warn('WAL checkpoint after erasure failed; old bytes stay in the WAL until the next checkpoint', String(err));
    }
    return result;
  } finally {
    db.pragma(`secure_delete = ${previous ? 'ON' : 'OFF'}`);
  }
}

export function isErased(db: Db, memberId: string): boolean {
  return db.prepare('SELECT 1 FROM member_erasure WHERE member_id = ?').get(memberId) !== undefined;
}
