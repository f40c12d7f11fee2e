import type { LedgerEvent } from '../../core/ledger/event';
import { isGiftCertificate, type CartLine, type Quote } from '../../core/loyalty/quote';
import { appendEvents } from '../db/ledger';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { expireMemberPoints } from './expiry';
import { issueGiftCertificate, spendGift, type GiftCertificate } from './gift';
import { programByVersion } from './program-store';

export type SaleEffectsInput = Readonly<{
  saleId: string;
  memberId: string | null;
  occurredAt: string;
  quote: Quote;
  events: readonly LedgerEvent[];
  /** The cart lines as just written to sale_line; checkout passes them so they aren't read back (commit path). */
  lines?: readonly CartLine[];
}>;

export type SaleEffectsResult = Readonly<{
  /** `bonus` and reward `redeem` events written here (checkout writes `sale`, `earn`, `redeem`). */
  events: readonly LedgerEvent[];
  /** Certificates sold on this sale, with their codes for the receipt. */
  giftCertificates: readonly GiftCertificate[];
}>;

/** Remember when points of a positive event become spendable and when they lapse (never re-dated later). */
export function recordLotPolicy(db: Db, e: LedgerEvent, lot: Quote['lot']): void {
  if (e.memberId === null || e.delta <= 0) return;
  stmt(db, 'INSERT INTO loyalty_lot (event_id, member_id, available_at, expires_at, program_version) VALUES (?, ?, ?, ?, ?)').run(e.id, e.memberId, lot.availableAt, lot.expiresAt, e.programVersion);
}

/**
 * Called inside the checkout transaction after the sale and its ledger events are written.
 * Writes what the rules decided beyond plain earn/redeem: bonus events (birthday, welcome,
 * referral — the referrer's goes to the referrer), catalog rewards paid with points, lot policy,
 * tier state, stamps, campaign usage, promo use, certificates spent and certificates sold.
 */
export function recordLoyaltyEffects(db: Db, input: SaleEffectsInput): SaleEffectsResult {
  const q = input.quote;
  const { saleId, memberId, occurredAt: at } = input;
  const lot = q.lot ?? { availableAt: at, expiresAt: null };
  const common = { saleId, occurredAt: at, programVersion: q.programVersion };
  const written: LedgerEvent[] = [];

  if (memberId) {
    const bonuses = q.bonuses ?? [];
    const rewards = (q.effects ?? []).filter((e) => e.kind === 'redeem' && e.ruleId.startsWith('reward.'));
    const events = appendEvents(db, [
      ...bonuses.map((b) => ({ ...common, kind: 'bonus' as const, memberId: b.memberId, delta: b.points, payload: { reason: b.kind, key: b.key, label: b.label } })),
      ...rewards.map((r) => ({ ...common, kind: 'redeem' as const, memberId, delta: r.points, payload: { reason: 'reward', rewardId: r.ruleId.slice('reward.'.length), label: r.label, value: r.amount } })),
    ]);
    written.push(...events);
    const grant = stmt(db, 'INSERT INTO loyalty_grant (member_id, kind, key, event_id, sale_id, granted_at) VALUES (?, ?, ?, ?, ?, ?)');
    bonuses.forEach((b, i) => grant.run(b.memberId, b.kind, b.key, events[i]!.id, saleId, at));
    for (const e of [...input.events, ...events]) if (e.kind === 'earn' || e.kind === 'bonus') recordLotPolicy(db, e, lot);

    if (q.tier) {
      stmt(db,
        `INSERT INTO loyalty_tier (member_id, level_id, review_at, since, program_version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (member_id) DO UPDATE SET
           since = CASE WHEN level_id = excluded.level_id THEN since ELSE excluded.since END,
           level_id = excluded.level_id, review_at = excluded.review_at, program_version = excluded.program_version, updated_at = excluded.updated_at`,
      ).run(memberId, q.tier.stateAfter.levelId, q.tier.stateAfter.reviewAt, at, q.programVersion, at);
    }
    const stamp = stmt(db,
      `INSERT INTO loyalty_stamp (member_id, card_id, count, last_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (member_id, card_id) DO UPDATE SET count = excluded.count, last_at = excluded.last_at`,
    );
    for (const s of q.stamps ?? []) stamp.run(memberId, s.cardId, s.count, s.lastAt);
    // Per-sale stamps for the shift's Z report (shifts area, issue 6; table from migration 064).
    const perSale = stmt(db, 'INSERT INTO sale_stamp (sale_id, card_id, added, rewards) VALUES (?, ?, ?, ?)');
    for (const s of q.stamps ?? []) if (s.added > 0 || s.rewards > 0) perSale.run(saleId, s.cardId, s.added, s.rewards);
    const use = stmt(db, 'INSERT INTO loyalty_campaign_use (member_id, campaign_id, sale_id, used_at) VALUES (?, ?, ?, ?)');
    for (const c of q.campaignsUsed ?? []) use.run(memberId, c, saleId, at);
    // Lapsed points of this member become `expire` events now, so the balance cache matches what is spendable.
    written.push(...expireMemberPoints(db, memberId, at));
  }

  if (q.promoCode) stmt(db, 'INSERT INTO promo_use (code, sale_id, member_id, used_at) VALUES (?, ?, ?, ?)').run(q.promoCode, saleId, memberId, at);
  for (const g of q.gifts ?? []) spendGift(db, g.code, g.amount, saleId, at);

  // Certificates sold: one per unit, worth what was paid for it.
  const program = programByVersion(db, q.programVersion);
  const sold: GiftCertificate[] = [];
  const lines = input.lines ? [...input.lines].sort((a, b) => a.lineNo - b.lineNo) : storedLines(db, saleId);
  for (const cart of lines) {
    if (!isGiftCertificate(program, cart)) continue;
    for (let u = 0; u < cart.qty; u++) {
      sold.push(issueGiftCertificate(db, { amount: cart.unitPrice, currency: q.currency, at, zone: program.timezone, validDays: program.giftCertificates.validDays, saleId, reason: 'sold' }));
    }
  }
  return { events: written, giftCertificates: sold };
}

function storedLines(db: Db, saleId: string): CartLine[] {
  const rows = stmt(db, 'SELECT line_no, product_id, sku, name, category, qty, unit_price, earns_points, payable_with_points FROM sale_line WHERE sale_id = ? ORDER BY line_no').all(saleId) as {
    line_no: number; product_id: string; sku: string; name: string; category: string; qty: number; unit_price: number; earns_points: number; payable_with_points: number;
  }[];
  return rows.map((l) => ({ lineNo: l.line_no, productId: l.product_id, sku: l.sku, name: l.name, category: l.category, qty: l.qty, unitPrice: l.unit_price, earnsPoints: l.earns_points === 1, payableWithPoints: l.payable_with_points === 1 }));
}
