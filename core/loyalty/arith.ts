import { allocate as allocateBig, mulDiv as mulDivBig, type Rounding } from '../money/money';

/**
 * The same results as money.mulDiv / money.allocate (a property test holds them equal), with a
 * plain-number path when every intermediate product fits in 2^53: the quote calls these a few
 * hundred times and BigInt conversions dominated its profile.
 */
const SAFE = Number.MAX_SAFE_INTEGER;

export function mulDiv(a: number, num: number, den: number, rounding: Rounding = 'down'): number {
  const p = a * num;
  if (!(a >= 0 && num >= 0 && den > 0 && p <= SAFE && Number.isSafeInteger(a) && Number.isSafeInteger(num) && Number.isSafeInteger(den))) return mulDivBig(a, num, den, rounding);
  let q = Math.floor(p / den);
  let r = p - q * den;
  // p / den is rounded to a double; correct the quotient so 0 ≤ r < den holds exactly.
  if (r < 0) {
    q -= 1;
    r += den;
  } else if (r >= den) {
    q += 1;
    r -= den;
  }
  if (r !== 0 && (rounding === 'up' || (rounding === 'half_up' && r * 2 >= den))) q += 1;
  return q;
}

export function allocate(total: number, weights: readonly number[]): number[] {
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum === 0) return weights.map(() => 0);
  if (!(total >= 0 && total * sum <= SAFE && weights.every((w) => w >= 0))) return allocateBig(total, weights);
  const base = new Array<number>(weights.length);
  const rem = new Array<number>(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const p = total * weights[i]!;
    const q = mulDiv(total, weights[i]!, sum, 'down');
    base[i] = q;
    rem[i] = p - q * sum;
    given += q;
  }
  let rest = total - given;
  if (rest > 0) {
    const order = weights.map((_, i) => i).sort((x, y) => rem[y]! - rem[x]! || x - y);
    for (let k = 0; rest > 0 && k < order.length; k++, rest--) base[order[k]!]! += 1;
  }
  return base;
}
