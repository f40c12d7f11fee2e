import { allocate as allocateBig, mulDiv as mulDivBig, type Rounding } from '../money/money';

/**
 * The same results as money.mulDiv / money.allocate (a property test holds them equal), with a
 * plain-number path when every intermediate product fits in 2^53: the quote calls these a few
 * hundred times and BigInt conversions dominated its profile.
 */
const SAFE = Number.MAX_SAFE_INTEGER;

/** floor(p / den) for 0 ≤ p ≤ 2^53, den > 0: p / den is rounded to a double, so the quotient is corrected until 0 ≤ p − q·den < den. */
function floorDiv(p: number, den: number): number {
  const q = Math.floor(p / den);
  const r = p - q * den;
  return r < 0 ? q - 1 : r >= den ? q + 1 : q;
}

export function mulDiv(a: number, num: number, den: number, rounding: Rounding = 'down'): number {
  const p = a * num;
  if (!(a >= 0 && num >= 0 && den > 0 && p <= SAFE && Number.isSafeInteger(a) && Number.isSafeInteger(num) && Number.isSafeInteger(den))) return mulDivBig(a, num, den, rounding);
  const q = floorDiv(p, den);
  const r = p - q * den;
  return r !== 0 && (rounding === 'up' || (rounding === 'half_up' && r * 2 >= den)) ? q + 1 : q;
}

export function allocate(total: number, weights: readonly number[]): number[] {
  // Filled with zeros first so the array stays packed.
  const parts = new Array<number>(weights.length).fill(0);
  allocateInto(total, weights, parts);
  return parts;
}

/**
 * Adds index i with remainder r to the parallel lists, kept in largest-remainder-first order
 * (indices arrive ascending, so ties stay in index order). An insertion, not Array#sort: the
 * lists are short and sort allocates a work area on every call.
 */
function insertByRemainder(at: number[], rems: number[], i: number, r: number): void {
  let k = at.length;
  at.push(i);
  rems.push(r);
  while (k > 0 && rems[k - 1]! < r) {
    at[k] = at[k - 1]!;
    rems[k] = rems[k - 1]!;
    k--;
  }
  at[k] = i;
  rems[k] = r;
}

/**
 * `into[i] += allocate(total, weights)[i]` for every i, without building the parts: the quote
 * attributes each earning rule's points to lines this way, and most rules weigh a few lines of many.
 */
export function allocateInto(total: number, weights: readonly number[], into: number[]): void {
  const n = weights.length;
  let sum = 0;
  let nonNegative = true;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    sum += w;
    if (!(w >= 0)) nonNegative = false;
  }
  if (sum === 0) return;
  if (!(total >= 0 && total * sum <= SAFE && nonNegative)) {
    const parts = allocateBig(total, weights);
    for (let i = 0; i < n; i++) into[i]! += parts[i]!;
    return;
  }
  let given = 0;
  const at: number[] = []; // lines with a non-zero remainder, largest first
  const rems: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    // Every product total × w ≤ total × sum fits in 2^53 (checked above).
    const p = total * w;
    const q = floorDiv(p, sum);
    const r = p - q * sum;
    into[i]! += q;
    given += q;
    if (r > 0) insertByRemainder(at, rems, i, r);
  }
  const rest = total - given;
  for (let k = 0; k < rest; k++) into[at[k]!]! += 1;
}
