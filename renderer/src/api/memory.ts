/**
 * An in-memory backend implementing the whole contract with the same pure core the real one
 * uses (loyalty quote, phone normalisation, card codes). Component tests and the shared
 * contract suite run against it; the suite keeps it honest against the SQLite backend.
 */
import { CHANNEL_NAMES, CONTRACT_VERSION, type Handlers, type MemberView, type Product } from '../../../core/contract';
import type { ReceiptSchema } from '../../../core/contract';
import { DEFAULT_PROGRAM, parseProgram, type Program } from '../../../core/loyalty/program';
import { quote, type CartLine, type Quote } from '../../../core/loyalty/quote';
import { maskPhone, normalizePhone, parseCardCode, parseLast4 } from '../../../core/members';
import { fail } from '../../../core/util/errors';
import { uuidv7 } from '../../../core/util/ids';
import type { z } from 'zod';
import { createEventBus } from './local';
import { quoteToView } from '../../../core/contract/views';

type Receipt = z.input<typeof ReceiptSchema>;
export type SeedProduct = Readonly<{ sku: string; name: string; category: string; price: number; barcodes?: readonly string[]; earnsPoints?: boolean; payableWithPoints?: boolean }>;
export type SeedMember = Readonly<{ name: string; phone: string; card?: string; birthday?: string; consentPd?: boolean; consentMarketing?: boolean; welcomePoints?: number }>;
export type MemorySeed = Readonly<{ products: readonly SeedProduct[]; members: readonly SeedMember[]; staff: readonly { name: string; pin: string; role: 'manager' | 'owner' | 'cashier' }[]; shopName?: string }>;

type Mem = { id: string; name: string; phone: string; card: string | null; birthday: string | null; consent: boolean; marketing: boolean; balance: number };
type SaleLine = { lineNo: number; productId: string; name: string; qty: number; unitPrice: number; amount: number; refunded: number; earned: number; pointsPaid: number };
type Sale = { id: string; number: string; at: string; memberId: string | null; lines: SaleLine[]; q: Quote; receipt: Receipt; refundedAmount: number };

