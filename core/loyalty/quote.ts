import { allocate, mulDiv } from '../money/money';
import { fail } from '../util/errors';
import type { Program } from './program';

/**
 * The quote is a pure, deterministic function of (program, cart, member, time, redeem request).
 * It never depends on the order of lines: every aggregate is a sum, and allocations break ties
 * by line number. Every effect carries the reason a cashier can read out.
 */
export type CartLine = Readonly<{
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  category: string;
  qty: number; // whole units
  unitPrice: number; // minor units
  earnsPoints: boolean;
  payableWithPoints: boolean;
}>;

export type MemberSnapshot = Readonly<{
  id: string;
  balance: number; // spendable points
}>;

export type RedeemRequest = Readonly<{ mode: 'none' } | { mode: 'max' } | { mode: 'points'; points: number }>;

export type Effect = Readonly<{
  ruleId: string;
  kind: 'earn' | 'redeem' | 'discount' | 'info';
  label: string;
  points: number; // signed points this effect moves (earn > 0, redeem < 0), 0 for info
  amount: number; // minor units of money this effect moves (redeem value, discount), 0 otherwise
  lineNos: readonly number[];
}>;

export type QuotedLine = Readonly<{
  lineNo: number;
  amount: number; // qty × unit price
  discount: number;
  pointsPaid: number; // minor units of this line paid with points
  earned: number; // points earned attributed to this line (for proportional clawback)
}>;

export type Quote = Readonly<{
  programVersion: number | null;
  currency: string;
  lines: readonly QuotedLine[];
  subtotal: number;
  discount: number;
  total: number; // subtotal - discount
  redeemPoints: number;
  redeemValue: number; // minor units paid with points
  toPay: number; // total - redeemValue: what the customer pays in money
  maxRedeemPoints: number;
  earnPoints: number;
  effects: readonly Effect[];
}>;

export type QuoteInput = Readonly<{
  program: Program;
  programVersion: number | null;
  lines: readonly CartLine[];
  member: MemberSnapshot | null;
  redeem: RedeemRequest;
  at: string;
}>;

/** Upper bounds that stop garbage (a scanner dumping digits into a quantity) before it reaches money. */
export const MAX_QTY = 999;
export const MAX_LINES = 200;

export function validateCart(lines: readonly CartLine[]): void {
  if (lines.length === 0) fail('VALIDATION', 'The cart is empty: add at least one item');
  if (lines.length > MAX_LINES) fail('VALIDATION', `A sale can have at most ${MAX_LINES} lines`);
  const seen = new Set<number>();
  for (const l of lines) {
    if (seen.has(l.lineNo)) fail('VALIDATION', `Line number ${l.lineNo} appears twice`);
    seen.add(l.lineNo);
    if (!Number.isSafeInteger(l.qty) || l.qty <= 0) fail('VALIDATION', `Quantity of "${l.name}" must be a whole number above zero, got ${l.qty}`);
    if (l.qty > MAX_QTY) fail('VALIDATION', `Quantity ${l.qty} of "${l.name}" is too large (at most ${MAX_QTY})`);
    if (!Number.isSafeInteger(l.unitPrice) || l.unitPrice < 0) fail('VALIDATION', `Price of "${l.name}" must be a whole, non-negative number of minor units`);
  }
}

function earnBps(program: Program): { num: number; den: number; label: string } {
  const b = program.earn.base;
  switch (b.mode) {
    case 'percent':
      return { num: b.bps, den: 10_000, label: `${fmtPct(b.bps)} cashback` };
    case 'per_amount':
      return { num: b.points, den: b.per, label: `${b.points} pts per ${b.per / 100} ${program.currency}` };
  }
}

export function fmtPct(bps: number): string {
  return (bps % 100 === 0 ? String(bps / 100) : (bps / 100).toFixed(2).replace(/0$/, '')) + '%';
}

