import { z } from 'zod';
import { parseCardCode, maskPhone, normalizePhone, parseLast4, type CardKind } from '../../core/members';
import { fail } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';
import { appendEvents } from '../db/ledger';
import { getSetting } from '../db/settings';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';

export type Member = Readonly<{
  id: string;
  name: string;
  phone: string | null;
  maskedPhone: string | null;
  birthday: string | null;
  consentPd: boolean;
  consentPdAt: string | null;
  consentMarketing: boolean;
  consentMarketingAt: string | null;
  cards: readonly Readonly<{ code: string; kind: CardKind; status: 'active' | 'blocked' }>[];
  balance: number;
  createdAt: string;
}>;

export type MemberCandidate = Readonly<{ id: string; name: string; maskedPhone: string | null; balance: number }>;

const AddMemberSchema = z
  .object({
    name: z.string().trim().max(120).default(''),
    phone: z.string().optional(),
    card: z.string().optional(),
    birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'birthday must be YYYY-MM-DD').optional(),
    consentPd: z.boolean().default(false),
    consentMarketing: z.boolean().default(false),
  })
  .strict();
export type AddMemberInput = z.input<typeof AddMemberSchema>;

type MemberRow = {
  id: string; phone: string | null; name: string; birthday: string | null; consent_pd: number; consent_pd_at: string | null;
  consent_marketing: number; consent_marketing_at: string | null; created_at: string;
};

function validBirthday(b: string): boolean {
  const d = new Date(b + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === b && b >= '1900-01-01';
}

/**
 * Enrol a member: phone normalised to E.164, card validated, consents stamped with the time.
 * A `member_create` ledger event (no personal data in it) goes to the outbox in the same
 * transaction so the chain's server learns about the member.
 */
export function addMember(db: Db, input: AddMemberInput, at = new Date().toISOString()): Member {
  const parsed = AddMemberSchema.safeParse(input);
  if (!parsed.success) fail('VALIDATION', `Member ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const m = parsed.data;
  if (!m.phone && !m.card) fail('VALIDATION', 'Give the member a phone number or a card (or both)');
  const phone = m.phone ? normalizePhone(m.phone, getSetting<string>(db, 'phone.defaultRegion')) : null;
  const card = m.card ? parseCardCode(m.card) : null;
  if (m.birthday && !validBirthday(m.birthday)) fail('VALIDATION', `Birthday ${m.birthday} is not a real date (YYYY-MM-DD)`);
  return db.transaction(() => {
    if (phone && stmt(db, 'SELECT 1 FROM member WHERE phone = ?').get(phone)) fail('CONFLICT', `A member with phone ${maskPhone(phone)} already exists: find them instead`);
    if (card && stmt(db, 'SELECT 1 FROM member_card WHERE code = ?').get(card.code)) fail('CONFLICT', `Card ${card.code} is already issued to another member`);
    const id = uuidv7();
    stmt(db,
      `INSERT INTO member (id, phone, name, birthday, consent_pd, consent_pd_at, consent_marketing, consent_marketing_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, phone, m.name, m.birthday ?? null, m.consentPd ? 1 : 0, m.consentPd ? at : null, m.consentMarketing ? 1 : 0, m.consentMarketing ? at : null, at, at);
    if (card) stmt(db, 'INSERT INTO member_card (code, member_id, kind, created_at) VALUES (?, ?, ?, ?)').run(card.code, id, card.kind, at);
    appendEvents(db, [{ kind: 'member_create', memberId: id, delta: 0, occurredAt: at, payload: { cardKind: card?.kind ?? null } }]);
    return getMember(db, id);
  })();
}

/**
 * A member with their cards (display order) and balance in one statement: the counter runs this
 * on every scan, and each statement round trip costs about as much as the B-tree reads it does.
 * The `WHERE` is filled in by each lookup (by id, by card, by phone).
 */
const MEMBER_SELECT = `SELECT m.id, m.phone, m.name, m.birthday, m.consent_pd, m.consent_pd_at, m.consent_marketing, m.consent_marketing_at, m.created_at,
    coalesce((SELECT balance FROM member_balance WHERE member_id = m.id), 0) AS balance,
    (SELECT json_group_array(json_object('code', code, 'kind', kind, 'status', status) ORDER BY created_at, code) FROM member_card WHERE member_id = m.id) AS cards`;

type LookupRow = MemberRow & { balance: number; cards: string };

