import { epoch, plusDays } from './calendar';
import type { TierLevel, Tiers } from './program';

/** What the terminal stores about a member's level between sales. */
export type TierState = Readonly<{ levelId: string; reviewAt: string }>;

export type TierChange = 'new' | 'same' | 'upgrade' | 'downgrade' | 'renew' | 'grace';

export type TierEvaluation = Readonly<{
  level: TierLevel;
  state: TierState;
  change: TierChange;
  /** The level the spend alone would give (may be lower than `level` while a downgrade waits). */
  qualified: TierLevel;
}>;

/** Highest level whose threshold the spend reaches. Levels start at 0, so there always is one. */
export function qualifiedLevel(tiers: Tiers, spend: number): TierLevel {
  let best = tiers.levels[0]!;
  for (const l of tiers.levels) if (spend >= l.threshold && l.threshold >= best.threshold) best = l;
  return best;
}

/**
 * Levels go up at once and come down only at the end of a period, after a grace period.
 * A level the program no longer has is replaced by what the spend qualifies for.
 */
export function evaluateTier(tiers: Tiers, stored: TierState | null | undefined, spend: number, at: string, zone: string): TierEvaluation {
  const qualified = qualifiedLevel(tiers, spend);
  const current = stored ? tiers.levels.find((l) => l.id === stored.levelId) : undefined;
  if (!stored || !current) return fresh(tiers, qualified, 'new', at, zone);
  if (qualified.threshold > current.threshold) return fresh(tiers, qualified, 'upgrade', at, zone);
  const now = epoch(at)!;
  const review = epoch(stored.reviewAt)!;
  if (now < review) return { level: current, qualified, change: 'same', state: stored };
  if (qualified.threshold === current.threshold) {
    // Kept the level through the period: the next review is one period later (skipping missed ones).
    let next = stored.reviewAt;
    while (epoch(next)! <= now) next = plusDays(next, tiers.periodDays, zone);
    return { level: current, qualified, change: 'renew', state: { levelId: current.id, reviewAt: next } };
  }
  const graceEnd = epoch(plusDays(stored.reviewAt, tiers.graceDays, zone))!;
  if (now < graceEnd) return { level: current, qualified, change: 'grace', state: stored };
  return fresh(tiers, qualified, 'downgrade', at, zone);
}

/** The qualified level from now on, reviewed one period from now. */
function fresh(tiers: Tiers, qualified: TierLevel, change: TierChange, at: string, zone: string): TierEvaluation {
  return { level: qualified, qualified, change, state: { levelId: qualified.id, reviewAt: plusDays(at, tiers.periodDays, zone) } };
}

/** The next level up and how much more spend it needs ("2 300 ₽ to Gold"); null at the top. */
export function nextLevel(tiers: Tiers, spend: number): Readonly<{ level: TierLevel; remaining: number }> | null {
  const up = tiers.levels.filter((l) => l.threshold > spend).sort((a, b) => a.threshold - b.threshold)[0];
  return up ? { level: up, remaining: up.threshold - spend } : null;
}
