/**
 * The seam between checkout and the loyalty rules. Checkout asks for a member's snapshot
 * before quoting and hands the committed sale back so rule state (tiers, stamps, lots,
 * campaign usage) can be recorded in the same transaction. The loyalty-rules work owns this
 * folder and grows both functions; checkout only calls them.
 */
export type { MemberSnapshot } from '../../core/loyalty/quote';
