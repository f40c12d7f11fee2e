/**
 * The seam between checkout and the loyalty rules. Checkout asks for a member's snapshot
 * before quoting (`loadMemberSnapshot`), passes what the cashier typed through `quoteExtras`
 * (promo code, certificates, rewards), and hands the committed sale back to
 * `recordLoyaltyEffects` inside its transaction so rule state (bonuses, lots, tiers, stamps,
 * campaign usage, promo use, certificates) lands with the sale or not at all.
 */
export type { MemberSnapshot } from '../../core/loyalty/quote';
export { loadActiveProgram, saveProgram, programByVersion, listPrograms, type ActiveProgram, type ProgramVersionRow } from './program-store';
export { loadMemberSnapshot, memberLots, memberMoves } from './snapshot';
export { recordLoyaltyEffects, recordLotPolicy, type SaleEffectsInput, type SaleEffectsResult } from './record';
export { quoteExtras, type LoyaltyRequest } from './extras';
export { recordAction, onMemberEnrolled, setReferrer } from './bonuses';
export { expirePoints, expireMemberPoints } from './expiry';
export { createPromo, getPromo, listPromos, disablePromo, promoSnapshot } from './promo';
export { issueGiftCertificate, getGiftCertificate, listGiftCertificates, giftLiability, giftSnapshot } from './gift';
export { simulateProgram, type Simulation, type SimDay } from './simulate';
export { receiptLoyaltyExtras } from './receipt';
export { recordRefundEffects, type RefundEffectsInput } from './refund';
