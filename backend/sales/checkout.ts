import type { LedgerEvent } from '../../core/ledger/event';
import type { Program } from '../../core/loyalty/program';
import { MAX_LINES, MAX_QTY, quote as quoteEngine, type CartLine, type MemberSnapshot, type Quote, type RedeemRequest } from '../../core/loyalty/quote';
import { allocate, MAX_AMOUNT_MINOR } from '../../core/money/money';
import { fail, missingCase } from '../../core/util/errors';
import { isUuid, uuidv7 } from '../../core/util/ids';
import { findSaleItem, type SaleItem } from '../catalog/catalog';
import { terminalId } from '../db/connection';
import { appendEvents, rowToEvent, type LedgerRow } from '../db/ledger';
import { getSetting } from '../db/settings';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { loadActiveProgram, loadMemberSnapshot, quoteExtras, recordLoyaltyEffects, type LoyaltyRequest } from '../loyalty/index';
import type { GiftCertificate } from '../loyalty/gift';
import { saveMemberLots, withLotFolds } from '../loyalty/snapshot-lots';
import { resolveMember, type Member, type MemberQuery } from '../members/members';
import { businessTime } from './time';
import { requireOpenShift } from '../shifts/shift';
import { chainRedeemGuard } from '../sync/chain-checkout';

export type CartItemRequest = Readonly<{ code: string; qty: number }>;

export type PaymentRequest = Readonly<
  | { method: 'cash'; tendered?: number } // tendered defaults to the exact amount
  | { method: 'card' }
  | { method: 'mixed'; cash: number } // the rest goes on the card
>;

export type SaleRequest = Readonly<{
  items: readonly CartItemRequest[];
  member?: MemberQuery | null;
  redeem?: RedeemRequest;
  payment?: PaymentRequest;
  /** Business time (ISO 8601); defaults to now in the shop's zone. */
  at?: string;
  /** Client-chosen id (UUID) making a retried commit idempotent. */
  saleId?: string;
  /** Promo code, gift certificates as tender and catalog rewards (loyalty rules, engineer B). */
  loyalty?: LoyaltyRequest;
}>;

export type PaymentLine = Readonly<{ method: 'cash' | 'card' | 'points' | 'gift'; amount: number; tendered: number | null; change: number | null }>;

export type SaleQuote = Readonly<{
  at: string;
  member: Member | null;
  programVersion: number | null;
  lines: readonly CartLine[];
  quote: Quote;
}>;

export type CommittedSale = Readonly<{
  saleId: string;
  receiptNo: number;
  at: string;
  memberId: string | null;
  quote: Quote;
  payments: readonly PaymentLine[];
  events: readonly LedgerEvent[];
  balanceAfter: number | null;
  /** Gift certificates sold on this sale (codes for the receipt), from the loyalty rules. */
  giftCertificates: readonly GiftCertificate[];
  /** True when this call found the sale already committed under the same saleId. */
  replayed: boolean;
}>;

function checkItems(items: readonly CartItemRequest[]): void {
  if (!Array.isArray(items) || items.length === 0) fail('VALIDATION', 'The cart is empty: add at least one item');
  if (items.length > MAX_LINES) fail('VALIDATION', `A sale can have at most ${MAX_LINES} lines`);
  for (const it of items) {
    if (!Number.isSafeInteger(it.qty) || it.qty <= 0) fail('VALIDATION', `Quantity of "${String(it.code).slice(0, 64)}" must be a whole number above zero, got ${String(it.qty)}`);
    if (it.qty > MAX_QTY) fail('VALIDATION', `Quantity ${it.qty} of "${String(it.code).slice(0, 64)}" is too large (at most ${MAX_QTY}): check the scanner`);
  }
}

function toCartLine(p: SaleItem, lineNo: number, qty: number): CartLine {
  return {
    lineNo, productId: p.id, sku: p.sku, name: p.name, category: p.category, qty, unitPrice: p.price,
    earnsPoints: p.earnsPoints, payableWithPoints: p.payableWithPoints,
  };
}

/**
 * The member facts this sale's earn depended on, recorded with the sale so the chain server's
 * earn check (server/earn.ts) reaches the same figure: the tier level the rate came from and the
 * member's earlier uses of each campaign that has a per-member limit.
 */
export type EarnContext = Readonly<{ tierLevelId: string | null; campaignUses: Readonly<Record<string, number>> }>;

