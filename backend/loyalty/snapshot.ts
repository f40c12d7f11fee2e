import { plusDays } from '../../core/loyalty/calendar';
import { replayLots, summarizeLots, type LedgerMove, type LotReplay } from '../../core/loyalty/lots';
import type { Program } from '../../core/loyalty/program';
import type { MemberSnapshot, StampState } from '../../core/loyalty/quote';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { loadActiveProgram } from './program-store';
import { memberSpend } from './spend';
import { chainSpendable } from '../sync/chain-checkout';

/** Every point movement of a member with the lot policy recorded when it was earned. */
export function memberMoves(db: Db, memberId: string, beforeIso?: string): LedgerMove[] {
  const sql = `SELECT e.seq, e.id, e.kind, e.delta, e.ref_event_id, e.occurred_at, l.available_at, l.expires_at
       FROM ledger_event e LEFT JOIN loyalty_lot l ON l.event_id = e.id
       WHERE e.member_id = ? AND e.delta <> 0 ${beforeIso ? 'AND julianday(e.occurred_at) < julianday(?)' : ''} ORDER BY e.seq`;
  const rows = stmt(db, sql)
    .all(...(beforeIso ? [memberId, beforeIso] : [memberId])) as { seq: number; id: string; kind: string; delta: number; ref_event_id: string | null; occurred_at: string; available_at: string | null; expires_at: string | null }[];
  return rows.map((r) => ({ seq: r.seq, eventId: r.id, kind: r.kind, delta: r.delta, refEventId: r.ref_event_id, occurredAt: r.occurred_at, availableAt: r.available_at, expiresAt: r.expires_at }));
}

export function memberLots(db: Db, memberId: string, beforeIso?: string): LotReplay {
  return replayLots(memberMoves(db, memberId, beforeIso));
}

/**
 * What the engine needs to know about a member at `atIso`: spendable vs pending points (lots
 * replayed from the ledger), tier and qualifying spend, stamps, campaign usage, birthday and the
 * one-off bonuses already given, whether this is the first purchase, and the open lots for the
 * "N pts expire on DD.MM" line.
 */
export function loadMemberSnapshot(db: Db, memberId: string, atIso: string, programArg?: Program): MemberSnapshot {
  const program = programArg ?? loadActiveProgram(db, atIso).program;
  const summary = summarizeLots(memberLots(db, memberId), atIso);
  const member = stmt(db, 'SELECT birthday FROM member WHERE id = ?').get(memberId) as { birthday: string | null } | undefined;
  const tier = stmt(db, 'SELECT level_id, review_at FROM loyalty_tier WHERE member_id = ?').get(memberId) as { level_id: string; review_at: string } | undefined;
  const stamps: Record<string, StampState> = {};
  for (const s of stmt(db, 'SELECT card_id, count, last_at FROM loyalty_stamp WHERE member_id = ?').all(memberId) as { card_id: string; count: number; last_at: string | null }[]) {
    stamps[s.card_id] = { count: s.count, lastAt: s.last_at };
  }
  const campaignUses: Record<string, number> = {};
  for (const c of stmt(db, 'SELECT campaign_id, count(*) AS n FROM loyalty_campaign_use WHERE member_id = ? GROUP BY campaign_id').all(memberId) as { campaign_id: string; n: number }[]) {
    campaignUses[c.campaign_id] = c.n;
  }
  const grants = stmt(db, 'SELECT kind, key FROM loyalty_grant WHERE member_id = ?').all(memberId) as { kind: string; key: string }[];
  const referral = stmt(db, 'SELECT referrer_id FROM loyalty_referral WHERE member_id = ?').pluck().get(memberId) as string | undefined;
  const sales = stmt(db, 'SELECT count(*) FROM sale WHERE member_id = ?').pluck().get(memberId) as number;
  const tiers = program.tiers;
  const windowStart = tiers && tiers.basis === 'rolling' ? plusDays(atIso, -tiers.windowDays, program.timezone) : null;
  return {
    id: memberId,
    // On a till registered with a chain server, the chain's balance (earned in any shop) is what can be spent.
    balance: chainSpendable(db, memberId, summary.pending) ?? summary.available,
    pending: summary.pending,
    tier: tier ? { levelId: tier.level_id, reviewAt: tier.review_at } : null,
    windowSpend: tiers?.basis === 'rolling' ? memberSpend(db, program, memberId, windowStart, atIso) : 0,
    lifetimeSpend: tiers?.basis === 'lifetime' ? memberSpend(db, program, memberId, null, atIso) : 0,
    stamps,
    campaignUses,
    birthday: member?.birthday ?? null,
    birthdayBonusYears: grants.filter((g) => g.kind === 'birthday').map((g) => Number(g.key)),
    firstPurchase: sales === 0,
    welcomeGranted: grants.some((g) => g.kind === 'welcome'),
    referrerId: referral ?? null,
    referralGranted: grants.some((g) => g.kind === 'referral_new'),
    lots: summary.lots,
  };
}