export function createMemoryBackend(seed: MemorySeed, clock: () => Date = () => new Date()) {
  const bus = createEventBus();
  const products: Product[] = seed.products.map((p, i) => ({
    id: `p${i + 1}`, sku: p.sku, name: p.name, category: p.category, price: p.price, barcodes: [...(p.barcodes ?? [])],
    earnsPoints: p.earnsPoints ?? true, payableWithPoints: p.payableWithPoints ?? true,
  }));
  const members: Mem[] = [];
  const sales: Sale[] = [];
  const sessions = new Map<string, { name: string; role: 'manager' | 'owner' | 'cashier'; expiresAt: string }>();
  const programs: { version: number; program: Program; at: string }[] = [{ version: 1, program: DEFAULT_PROGRAM, at: clock().toISOString() }];
  const program = () => programs[programs.length - 1]!;
  const processed = new Map<string, unknown>();

  const addMember = (m: { name: string; phone: string; card?: string | null; birthday?: string | null; consent: boolean; marketing?: boolean }, balance = 0): Mem => {
    const phone = normalizePhone(m.phone);
    if (members.some((x) => x.phone === phone)) fail('CONFLICT', `A member with phone ${maskPhone(phone)} already exists: look them up instead`);
    const card = m.card ? parseCardCode(m.card).code : null;
    if (card && members.some((x) => x.card === card)) fail('CONFLICT', `Card ${card} already belongs to another member`);
    const mem: Mem = { id: uuidv7(), name: m.name, phone, card, birthday: m.birthday ?? null, consent: m.consent, marketing: m.marketing ?? false, balance };
    members.push(mem);
    return mem;
  };
  for (const m of seed.members) addMember({ name: m.name, phone: m.phone, card: m.card ?? null, birthday: m.birthday ?? null, consent: m.consentPd ?? true, marketing: m.consentMarketing ?? false }, m.welcomePoints ?? 0);

  const view = (m: Mem): MemberView => ({
    id: m.id, name: m.name, phoneMasked: maskPhone(m.phone), cardCode: m.card, balance: m.balance, pending: 0, expiring: null,
    tier: null, stamps: [], consent: m.consent, birthday: m.birthday,
  });
  const memberById = (id: string): Mem => members.find((m) => m.id === id) ?? fail('NOT_FOUND', 'No such member: look them up again');
  const productById = (id: string): Product => products.find((p) => p.id === id) ?? fail('NOT_FOUND', `No such product (${id}): reload the catalog`);
  const needSession = (s: string) => {
    const sess = sessions.get(s);
    if (!sess || sess.expiresAt < clock().toISOString()) fail('UNAUTHENTICATED', 'The manager session has ended: enter the PIN again');
    return sess;
  };
  const staffByPin = (pin: string) => seed.staff.find((s) => s.pin === pin) ?? fail('UNAUTHENTICATED', 'Wrong PIN. Check it and try again');

  const cart = (lines: readonly { productId: string; qty: number }[]): CartLine[] =>
    lines.map((l, i) => {
      const p = productById(l.productId);
      return { lineNo: i + 1, productId: p.id, sku: p.sku, name: p.name, category: p.category, qty: l.qty, unitPrice: p.price, earnsPoints: p.earnsPoints, payableWithPoints: p.payableWithPoints };
    });
  const priced = (lines: readonly { productId: string; qty: number }[], memberId: string | null, redeem: Parameters<typeof quote>[0]['redeem']) => {
    const c = cart(lines);
    const m = memberId ? memberById(memberId) : null;
    const q = quote({ program: program().program, programVersion: program().version, lines: c, member: m ? { id: m.id, balance: m.balance } : null, redeem, at: clock().toISOString() });
    return { c, m, q, view: { ...quoteToView(q), lines: q.lines.map((l) => { const cl = c.find((x) => x.lineNo === l.lineNo)!; return { ...l, productId: cl.productId, name: cl.name, qty: cl.qty, unitPrice: cl.unitPrice }; }) } };
  };
  const fmtTime = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

  const own: Partial<Handlers> = {
    'app.info': () => ({ contractVersion: CONTRACT_VERSION, terminalId: 'memory', shopName: seed.shopName ?? 'Kopilka demo', currency: 'RUB', locale: 'ru', demo: true }),
    'status.get': () => ({
      printer: { state: 'ready', detail: 'virtual printer' }, scanner: { state: 'ready', detail: 'keyboard wedge' },
      sync: { state: 'disabled', lastSyncAt: null, queuedEvents: 0, error: null }, online: true, queuedReceipts: 0,
    }),
    'auth.login': ({ pin }) => {
      const s = staffByPin(pin);
      if (s.role === 'cashier') fail('FORBIDDEN', 'This PIN belongs to a cashier: a manager must log in');
      const session = uuidv7() + uuidv7().slice(0, 8);
      const expiresAt = new Date(clock().getTime() + 30 * 60_000).toISOString();
      sessions.set(session, { name: s.name, role: s.role, expiresAt });
      return { session, name: s.name, role: s.role, expiresAt };
    },
    'auth.logout': ({ session }) => { sessions.delete(session); return { ok: true as const }; },
    'catalog.list': () => ({ categories: [...new Set(products.map((p) => p.category))], products }),
    'catalog.byBarcode': ({ code }) => products.find((p) => p.barcodes.includes(code) || p.sku === code) ?? null,
    'member.identify': ({ code }) => {
      const c = parseCardCode(code).code;
      const m = members.find((x) => x.card === c);
      return m ? view(m) : null;
    },
    'member.findByPhone': ({ phone }) => {
      const p = normalizePhone(phone);
      const m = members.find((x) => x.phone === p);
      return m ? view(m) : null;
    },
    'member.findByLast4': ({ last4 }) => {
      const l = parseLast4(last4);
      return members.filter((m) => m.phone.endsWith(l)).map((m) => ({ id: m.id, name: m.name, phoneMasked: maskPhone(m.phone) }));
    },
    'member.get': ({ id }) => view(memberById(id)),
    'member.enrol': (i) => {
      if (!i.consent) fail('VALIDATION', 'The customer must agree to the processing of personal data before enrolment');
      return view(addMember({ name: i.name, phone: i.phone, card: i.cardCode, birthday: i.birthday, consent: true, marketing: i.marketingConsent }));
    },
    'member.search': ({ session, query }) => {
      needSession(session);
      const q = query.toLowerCase();
      const digits = query.replace(/\D/g, '');
      return members
        .filter((m) => q === '' || m.name.toLowerCase().includes(q) || (digits.length >= 3 && m.phone.includes(digits)) || m.card === query)
        .slice(0, 50)
        .map((m) => ({ id: m.id, name: m.name, phoneMasked: maskPhone(m.phone), balance: m.balance, consent: m.consent }));
    },
    'member.detail': ({ session, id }) => { needSession(session); const m = memberById(id); return { ...view(m), phone: m.phone, marketingConsent: m.marketing }; },
    'member.update': ({ session, id, ...patch }) => {
      needSession(session);
      const m = memberById(id);
      if (patch.phone !== undefined) {
        const p = normalizePhone(patch.phone);
        if (members.some((x) => x.phone === p && x.id !== id)) fail('CONFLICT', `Phone ${maskPhone(p)} belongs to another member`);
        m.phone = p;
      }
      if (patch.name !== undefined) m.name = patch.name;
      if (patch.birthday !== undefined) m.birthday = patch.birthday;
      if (patch.consent !== undefined) m.consent = patch.consent;
      if (patch.marketingConsent !== undefined) m.marketing = patch.marketingConsent;
      return view(m);
    },
    'sale.quote': ({ lines, memberId, redeem }) => priced(lines, memberId, redeem).view,
    'sale.commit': (i) => {
      if (processed.has(i.idempotencyKey)) return processed.get(i.idempotencyKey) as never;
      const { c, m, q } = priced(i.lines, i.memberId, i.redeem);
      const paid = i.payments.reduce((a, p) => a + p.amount, 0);
      if (paid !== q.toPay) fail('CONFLICT', `The check changed: it is now ${q.toPay / 100} ₽, payments add up to ${paid / 100} ₽`);
      const cashPart = i.payments.filter((p) => p.method === 'cash').reduce((a, p) => a + p.amount, 0);
      const tendered = i.cashTendered ?? cashPart;
      if (tendered < cashPart) fail('VALIDATION', `Cash handed over (${tendered / 100} ₽) is less than the cash part (${cashPart / 100} ₽)`);
      const change = tendered - cashPart;
      if (m) m.balance += q.earnPoints - q.redeemPoints;
      const id = uuidv7();
      const number = String(sales.length + 1);
      const at = clock();
      const lines: SaleLine[] = c.map((l, idx) => ({ lineNo: l.lineNo, productId: l.productId, name: l.name, qty: l.qty, unitPrice: l.unitPrice, amount: q.lines[idx]!.amount, refunded: 0, earned: q.lines[idx]!.earned, pointsPaid: q.lines[idx]!.pointsPaid }));
      const receipt: Receipt = {
        kind: 'sale', shop: { name: seed.shopName ?? 'Kopilka demo', address: [] }, number, time: fmtTime(at), cashier: 'Cashier',
        lines: lines.map((l) => ({ name: l.name, qtyMilli: l.qty * 1000, unitPrice: l.unitPrice, amount: l.amount, discount: 0, pointsPaid: l.pointsPaid })),
        totals: { subtotal: q.subtotal, discount: q.discount, total: q.total, paidByPoints: q.redeemValue, toPay: q.toPay },
        payments: [
          ...i.payments.map((p) => (p.method === 'cash' ? { type: 'cash' as const, amount: p.amount, tendered, change } : { type: 'card' as const, amount: p.amount })),
          ...(q.redeemValue > 0 ? [{ type: 'points' as const, amount: q.redeemValue }] : []),
        ],
        loyalty: m ? { memberName: m.name, maskedPhone: maskPhone(m.phone), earned: q.effects.filter((e) => e.kind === 'earn').map((e) => ({ label: e.label, points: e.points })), earnedTotal: q.earnPoints, redeemed: q.redeemPoints, balanceAfter: m.balance } : undefined,
        footer: ['Спасибо!'], currency: 'RUB',
      };
      sales.push({ id, number, at: at.toISOString(), memberId: m?.id ?? null, lines, q, receipt, refundedAmount: 0 });
      const out = { saleId: id, number, change, earned: q.earnPoints, redeemed: q.redeemPoints, balanceAfter: m ? m.balance : null, receipt };
      processed.set(i.idempotencyKey, out);
      return out;
    },
    'sale.recent': ({ limit }) => [...sales].reverse().slice(0, limit).map(summary),
    'sale.get': ({ id }) => {
      const s = sales.find((x) => x.id === id || x.number === id) ?? fail('NOT_FOUND', `No sale with number ${id} on this terminal`);
      return { ...summary(s), lines: s.lines.map((l) => ({ lineNo: l.lineNo, name: l.name, qty: l.qty, refundableQty: l.qty - l.refunded, amount: l.amount })), receipt: s.receipt };
    },
    'sale.refund': (i) => {
      if (processed.has(i.idempotencyKey)) return processed.get(i.idempotencyKey) as never;
      const s = sales.find((x) => x.id === i.saleId) ?? fail('NOT_FOUND', 'No such sale');
      const staff = staffByPin(i.managerPin);
      if (staff.role === 'cashier') fail('FORBIDDEN', 'A refund needs a manager PIN');
      const req = i.lines ?? s.lines.filter((l) => l.qty > l.refunded).map((l) => ({ lineNo: l.lineNo, qty: l.qty - l.refunded }));
      if (req.length === 0) fail('CONFLICT', 'This sale is already fully refunded');
      let amount = 0, reversed = 0, returned = 0;
      for (const r of req) {
        const l = s.lines.find((x) => x.lineNo === r.lineNo) ?? fail('NOT_FOUND', `Line ${r.lineNo} is not on this sale`);
        if (r.qty > l.qty - l.refunded) fail('VALIDATION', `Only ${l.qty - l.refunded} of "${l.name}" can still be refunded`);
        const share = (x: number) => Math.floor((x * r.qty) / l.qty);
        const pv = program().program.redeem.pointValue;
        amount += share(l.amount - l.pointsPaid);
        reversed += share(l.earned);
        returned += Math.floor(share(l.pointsPaid) / pv);
        l.refunded += r.qty;
      }
      const m = s.memberId ? memberById(s.memberId) : null;
      if (m) m.balance += returned - Math.min(reversed, m.balance + returned);
      s.refundedAmount += amount;
      const receipt: Receipt = { ...s.receipt, kind: 'refund', lines: s.receipt.lines, loyalty: s.receipt.loyalty && m ? { ...s.receipt.loyalty, balanceAfter: m.balance } : undefined };
      const out = { refundId: uuidv7(), amount, pointsReversed: reversed, pointsReturned: returned, balanceAfter: m ? m.balance : null, receipt };
      processed.set(i.idempotencyKey, out);
      return out;
    },
    'program.get': () => ({ version: program().version, program: program().program as unknown as Record<string, unknown>, activatedAt: program().at }),
    'program.save': ({ session, program: json }) => {
      needSession(session);
      const p = parseProgram(json);
      programs.push({ version: program().version + 1, program: p, at: clock().toISOString() });
      return { version: program().version };
    },
    'program.simulate': ({ session, program: json, lines, balance, redeem }) => {
      needSession(session);
      const p = parseProgram(json);
      const c: CartLine[] = lines.map((l, i) => ({ lineNo: i + 1, productId: `sim${i}`, sku: `SIM${i}`, name: l.name, category: l.category, qty: l.qty, unitPrice: l.unitPrice, earnsPoints: l.earnsPoints, payableWithPoints: l.payableWithPoints }));
      const { lines: _l, ...rest } = quoteToView(quote({ program: p, programVersion: null, lines: c, member: { id: 'sim', balance }, redeem: { mode: redeem }, at: clock().toISOString() }));
      return rest;
    },
  };

  // Channels other areas add (devices, sync, manager…) answer "not here" until the fake learns them,
  // so a new channel never breaks the fake's type or its users.
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, own[name] ?? (() => fail('NOT_FOUND', `${name} is not available in the in-memory backend`))]),
  ) as unknown as Handlers;

  function summary(s: Sale) {
    const total = s.q.total;
    const status = s.refundedAmount === 0 ? 'completed' : s.lines.every((l) => l.refunded === l.qty) ? 'refunded' : 'partially_refunded';
    return { id: s.id, number: s.number, at: s.at, total, toPay: s.q.toPay, memberName: s.memberId ? memberById(s.memberId).name : null, status } as const;
  }

  return { handlers, bus, emit: bus.emit };
}