function earnContextOf(program: Program, q: Quote, snapshot: MemberSnapshot): EarnContext {
  const campaignUses: Record<string, number> = {};
  for (const c of program.campaigns ?? []) if (c.perMemberLimit !== undefined) campaignUses[c.id] = snapshot.campaignUses?.[c.id] ?? 0;
  return { tierLevelId: q.tier?.levelId ?? null, campaignUses };
}

function buildQuote(db: Db, req: SaleRequest): SaleQuote & { program: Program; earnContext: EarnContext | null } {
  const at = businessTime(req.at, getSetting<string>(db, 'shop.timezone'));
  checkItems(req.items);
  const lines = req.items.map((it, i) => {
    const p = findSaleItem(db, it.code);
    if (p.price * it.qty > MAX_AMOUNT_MINOR) fail('VALIDATION', `Line "${p.name}" × ${it.qty} is more than the largest amount allowed`);
    return toCartLine(p, i + 1, it.qty);
  });
  const member = req.member ? resolveMember(db, req.member) : null;
  const { version, program } = loadActiveProgram(db, at);
  const snapshot = member ? loadMemberSnapshot(db, member.id, at, program) : null;
  const q = quoteEngine({ program, programVersion: version, lines, member: snapshot, redeem: req.redeem ?? { mode: 'none' }, at, ...quoteExtras(db, req.loyalty ?? {}, member?.id ?? null) });
  if (q.total > MAX_AMOUNT_MINOR) fail('VALIDATION', 'The check total is more than the largest amount allowed');
  return { at, member, programVersion: version, lines, quote: q, program, earnContext: snapshot ? earnContextOf(program, q, snapshot) : null };
}

/**
 * A transaction function made once per connection: better-sqlite3 builds four wrappers and their
 * properties for every `db.transaction()` call, which the counter would otherwise pay per sale.
 */
function perConnection<A, R>(make: (db: Db) => (arg: A) => R): (db: Db) => (arg: A) => R {
  const made = new WeakMap<Db, (arg: A) => R>();
  return (db) => {
    let f = made.get(db);
    if (!f) {
      f = make(db);
      made.set(db, f);
    }
    return f;
  };
}

const quoteTx = perConnection((db) => db.transaction((req: SaleRequest) => buildQuote(db, req)).deferred);

/** Price the cart and explain earn/redeem, without writing anything. */
export function quoteSale(db: Db, req: SaleRequest): SaleQuote {
  const { program: _p, earnContext: _e, ...rest } = quoteTx(db)(req);
  return rest;
}

function giftPaidOf(q: Quote): number {
  return (q as { giftPaid?: number }).giftPaid ?? 0;
}

function checkAmount(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail('VALIDATION', `${what} must be a whole, non-negative number of kopecks, got ${String(n)}`);
  if (n > MAX_AMOUNT_MINOR) fail('VALIDATION', `${what} ${n} is more than the largest amount allowed`);
  return n;
}

/** Turn the payment request into payment rows covering `toPay` exactly. */
export function settlePayment(toPay: number, redeemValue: number, giftPaid: number, req: PaymentRequest | undefined): PaymentLine[] {
  const out: PaymentLine[] = [];
  if (redeemValue > 0) out.push({ method: 'points', amount: redeemValue, tendered: null, change: null });
  if (giftPaid > 0) out.push({ method: 'gift', amount: giftPaid, tendered: null, change: null });
  if (toPay === 0) return out;
  const p = req ?? { method: 'cash' as const };
  switch (p.method) {
    case 'cash': {
      const tendered = p.tendered === undefined ? toPay : checkAmount(p.tendered, 'Cash tendered');
      if (tendered < toPay) fail('VALIDATION', `Cash tendered ${tendered / 100} is less than ${toPay / 100} to pay: take more cash or pay the rest by card (mixed)`);
      out.push({ method: 'cash', amount: toPay, tendered, change: tendered - toPay });
      break;
    }
    case 'card':
      out.push({ method: 'card', amount: toPay, tendered: null, change: null });
      break;
    case 'mixed': {
      const cash = checkAmount(p.cash, 'Cash part');
      if (cash > toPay) fail('VALIDATION', `Cash part ${cash / 100} is more than ${toPay / 100} to pay: pay by cash only and give change`);
      if (cash > 0) out.push({ method: 'cash', amount: cash, tendered: cash, change: 0 });
      if (toPay - cash > 0) out.push({ method: 'card', amount: toPay - cash, tendered: null, change: null });
      break;
    }
    default:
      missingCase(p);
  }
  return out;
}

/** A sale priced under the commit's write lock, with its payments settled: what `writePricedSale` stores. */
export type PricedSale = Readonly<{
  at: string;
  member: Member | null;
  lines: readonly CartLine[];
  quote: Quote;
  payments: readonly PaymentLine[];
  holdId: string | null;
  earnContext: EarnContext | null;
}>;

