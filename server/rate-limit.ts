/**
 * Token buckets in memory, per key (terminal id, or client address before authentication).
 * One server process per database is the supported shape; behind several processes put the
 * limit in the reverse proxy as well (server/README.md).
 */
export type RateLimiter = Readonly<{ take(key: string, cost?: number): { ok: true } | { ok: false; retryAfterSeconds: number } }>;

export function createRateLimiter(perSecond: number, burst: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, cost = 1) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
      if (buckets.size > 10_000) buckets.clear(); // a flood of distinct keys must not grow memory without bound
      if (b.tokens >= cost) {
        b.tokens -= cost;
        buckets.set(key, b);
        return { ok: true };
      }
      buckets.set(key, b);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - b.tokens) / perSecond)) };
    },
  };
}
