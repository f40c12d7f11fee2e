import type { LoyaltyBlock } from '../../core/receipt/model';

/**
 * The loyalty extras of a receipt, read from the effects stored with the sale (so a reprint shows
 * what the cashier saw): pending points, "120 pts expire on 30.06", tier progress, stamp cards.
 */
/** Takes any stored effect list (older sales may lack `detail`: they just get no extras). */
export function receiptLoyaltyExtras(effects: readonly Readonly<{ ruleId: string; detail?: Readonly<Record<string, string | number>> }>[]): Pick<LoyaltyBlock, 'pending' | 'expiring' | 'tier' | 'stamps'> {
  const out: { pending?: number; expiring?: { points: number; date: string }; tier?: { name: string; progress?: string }; stamps?: { label: string; have: number; need: number }[] } = {};
  for (const e of effects) {
    const d = e.detail;
    if (!d) continue;
    if (e.ruleId === 'points.pending') out.pending = Number(d.points);
    else if (e.ruleId === 'points.expiry') out.expiring = { points: Number(d.points), date: String(d.date) };
    else if (e.ruleId === 'tier.progress') out.tier = d.progress ? { name: String(d.name), progress: String(d.progress) } : { name: String(d.name) };
    else if (e.ruleId.startsWith('stamps.')) (out.stamps ??= []).push({ label: String(d.label), have: Number(d.have), need: Number(d.need) });
  }
  return out;
}
