import type { Quote } from '../loyalty/quote';

/** The engine's Quote → what the contract carries (names kept, engine internals dropped). */
export function quoteToView(q: Quote) {
  return {
    programVersion: q.programVersion, currency: q.currency, lines: q.lines, subtotal: q.subtotal, discount: q.discount, total: q.total,
    redeemPoints: q.redeemPoints, redeemValue: q.redeemValue, toPay: q.toPay, maxRedeemPoints: q.maxRedeemPoints, earnPoints: q.earnPoints,
    effects: q.effects.map((e) => ({ ruleId: e.ruleId, kind: e.kind, label: e.label, points: e.points, amount: e.amount, lineNos: [...e.lineNos] })),
    bonusPoints: q.bonusPoints ?? 0,
    tier: q.tier ? { name: q.tier.name, next: q.tier.next ? { name: q.tier.next.name, remaining: q.tier.next.remaining } : null } : null,
    stamps: (q.stamps ?? []).map((s) => ({ name: s.name, count: s.count, goal: s.goal, added: s.added })),
    lot: q.lot ?? null,
  };
}

