/**
 * Scan-to-screen timing, read by the end-to-end suite: the wedge records when the last key of
 * a scan arrived; panels record when their content reached the DOM (after layout, next frame).
 */
type Timing = { kind: string; key: string; scanAt: number; shownAt: number };
const g = globalThis as unknown as { __kopilkaTimings?: Timing[]; __kopilkaLastScanAt?: number };

export function markScan(at: number): void {
  g.__kopilkaLastScanAt = at;
}

export function markShown(kind: string, key: string): void {
  const scanAt = g.__kopilkaLastScanAt;
  if (scanAt === undefined) return;
  g.__kopilkaLastScanAt = undefined;
  const list = (g.__kopilkaTimings ??= []);
  requestAnimationFrame(() => list.push({ kind, key, scanAt, shownAt: performance.now() }));
}