function toMember(r: LookupRow): Member {
  return {
    id: r.id, name: r.name, phone: r.phone, maskedPhone: r.phone ? maskPhone(r.phone) : null, birthday: r.birthday,
    consentPd: r.consent_pd === 1, consentPdAt: r.consent_pd_at, consentMarketing: r.consent_marketing === 1, consentMarketingAt: r.consent_marketing_at,
    cards: JSON.parse(r.cards) as Member['cards'], balance: r.balance, createdAt: r.created_at,
  };
}

export function getMember(db: Db, id: string): Member {
  const r = stmt(db, `${MEMBER_SELECT} FROM member m WHERE m.id = ?`).get(id) as LookupRow | undefined;
  if (!r) fail('NOT_FOUND', `No member with id ${id}`);
  return toMember(r);
}

/** By a scanned card (EAN-13, Code 128 or QR payload). Blocked cards are refused with a reason. */
export function findMemberByCard(db: Db, scanned: string): Member {
  const card = parseCardCode(scanned);
  // The card as two scalar subqueries rather than a join: on a million members SQLite ran the
  // join form at about twice the CPU of the member-by-phone statement (measured), this form at par.
  const row = stmt(db,
    `${MEMBER_SELECT}, (SELECT status FROM member_card WHERE code = $code) AS card_status
     FROM member m WHERE m.id = (SELECT member_id FROM member_card WHERE code = $code)`,
  ).get({ code: card.code }) as (LookupRow & { card_status: string }) | undefined;
  if (!row) fail('NOT_FOUND', `Card ${card.code} is not registered: enrol the customer or check the card`);
  if (row.card_status !== 'active') fail('FORBIDDEN', `Card ${card.code} is blocked: ask the customer for another card or their phone`);
  return toMember(row);
}

export function findMemberByPhone(db: Db, phoneText: string): Member {
  const phone = normalizePhone(phoneText, getSetting<string>(db, 'phone.defaultRegion'));
  const row = stmt(db, `${MEMBER_SELECT} FROM member m WHERE m.phone = ?`).get(phone) as LookupRow | undefined;
  if (!row) fail('NOT_FOUND', `No member with phone ${maskPhone(phone)}: enrol them or try the card`);
  return toMember(row);
}

/** Candidates whose phone ends in these four digits, phones masked so the customer picks themselves. */
export function findMembersByLast4(db: Db, last4Text: string, limit = 20): MemberCandidate[] {
  const last4 = parseLast4(last4Text);
  const rows = stmt(db,
      `SELECT m.id, m.name, m.phone, coalesce(b.balance, 0) AS balance FROM member m LEFT JOIN member_balance b ON b.member_id = m.id
       WHERE m.phone_last4 = ? ORDER BY m.name, m.id LIMIT ?`,
    )
    .all(last4, limit) as { id: string; name: string; phone: string | null; balance: number }[];
  return rows.map((r) => ({ id: r.id, name: r.name, maskedPhone: r.phone ? maskPhone(r.phone) : null, balance: r.balance }));
}

export type MemberQuery = Readonly<{ card?: string; phone?: string; last4?: string; id?: string }>;

/** One member from exactly one identifier; used by checkout and the CLI. */
export function resolveMember(db: Db, q: MemberQuery): Member {
  const given = [q.card, q.phone, q.id].filter((x) => x !== undefined && x !== '').length;
  if (given !== 1) fail('VALIDATION', 'Identify the member by exactly one of: card, phone');
  if (q.card) return findMemberByCard(db, q.card);
  if (q.phone) return findMemberByPhone(db, q.phone);
  return getMember(db, q.id!);
}

export function addCard(db: Db, memberId: string, scanned: string, at = new Date().toISOString()): Member {
  const card = parseCardCode(scanned);
  return db.transaction(() => {
    getMember(db, memberId);
    if (stmt(db, 'SELECT 1 FROM member_card WHERE code = ?').get(card.code)) fail('CONFLICT', `Card ${card.code} is already issued`);
    stmt(db, 'INSERT INTO member_card (code, member_id, kind, created_at) VALUES (?, ?, ?, ?)').run(card.code, memberId, card.kind, at);
    return getMember(db, memberId);
  })();
}

export function recentEvents(db: Db, memberId: string, limit = 20): { seq: number; kind: string; delta: number; occurredAt: string; saleId: string | null }[] {
  return (
    stmt(db, 'SELECT seq, kind, delta, occurred_at, sale_id FROM ledger_event WHERE member_id = ? ORDER BY seq DESC LIMIT ?')
      .all(memberId, limit) as { seq: number; kind: string; delta: number; occurred_at: string; sale_id: string | null }[]
  ).map((r) => ({ seq: r.seq, kind: r.kind, delta: r.delta, occurredAt: r.occurred_at, saleId: r.sale_id }));
}

