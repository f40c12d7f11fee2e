import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { canonicalJson } from '../../core/util/canonical-json';
import { uuidv7 } from '../../core/util/ids';
import { z } from 'zod';
import { defineSetting } from '../db/settings';

defineSetting(
  'audit.largeRedeemPoints',
  z.number().int().min(1),
  1000,
  'A redemption of at least this many points in one sale is written to the audit log',
);

/**
 * The audit log: who did what sensitive thing, when, to what, and why. Rows are append-only
 * (triggers refuse UPDATE/DELETE) and hash-chained, so a removed or edited row shows up in
 * `verifyAuditChain`. Details never hold personal data (no names, phones): ids only.
 */
export const AUDIT_ACTIONS = [
  'refund',
  'void',
  'points.adjust',
  'redeem.large',
  'shift.open',
  'shift.cash_in',
  'shift.cash_out',
  'shift.close',
  'program.change',
  'member.export',
  'member.erase',
  'consent.change',
  'staff.add',
  'staff.deactivate',
  'auth.failed',
  'auth.locked',
  'auth.denied',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditActor = Readonly<{ staffId: string | null; role: string | null }>;

export type AuditInput = Readonly<{
  actor: AuditActor;
  action: AuditAction;
  subjectType?: string;
  subjectId?: string;
  reason?: string;
  details?: Readonly<Record<string, unknown>>;
  at?: string;
}>;

export type AuditEntry = Readonly<{
  seq: number;
  id: string;
  at: string;
  staffId: string | null;
  staffRole: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  reason: string | null;
  details: Readonly<Record<string, unknown>>;
  prevHash: string;
  hash: string;
}>;

type Row = {
  seq: number;
  id: string;
  at: string;
  staff_id: string | null;
  staff_role: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  details: string;
  prev_hash: string;
  hash: string;
};

function entryHash(prevHash: string, e: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  return createHash('sha256').update(prevHash + canonicalJson(e)).digest('hex');
}

/** Append one entry. Call inside the same transaction as the action it records. */
export function recordAudit(db: Database, input: AuditInput): AuditEntry {
  return db.transaction(() => {
    drainAuditInbox(db);
    return append(db, input);
  })();
}

type InboxRow = {
  id: number;
  at: string;
  staff_id: string | null;
  staff_role: string | null;
  action: AuditAction;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  details: string;
};

/**
 * Move facts the triggers of migration 063 caught (refunds, voids, adjustments, large
 * redemptions, program changes) into the chained log, oldest first. Returns how many moved.
 */
export function drainAuditInbox(db: Database): number {
  return db.transaction(() => {
    const rows = db.prepare('SELECT * FROM audit_inbox ORDER BY id').all() as InboxRow[];
    for (const r of rows) {
      append(db, {
        actor: { staffId: r.staff_id, role: r.staff_role },
        action: r.action,
        ...(r.subject_type !== null ? { subjectType: r.subject_type } : {}),
        ...(r.subject_id !== null ? { subjectId: r.subject_id } : {}),
        ...(r.reason !== null ? { reason: r.reason } : {}),
        details: JSON.parse(r.details) as Record<string, unknown>,
        at: r.at,
      });
    }
    if (rows.length) db.prepare('DELETE FROM audit_inbox WHERE id <= ?').run(rows[rows.length - 1]!.id);
    return rows.length;
  })();
}

/**
 * Run `fn` in one transaction with `staffId` as the acting staff member, so facts the triggers
 * audit (a refund, a manual adjustment) are attributed to the manager who authorised them
 * rather than to the cashier signed in at the till.
 */
export function asActor<T>(db: Database, staffId: string, fn: () => T): T {
  return db.transaction(() => {
    db.prepare('INSERT INTO acting_staff (id, staff_id) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET staff_id = excluded.staff_id').run(staffId);
    try {
      const out = fn();
      drainAuditInbox(db);
      return out;
    } finally {
      db.prepare('DELETE FROM acting_staff').run();
    }
  })();
}

function append(db: Database, input: AuditInput): AuditEntry {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const body = {
    seq: (last?.seq ?? 0) + 1,
    id: uuidv7(),
    at: input.at ?? new Date().toISOString(),
    staffId: input.actor.staffId,
    staffRole: input.actor.role,
    action: input.action,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    reason: input.reason ?? null,
    details: { ...(input.details ?? {}) },
  };
  const prevHash = last?.hash ?? '';
  const hash = entryHash(prevHash, body);
  db.prepare(
    `INSERT INTO audit_log (seq, id, at, staff_id, staff_role, action, subject_type, subject_id, reason, details, prev_hash, hash)
     VALUES (@seq, @id, @at, @staffId, @staffRole, @action, @subjectType, @subjectId, @reason, @details, @prevHash, @hash)`,
  ).run({ ...body, details: canonicalJson(body.details), prevHash, hash });
  return { ...body, prevHash, hash };
}

function fromRow(r: Row): AuditEntry {
  return {
    seq: r.seq,
    id: r.id,
    at: r.at,
    staffId: r.staff_id,
    staffRole: r.staff_role,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    reason: r.reason,
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export type AuditFilter = Readonly<{ action?: string; subjectId?: string; sinceSeq?: number; limit?: number }>;

export function listAudit(db: Database, filter: AuditFilter = {}): AuditEntry[] {
  drainAuditInbox(db);
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  if (filter.action) (where.push('action = @action'), (args.action = filter.action));
  if (filter.subjectId) (where.push('subject_id = @subjectId'), (args.subjectId = filter.subjectId));
  if (filter.sinceSeq !== undefined) (where.push('seq > @sinceSeq'), (args.sinceSeq = filter.sinceSeq));
  const sql = `SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ${Math.min(Math.max(filter.limit ?? 200, 1), 10_000)}`;
  return (db.prepare(sql).all(args) as Row[]).map(fromRow);
}

/** Recompute the chain; returns the first broken seq, or null when intact. */
export function verifyAuditChain(db: Database): number | null {
  let prev = '';
  let expectSeq = 1;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) {
    const e = fromRow(r);
    const { hash, prevHash, ...body } = e;
    if (e.seq !== expectSeq || prevHash !== prev || entryHash(prev, body) !== hash) return e.seq;
    prev = hash;
    expectSeq++;
  }
  return null;
}
