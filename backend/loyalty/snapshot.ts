import { plusDays } from '../../core/loyalty/calendar';
import { summarizeLots } from '../../core/loyalty/lots';
import { memberLots } from './snapshot-lots';
import type { Program } from '../../core/loyalty/program';
import type { MemberSnapshot, StampState } from '../../core/loyalty/quote';
import type { Db } from '../db/types';
import { stmt } from '../db/statements';
import { loadActiveProgram } from './program-store';
import { memberSpend } from './spend';
import { chainSpendable } from '../sync/chain-checkout';
import { withChainLoyalty } from '../sync/chain-loyalty';

export { memberLots, memberMoves } from './snapshot-lots';

type MemberStateRow = {
  birthday: string | null; tier: string | null; stamps: string; campaigns: string; grants: string; referrer: string | null; has_sale: number;
};

/**
 * The member's rule state in one statement (checkout reads it on every member sale; seven point
 * reads cost seven statement round trips). Lists come back as JSON arrays in key order.
 */
function memberState(db: Db, memberId: string): MemberStateRow {
  return stmt(db,
    `SELECT
       (SELECT birthday FROM member WHERE id = $m) AS birthday,
       (SELECT json_array(level_id, review_at) FROM loyalty_tier WHERE member_id = $m) AS tier,
       (SELECT json_group_array(json_array(card_id, count, last_at)) FROM loyalty_stamp WHERE member_id = $m) AS stamps,
       (SELECT json_group_array(json_array(campaign_id, n)) FROM (SELECT campaign_id, count(*) AS n FROM loyalty_campaign_use WHERE member_id = $m GROUP BY campaign_id)) AS campaigns,
       (SELECT json_group_array(json_array(kind, key)) FROM loyalty_grant WHERE member_id = $m) AS grants,
       (SELECT referrer_id FROM loyalty_referral WHERE member_id = $m) AS referrer,
       EXISTS (SELECT 1 FROM sale WHERE member_id = $m) AS has_sale`,
  ).get({ m: memberId }) as MemberStateRow;
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
  const st = memberState(db, memberId);
  const stamps: Record<string, StampState> = {};
  for (const [cardId, count, lastAt] of JSON.parse(st.stamps) as [string, number, string | null][]) stamps[cardId] = { count, lastAt };
  const campaignUses: Record<string, number> = {};
  for (const [campaignId, n] of JSON.parse(st.campaigns) as [string, number][]) campaignUses[campaignId] = n;
  const grants = (JSON.parse(st.grants) as [string, string][]).map(([kind, key]) => ({ kind, key }));
  const tier = st.tier === null ? null : (JSON.parse(st.tier) as [string, string]);
  const tiers = program.tiers;
  const windowStart = tiers && tiers.basis === 'rolling' ? plusDays(atIso, -tiers.windowDays, program.timezone) : null;
  // On a till registered with a chain server, the chain's tier, spend and stamp cards (from every
  // shop) are combined with this till's own later sales; a stand-alone till gets this snapshot as is.
  return withChainLoyalty(db, {
    id: memberId,
    // On a till registered with a chain server, the chain's balance (earned in any shop) is what can be spent.
    balance: chainSpendable(db, memberId, summary.pending, atIso) ?? summary.available,
    pending: summary.pending,
    tier: tier ? { levelId: tier[0], reviewAt: tier[1] } : null,
    windowSpend: tiers?.basis === 'rolling' ? memberSpend(db, program, memberId, windowStart, atIso) : 0,
    lifetimeSpend: tiers?.basis === 'lifetime' ? memberSpend(db, program, memberId, null, atIso) : 0,
    stamps,
    campaignUses,
    birthday: st.birthday,
    birthdayBonusYears: grants.filter((g) => g.kind === 'birthday').map((g) => Number(g.key)),
    firstPurchase: st.has_sale === 0,
    welcomeGranted: grants.some((g) => g.kind === 'welcome'),
    referrerId: st.referrer,
    referralGranted: grants.some((g) => g.kind === 'referral_new'),
    lots: summary.lots,
  }, atIso, program);
}
