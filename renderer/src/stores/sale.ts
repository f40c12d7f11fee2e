import { createStore } from 'zustand/vanilla';
import type { MemberView, PosApi, Product, QuoteView } from '../../../core/contract';
import { KopilkaError } from '../../../core/util/errors';
import { uuidv7 } from '../../../core/util/ids';

export type CartItem = Readonly<{ productId: string; name: string; price: number; qty: number }>;
export type Redeem = Readonly<{ mode: 'none' } | { mode: 'max' } | { mode: 'points'; points: number }>;
export type Tender = Readonly<{ cash: number; card: number; tendered: number | null }>;
export type CommitResult = Awaited<ReturnType<PosApi['sale.commit']>>;

export type SaleState = Readonly<{
  items: readonly CartItem[];
  member: MemberView | null;
  redeem: Redeem;
  quote: QuoteView | null;
  /** Why the last quote failed (e.g. a redemption over the cap), shown next to the totals. */
  quoteError: string | null;
  busy: boolean;
  lastSale: CommitResult | null;
  /** Bumped on every change that should reach the screen (used to measure scan → render). */
  rev: number;
}>;

export type SaleActions = Readonly<{
  addProduct(p: Product, qty?: number): Promise<void>;
  setQty(productId: string, qty: number): Promise<void>;
  remove(productId: string): Promise<void>;
  clear(): void;
  setMember(m: MemberView | null): Promise<void>;
  setRedeem(r: Redeem): Promise<void>;
  refreshMember(): Promise<void>;
  commit(t: Tender): Promise<CommitResult>;
  closeReceipt(): void;
}>;

const EMPTY = { items: [], member: null, redeem: { mode: 'none' } as Redeem, quote: null, quoteError: null, busy: false, lastSale: null };

/**
 * The open check. A store factory taking the PosApi so tests inject the in-memory one.
 * Every change re-quotes through the backend (the only place prices and points are decided);
 * answers to superseded requests are dropped by sequence number.
 */
export function createSaleStore(api: PosApi) {
  let seq = 0;
  let idempotencyKey = uuidv7();
  const store = createStore<SaleState & SaleActions>()((set, get) => {
    async function requote(): Promise<void> {
      const my = ++seq;
      const { items, member, redeem } = get();
      if (items.length === 0) {
        set((s) => ({ quote: null, quoteError: null, rev: s.rev + 1 }));
        return;
      }
      try {
        const q = await api['sale.quote']({ lines: items.map((i) => ({ productId: i.productId, qty: i.qty })), memberId: member?.id ?? null, redeem });
        if (my === seq) set((s) => ({ quote: q, quoteError: null, rev: s.rev + 1 }));
      } catch (e) {
        if (my !== seq) return;
        // A redemption the cap no longer allows falls back to none, keeping the reason visible.
        if (e instanceof KopilkaError && (e.code === 'LIMIT_EXCEEDED' || e.code === 'INSUFFICIENT_POINTS') && get().redeem.mode !== 'none') {
          set({ redeem: { mode: 'none' } });
          await requote();
          set({ quoteError: e.message });
          return;
        }
        set((s) => ({ quoteError: e instanceof Error ? e.message : String(e), rev: s.rev + 1 }));
      }
    }
    return {
      ...EMPTY,
      rev: 0,
      async addProduct(p, qty = 1) {
        const items = get().items;
        const existing = items.find((i) => i.productId === p.id);
        const next = existing
          ? items.map((i) => (i.productId === p.id ? { ...i, qty: Math.min(999, i.qty + qty) } : i))
          : [...items, { productId: p.id, name: p.name, price: p.price, qty }];
        set((s) => ({ items: next, rev: s.rev + 1 }));
        await requote();
      },
      async setQty(productId, qty) {
        if (!Number.isInteger(qty) || qty < 1 || qty > 999) throw new KopilkaError('VALIDATION', 'qty');
        set((s) => ({ items: s.items.map((i) => (i.productId === productId ? { ...i, qty } : i)), rev: s.rev + 1 }));
        await requote();
      },
      async remove(productId) {
        set((s) => ({ items: s.items.filter((i) => i.productId !== productId), rev: s.rev + 1 }));
        await requote();
      },
      clear() {
        seq++;
        idempotencyKey = uuidv7();
        set((s) => ({ ...EMPTY, rev: s.rev + 1 }));
      },
      async setMember(m) {
        set((s) => ({ member: m, redeem: m ? s.redeem : { mode: 'none' }, rev: s.rev + 1 }));
        await requote();
      },
      async setRedeem(r) {
        set({ redeem: r, quoteError: null });
        await requote();
      },
      async refreshMember() {
        const m = get().member;
        if (m) set({ member: await api['member.get']({ id: m.id }) });
      },
      async commit(t) {
        const { items, member, redeem } = get();
        const payments = [
          ...(t.cash > 0 ? [{ method: 'cash' as const, amount: t.cash }] : []),
          ...(t.card > 0 ? [{ method: 'card' as const, amount: t.card }] : []),
        ];
        if (payments.length === 0) payments.push({ method: 'card', amount: 0 });
        set({ busy: true });
        try {
          const res = await api['sale.commit']({
            lines: items.map((i) => ({ productId: i.productId, qty: i.qty })),
            memberId: member?.id ?? null,
            redeem,
            payments,
            cashTendered: t.cash > 0 ? (t.tendered ?? t.cash) : null,
            idempotencyKey,
          });
          set((s) => ({ lastSale: res, busy: false, rev: s.rev + 1 }));
          return res;
        } catch (e) {
          set({ busy: false });
          throw e;
        }
      },
      closeReceipt() {
        get().clear();
      },
    };
  });
  return store;
}
export type SaleStore = ReturnType<typeof createSaleStore>;