/** One B-tree a lookup walks: a table's key B-tree (index null) or one of its indexes, keyed by `col`. */
type LookupTree = Readonly<{ table: string; col: string; index: string | null }>;

function lookupTrees(db: Db): LookupTree[] {
  // The member table's own rows, then its id and phone keys, the card list index, and the key
  // B-trees of member_card and member_balance (WITHOUT ROWID: the key B-tree is the table).
  const trees: LookupTree[] = [{ table: 'member', col: 'rowid', index: null }];
  for (const table of ['member', 'member_card', 'member_balance']) {
    const used = db.prepare("SELECT name FROM pragma_index_list(?) WHERE origin IN ('pk', 'u') OR name = 'member_card_member'").pluck().all(table) as string[];
    for (const ix of used) {
      const col = db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').pluck().get(ix) as string | null;
      if (col) trees.push({ table, col, index: ix });
    }
  }
  return trees;
}

const treeFrom = (t: LookupTree) => (t.index === null ? `${t.table} NOT INDEXED` : `${t.table} INDEXED BY "${t.index}"`);

/**
 * Read every B-tree a card or phone lookup walks (member rows and their id/phone indexes, cards,
 * the card list index, balances) once, in key order. A lookup touches about five random pages;
 * on a store with a million members those pages only stay in the OS page cache if something has
 * read them, and a page that has to come from disk costs a millisecond, not microseconds.
 * Blocks until done (1.9 s for a million members): for tests and benchmarks; a running till uses
 * warmMemberLookupsGradually. Returns how many B-trees were read.
 */
export function warmMemberLookups(db: Db): number {
  const trees = lookupTrees(db);
  for (const t of trees) db.prepare(t.col === 'rowid' ? `SELECT sum(length(name)) FROM ${treeFrom(t)}` : `SELECT count("${t.col}") FROM ${treeFrom(t)}`).get();
  return trees.length;
}

export type WarmProgress = Readonly<{ trees: number; slices: number; keys: number; stopped: boolean }>;

/**
 * The same reads as warmMemberLookups, in slices of `sliceKeys` keys walked in key order
 * (keyset: each slice starts after the last key of the one before), yielding to the event loop
 * between slices. A till runs this once after start: the store is usable at once, a sale or a
 * lookup never waits more than one slice (about a millisecond), and within a few seconds every
 * lookup page is in the OS page cache. stop() ends it after the current slice (store closing).
 */
export function warmMemberLookupsGradually(db: Db, opts: Readonly<{ sliceKeys?: number }> = {}): Readonly<{ done: Promise<WarmProgress>; stop(): void }> {
  const sliceKeys = opts.sliceKeys ?? 2000;
  let stopped = false;
  const tick = () => new Promise<void>((r) => setImmediate(r));
  const run = async (): Promise<WarmProgress> => {
    let slices = 0;
    let keys = 0;
    const trees = lookupTrees(db);
    const progress = (cut: boolean): WarmProgress => ({ trees: trees.length, slices, keys, stopped: cut });
    for (const t of trees) {
      const key = t.col === 'rowid' ? 'rowid' : `"${t.col}"`;
      // NULL keys sort first and are never looked up; `> ?` starts after them.
      const first = db.prepare(`SELECT max(k), count(*) FROM (SELECT ${key} AS k FROM ${treeFrom(t)} WHERE ${key} IS NOT NULL ORDER BY ${key} LIMIT ${sliceKeys})`).raw();
      const next = db.prepare(`SELECT max(k), count(*) FROM (SELECT ${key} AS k FROM ${treeFrom(t)} WHERE ${key} > ? ORDER BY ${key} LIMIT ${sliceKeys})`).raw();
      let row: [unknown, number] | null = null;
      do {
        // Every slice but the very first waits its turn behind the till's own work.
        if (slices > 0) {
          await tick();
          if (stopped || !db.open) return progress(true);
        }
        row = (row === null ? first.get() : next.get(row[0])) as [unknown, number];
        slices++;
        keys += row[1];
      } while (row[1] === sliceKeys);
    }
    return progress(false);
  };
  return {
    done: run(),
    stop() {
      stopped = true;
    },
  };
}