function requireWriteTransaction(db: Db, what: string): void {
  if (!db.inTransaction) fail('INTERNAL', `${what} must run inside the sale's IMMEDIATE transaction`);
}

/**
 * First half of a commit, inside its IMMEDIATE transaction: the open shift, the re-quote (so the
 * balance a redemption was checked against cannot change before the write), payments and the
 * chain's redemption guard. Writes nothing.
 */
export function priceSaleForCommit(db: Db, req: SaleRequest): PricedSale {
  requireWriteTransaction(db, 'priceSaleForCommit');
  // Sales only inside an open cash shift (shifts area, issue 6); a retried commit still replays (commitSale).
  requireOpenShift(db);
  const { at, member, quote: q, lines, earnContext } = buildQuote(db, req);
  const payments = settlePayment(q.toPay, q.redeemValue, giftPaidOf(q), req.payment);
  // Registered till: an online hold covers the redemption, else the chain's offline allowance limits it (no I/O here).
  const chain = chainRedeemGuard(db, member?.id ?? null, q.redeemPoints);
  return { at, member, lines, quote: q, payments, holdId: chain.holdId, earnContext };
}

/**
 * Second half, in the same transaction: the sale, its lines, payments, the ledger events `sale`,
 * `redeem`, `earn` with their outbox rows and the balance cache, and the loyalty rules' state.
 */
