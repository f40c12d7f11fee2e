import type { QuoteInput } from '../../core/loyalty/quote';
import { fail } from '../../core/util/errors';
import type { Db } from '../db/types';
import { giftSnapshot } from './gift';
import { promoSnapshot } from './promo';

export type LoyaltyRequest = Readonly<{ promoCode?: string | null; giftCodes?: readonly string[]; rewards?: readonly string[] }>;

/** Turn what the cashier typed or scanned (promo code, certificate codes, chosen rewards) into quote input. */
export function quoteExtras(db: Db, req: LoyaltyRequest, memberId: string | null): Pick<QuoteInput, 'promo' | 'giftCards' | 'rewards'> {
  const codes = (req.giftCodes ?? []).map((c) => c.trim().toUpperCase()).filter((c) => c.length > 0);
  if (new Set(codes).size !== codes.length) fail('VALIDATION', 'The same gift certificate was entered twice');
  return {
    promo: req.promoCode ? promoSnapshot(db, req.promoCode, memberId) : null,
    giftCards: codes.map((c) => giftSnapshot(db, c)),
    rewards: [...(req.rewards ?? [])],
  };
}