export function quote(input: QuoteInput): Quote {
  const { program, member } = input;
  validateCart(input.lines);
  // Sort once by line number so every later step is independent of the order lines arrived in.
  const lines = [...input.lines].sort((a, b) => a.lineNo - b.lineNo);
  const amounts = lines.map((l) => l.qty * l.unitPrice);
  const subtotal = amounts.reduce((a, b) => a + b, 0);
  const discounts = lines.map(() => 0);
  const discount = 0;
  const total = subtotal - discount;
  const effects: Effect[] = [];

  // --- Redemption ---------------------------------------------------------
  const payable = lines.map((l, i) => (l.payableWithPoints ? amounts[i]! - discounts[i]! : 0));
  const payableTotal = payable.reduce((a, b) => a + b, 0);
  const pv = program.redeem.pointValue;
  let maxRedeemPoints = 0;
  if (member && program.redeem.enabled && member.balance >= Math.max(1, program.redeem.minBalance)) {
    const capValue = mulDiv(payableTotal, program.redeem.maxShareBps, 10_000, 'down');
    maxRedeemPoints = Math.max(0, Math.min(member.balance, Math.floor(capValue / pv)));
  }
  let redeemPoints = 0;
  const req = input.redeem;
  switch (req.mode) {
    case 'none':
      break;
    case 'max':
      redeemPoints = maxRedeemPoints;
      break;
    case 'points': {
      if (!Number.isSafeInteger(req.points) || req.points < 0) fail('VALIDATION', `Points to redeem must be a whole number ≥ 0, got ${req.points}`);
      if (req.points > 0 && !member) fail('VALIDATION', 'Identify the member before redeeming points');
      if (member && req.points > member.balance) {
        fail('INSUFFICIENT_POINTS', `The member has ${member.balance} points; cannot redeem ${req.points}`, { balance: member.balance, requested: req.points });
      }
      if (req.points > maxRedeemPoints) {
        fail('LIMIT_EXCEEDED', redeemRefusal(program, member?.balance ?? 0, maxRedeemPoints, req.points), { max: maxRedeemPoints, requested: req.points });
      }
      redeemPoints = req.points;
      break;
    }
  }
  const redeemValue = redeemPoints * pv;
  const pointsPaid = allocate(redeemValue, payable);
  if (member && program.redeem.enabled) {
    effects.push({
      ruleId: 'redeem.cap',
      kind: 'info',
      label: `Up to ${fmtPct(program.redeem.maxShareBps)} of eligible items payable with points: max ${maxRedeemPoints} pts`,
      points: 0,
      amount: 0,
      lineNos: [],
    });
  }
  if (redeemPoints > 0) {
    effects.push({
      ruleId: 'redeem',
      kind: 'redeem',
      label: `Paid with points · −${redeemPoints}`,
      points: -redeemPoints,
      amount: redeemValue,
      lineNos: lines.filter((_, i) => pointsPaid[i]! > 0).map((l) => l.lineNo),
    });
  }

  // --- Earning ------------------------------------------------------------
  const base = lines.map((l, i) => {
    if (!l.earnsPoints) return 0;
    const paidWithPoints = program.earn.earnOnPointsPaid ? 0 : pointsPaid[i]!;
    return amounts[i]! - discounts[i]! - paidWithPoints;
  });
  const baseTotal = base.reduce((a, b) => a + b, 0);
  let earnPoints = 0;
  if (member) {
    if (total < program.earn.minCheck) {
      effects.push({ ruleId: 'earn.minCheck', kind: 'info', label: `No points below a check of ${program.earn.minCheck / 100} ${program.currency}`, points: 0, amount: 0, lineNos: [] });
    } else {
      const r = earnBps(program);
      earnPoints = mulDiv(baseTotal, r.num, r.den, program.earn.rounding);
      if (earnPoints > 0) {
        effects.push({ ruleId: 'earn.base', kind: 'earn', label: `${r.label} · +${earnPoints}`, points: earnPoints, amount: 0, lineNos: lines.filter((_, i) => base[i]! > 0).map((l) => l.lineNo) });
      }
      const excluded = lines.filter((l) => !l.earnsPoints);
      if (excluded.length > 0) {
        effects.push({ ruleId: 'earn.excluded', kind: 'info', label: `No points on: ${excluded.map((l) => l.name).join(', ')}`, points: 0, amount: 0, lineNos: excluded.map((l) => l.lineNo) });
      }
    }
  }
  const earnedPerLine = allocate(earnPoints, base);

  return {
    programVersion: input.programVersion,
    currency: program.currency,
    lines: lines.map((l, i) => ({ lineNo: l.lineNo, amount: amounts[i]!, discount: discounts[i]!, pointsPaid: pointsPaid[i]!, earned: earnedPerLine[i]! })),
    subtotal,
    discount,
    total,
    redeemPoints,
    redeemValue,
    toPay: total - redeemValue,
    maxRedeemPoints,
    earnPoints,
    effects,
  };
}

function redeemRefusal(program: Program, balance: number, max: number, requested: number): string {
  if (balance < program.redeem.minBalance) return `Redeeming starts at ${program.redeem.minBalance} points; the member has ${balance}`;
  return `At most ${max} points can pay for this check (${fmtPct(program.redeem.maxShareBps)} of eligible items); asked for ${requested}`;
}