export function writePricedSale(db: Db, req: SaleRequest, priced: PricedSale): CommittedSale {
  requireWriteTransaction(db, 'writePricedSale');
  const { at, member, quote: q, lines, payments, holdId, earnContext } = priced;
  const saleId = req.saleId ?? uuidv7();
  const receiptNo = ((stmt(db, 'SELECT max(receipt_no) FROM sale').pluck().get() as number | null) ?? 0) + 1;
  const now = new Date().toISOString();
  stmt(db,
    `INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, member_id, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, program_version, effects, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(saleId, receiptNo, terminalId(db), at, member?.id ?? null, q.currency || getSetting<string>(db, 'shop.currency'), q.subtotal, q.discount, q.total, q.redeemPoints, q.redeemValue, q.toPay, q.earnPoints, q.programVersion, JSON.stringify(q.effects), now);
  const pointsRedeemed = allocate(q.redeemPoints, q.lines.map((l) => l.pointsPaid));
  const byNo = new Map(lines.map((l) => [l.lineNo, l]));
  const insLine = stmt(db,
    `INSERT INTO sale_line (sale_id, line_no, product_id, sku, name, category, qty, unit_price, amount, discount, points_paid, points_redeemed, earned, earns_points, payable_with_points)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  q.lines.forEach((ql, i) => {
    const l = byNo.get(ql.lineNo)!;
    insLine.run(saleId, ql.lineNo, l.productId, l.sku, l.name, l.category, l.qty, l.unitPrice, ql.amount, ql.discount, ql.pointsPaid, pointsRedeemed[i]!, ql.earned, l.earnsPoints ? 1 : 0, l.payableWithPoints ? 1 : 0);
  });
  const insPay = stmt(db, 'INSERT INTO payment (sale_id, method, amount, tendered, change) VALUES (?, ?, ?, ?, ?)');
  for (const p of payments) insPay.run(saleId, p.method, p.amount, p.tendered, p.change);

  const memberId = member?.id ?? null;
  const common = { memberId, saleId, occurredAt: at, programVersion: q.programVersion };
  const events = appendEvents(db, [
    {
      ...common,
      kind: 'sale',
      delta: 0,
      payload: {
        receiptNo,
        currency: q.currency,
        subtotal: q.subtotal,
        discount: q.discount,
        total: q.total,
        toPay: q.toPay,
        redeemValue: q.redeemValue,
        redeemPoints: q.redeemPoints,
        // The facts the chain server needs to recompute the earn with the same program version.
        lines: q.lines.map((ql) => {
          const l = byNo.get(ql.lineNo)!;
          return { lineNo: ql.lineNo, productId: l.productId, sku: l.sku, category: l.category, qty: l.qty, unitPrice: l.unitPrice, amount: ql.amount, discount: ql.discount, earnsPoints: l.earnsPoints, payableWithPoints: l.payableWithPoints };
        }),
        payments: payments.map((p) => ({ method: p.method, amount: p.amount })),
        ...(earnContext ? { earnContext } : {}),
      },
    },
    ...(memberId && q.redeemPoints > 0
      ? [{ ...common, kind: 'redeem' as const, delta: -q.redeemPoints, payload: { value: q.redeemValue, reason: effectLabels(q, 'redeem'), ...(holdId ? { holdId } : {}) } }]
      : []),
    ...(memberId && q.earnPoints > 0
      ? [{ ...common, kind: 'earn' as const, delta: q.earnPoints, payload: { reason: effectLabels(q, 'earn') } }]
      : []),
  ]);
  // The rules record their state and may append events of their own (bonuses, rewards).
  const loyalty = recordLoyaltyEffects(db, { saleId, memberId, occurredAt: at, quote: q, events, lines });
  // Last, when every event of this sale has its lot policy: the member's next sale folds from here.
  if (memberId) saveMemberLots(db, memberId);
  const balanceAfter = memberId ? ((stmt(db, 'SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(memberId) as number | undefined) ?? 0) : null;
  return { saleId, receiptNo, at, memberId, quote: q, payments, events: [...events, ...(loyalty?.events ?? [])], balanceAfter, giftCertificates: loyalty?.giftCertificates ?? [], replayed: false };
}

/**
 * Commit a sale: re-quote inside an IMMEDIATE transaction (so the balance the redemption was
 * checked against cannot change underneath), then write the sale, its lines, payments, the
 * ledger events `sale`, `redeem`, `earn` with their outbox rows and the balance cache, and let the
 * loyalty rules record their state — all in one transaction: it all lands or none of it does.
 */
export function commitSale(db: Db, req: SaleRequest): CommittedSale {
  if (req.saleId !== undefined && !isUuid(req.saleId)) fail('VALIDATION', 'saleId must be a UUID');
  return commitTx(db)(req);
}

const commitTx = perConnection((db) =>
  db.transaction((req: SaleRequest): CommittedSale => {
    if (req.saleId) {
      const prior = replayedSale(db, req.saleId);
      if (prior) return prior;
    }
    // The member's lots are folded for the quote, for expiry and for the projection save: each
    // fold after the first only adds the events this sale appended (see withLotFolds).
    return withLotFolds(db, () => writePricedSale(db, req, priceSaleForCommit(db, req)));
  }).immediate,
);

function effectLabels(q: Quote, kind: 'earn' | 'redeem'): string {
  return q.effects.filter((e) => e.kind === kind).map((e) => e.label).join('; ');
}

/** A retried commit with a known saleId returns what was stored instead of selling twice. */
function replayedSale(db: Db, saleId: string): CommittedSale | null {
  const s = stmt(db, 'SELECT * FROM sale WHERE id = ?').get(saleId) as
    | { receipt_no: number; occurred_at: string; member_id: string | null; effects: string; subtotal: number; discount: number; total: number; redeem_points: number; redeem_value: number; to_pay: number; earn_points: number; program_version: number | null; currency: string }
    | undefined;
  if (!s) return null;
  const lines = stmt(db, 'SELECT line_no, amount, discount, points_paid, earned FROM sale_line WHERE sale_id = ? ORDER BY line_no').all(saleId) as { line_no: number; amount: number; discount: number; points_paid: number; earned: number }[];
  const payments = (stmt(db, 'SELECT method, amount, tendered, change FROM payment WHERE sale_id = ? ORDER BY id').all(saleId) as PaymentLine[]).map((p) => ({ ...p }));
  const events = (stmt(db, 'SELECT * FROM ledger_event WHERE sale_id = ? ORDER BY seq').all(saleId) as LedgerRow[]).filter((r) => r.kind === 'sale' || r.kind === 'earn' || r.kind === 'redeem' || r.kind === 'bonus');
  const quote = {
    programVersion: s.program_version, currency: s.currency,
    lines: lines.map((l) => ({ lineNo: l.line_no, amount: l.amount, discount: l.discount, pointsPaid: l.points_paid, earned: l.earned })),
    subtotal: s.subtotal, discount: s.discount, total: s.total, redeemPoints: s.redeem_points, redeemValue: s.redeem_value, toPay: s.to_pay,
    maxRedeemPoints: s.redeem_points, earnPoints: s.earn_points, effects: JSON.parse(s.effects) as Quote['effects'],
  } as unknown as Quote;
  const balanceAfter = s.member_id ? ((stmt(db, 'SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(s.member_id) as number | undefined) ?? 0) : null;
  return { saleId, receiptNo: s.receipt_no, at: s.occurred_at, memberId: s.member_id, quote, payments, events: events.map(rowToEvent), balanceAfter, giftCertificates: [], replayed: true };
}
