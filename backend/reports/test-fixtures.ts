import { uuidv7 } from '../../core/util/ids';
import { appendEvents } from '../db/ledger';
import type { Db } from '../db/types';
import { addStaff, type Actor } from '../staff/staff';

/**
 * Test helpers for shifts and reports: staff with known PINs, and sales/refunds written as raw
 * rows (the same rows checkout and refund write) so report arithmetic can be checked against
 * arbitrary generated histories without going through the rules engine.
 */
export const PINS = { owner: '2580', manager: '1357', cashier: '2468' } as const;

export function seedStaff(db: Db): { owner: Actor; manager: Actor; cashier: Actor } {
  const o = addStaff(db, null, { name: 'Owner Olga', role: 'owner', pin: PINS.owner });
  const owner: Actor = { staffId: o.id, name: o.name, role: 'owner' };
  const m = addStaff(db, owner, { name: 'Manager Misha', role: 'manager', pin: PINS.manager });
  const c = addStaff(db, owner, { name: 'Cashier Katya', role: 'cashier', pin: PINS.cashier });
  return { owner, manager: { staffId: m.id, name: m.name, role: 'manager' }, cashier: { staffId: c.id, name: c.name, role: 'cashier' } };
}

/** Staff rows without PIN hashing (fast, for property tests that only need attribution). */
export function quickStaff(db: Db, names: readonly string[]): Actor[] {
  return names.map((name, i) => {
    const id = uuidv7();
    const role = i === 0 ? 'manager' : 'cashier';
    db.prepare("INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, 'x', '2026-01-01T00:00:00.000Z')").run(id, name, role);
    return { staffId: id, name, role };
  });
}

let phoneSeq = 0;
export function rawMember(db: Db, at: string, name = 'Member'): string {
  const id = uuidv7();
  phoneSeq++;
  const phone = '+7916' + String(1000000 + phoneSeq).slice(-7);
  db.transaction(() => {
    db.prepare('INSERT INTO member (id, phone, name, consent_pd, consent_pd_at, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)').run(id, phone, name, at, at, at);
    appendEvents(db, [{ kind: 'member_create', memberId: id, delta: 0, occurredAt: at, payload: {} }]);
  })();
  return id;
}

export type RawSale = Readonly<{
  memberId: string | null;
  subtotal: number;
  discount: number;
  redeemPoints: number;
  redeemValue: number;
  cash: number;
  card: number;
  earn: number;
  at: string;
  effects?: readonly unknown[];
}>;

export function rawSale(db: Db, s: RawSale): string {
  const id = uuidv7();
  const total = s.subtotal - s.discount;
  const toPay = total - s.redeemValue;
  if (s.cash + s.card !== toPay) throw new Error('rawSale: payments must cover to_pay');
  db.transaction(() => {
    const receiptNo = ((db.prepare('SELECT max(receipt_no) FROM sale').pluck().get() as number | null) ?? 0) + 1;
    db.prepare(
      `INSERT INTO sale (id, receipt_no, terminal_id, occurred_at, member_id, currency, subtotal, discount, total, redeem_points, redeem_value, to_pay, earn_points, program_version, effects, created_at)
       VALUES (?, ?, 'T', ?, ?, 'RUB', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    ).run(id, receiptNo, s.at, s.memberId, s.subtotal, s.discount, total, s.redeemPoints, s.redeemValue, toPay, s.earn, JSON.stringify(s.effects ?? []), s.at);
    db.prepare(
      `INSERT INTO sale_line (sale_id, line_no, product_id, sku, name, category, qty, unit_price, amount, discount, points_paid, points_redeemed, earned, earns_points, payable_with_points)
       VALUES (?, 1, 'p', 'SKU', 'Item', 'cat', 1, ?, ?, ?, ?, ?, ?, 1, 1)`,
    ).run(id, s.subtotal, s.subtotal, s.discount, s.redeemValue, s.redeemPoints, s.earn);
    const pay = db.prepare('INSERT INTO payment (sale_id, method, amount, tendered, change) VALUES (?, ?, ?, NULL, NULL)');
    if (s.cash) pay.run(id, 'cash', s.cash);
    if (s.card) pay.run(id, 'card', s.card);
    if (s.redeemValue) pay.run(id, 'points', s.redeemValue);
    const common = { memberId: s.memberId, saleId: id, occurredAt: s.at };
    appendEvents(db, [
      { kind: 'sale', ...common, memberId: s.memberId, delta: 0 },
      ...(s.memberId && s.redeemPoints ? [{ kind: 'redeem' as const, ...common, delta: -s.redeemPoints }] : []),
      ...(s.memberId && s.earn ? [{ kind: 'earn' as const, ...common, delta: s.earn }] : []),
    ]);
  })();
  return id;
}

export type RawRefund = Readonly<{ kind: 'refund' | 'void'; amount: number; cash: number; card: number; clawed: number; restored: number; at: string; reason?: string }>;

export function rawRefund(db: Db, saleId: string, memberId: string | null, r: RawRefund): string {
  const id = uuidv7();
  db.transaction(() => {
    const no = ((db.prepare('SELECT max(refund_no) FROM refund').pluck().get() as number | null) ?? 0) + 1;
    db.prepare(
      `INSERT INTO refund (id, refund_no, sale_id, kind, occurred_at, amount, cash_amount, card_amount, points_clawed, points_restored, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, no, saleId, r.kind, r.at, r.amount, r.cash, r.card, r.clawed, r.restored, r.reason ?? 'customer returned it', r.at);
    const common = { memberId, saleId, occurredAt: r.at };
    appendEvents(db, [
      { kind: 'refund', ...common, delta: 0 },
      ...(memberId && r.clawed ? [{ kind: 'earn_reversal' as const, ...common, delta: -r.clawed }] : []),
      ...(memberId && r.restored ? [{ kind: 'redeem_reversal' as const, ...common, delta: r.restored }] : []),
    ]);
  })();
  return id;
}
