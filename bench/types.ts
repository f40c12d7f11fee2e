/** One measured figure. `target` is the goal in words ("≤ 0.3 ms"), `ok` whether it was met. */
export type BenchResult = {
  name: string;
  unit: string;
  value: number;
  target?: string;
  ok?: boolean;
  note?: string;
};

/** p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Time `fn` n times after a warm-up, in milliseconds per call. */
export function sample(n: number, fn: (i: number) => void, warmup = Math.min(200, n)): number[] {
  for (let i = 0; i < warmup; i++) fn(i);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - t) / 1e6;
  }
  return out;
}

/**
 * A commit and a bare commit timed alternately, `warm` untimed rounds first: the two sides of a
 * ratio measured under the same conditions (disk, checkpoints, load). `setup(i)` runs before each
 * round, untimed. Milliseconds per call.
 */
export function timeBesideBare(n: number, warm: number, commit: (i: number) => void, bare: () => void, setup?: (i: number) => void): { commits: number[]; bares: number[] } {
  const commits: number[] = [];
  const bares: number[] = [];
  for (let i = 0; i < n + warm; i++) {
    setup?.(i);
    const t0 = process.hrtime.bigint();
    commit(i);
    const t1 = process.hrtime.bigint();
    bare();
    const t2 = process.hrtime.bigint();
    if (i >= warm) {
      commits.push(Number(t1 - t0) / 1e6);
      bares.push(Number(t2 - t1) / 1e6);
    }
  }
  return { commits, bares };
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
