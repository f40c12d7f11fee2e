/**
 * ONE contract suite, run against every PosApi implementation (in-memory fake, backend called
 * directly, the Electron IPC wiring through the stub, the browser host over loopback) so none
 * of them drifts. It checks behaviour the UI relies on, program-agnostically: the fake runs the
 * default program, the real stores the demo café's.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CONTRACT_VERSION, type PosApi } from '../../core/contract';
import { KopilkaError } from '../../core/util/errors';
import { uuidv7 } from '../../core/util/ids';

export type Impl = Readonly<{ api: PosApi; cleanup(): Promise<void> | void }>;
export const PINS = { manager: '1234', cashier: '4826' } as const;
const ANNA = '2000000100012';
const CAPPUCCINO = '2000000000039';

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof KopilkaError, `expected a KopilkaError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    assert.ok(e.message.length > 5, 'a message a person can act on');
    return true;
  });
}

export function contractSuite(name: string, make: () => Promise<Impl>): void {
  describe(`contract: ${name}`, () => {
    let impl: Impl;
    let api: PosApi;
    before(async () => {
      impl = await make();
      api = impl.api;
    });
    after(async () => impl?.cleanup());

    test('app.info speaks this contract version', async () => {
      const info = await api['app.info']({});
      assert.equal(info.contractVersion, CONTRACT_VERSION);
      assert.equal(info.currency, 'RUB');
      const st = await api['status.get']({});
      assert.ok(Number.isInteger(st.queuedReceipts));
    });

    test('catalog: grid data and barcode lookup', async () => {
      const c = await api['catalog.list']({});
      assert.ok(c.products.length >= 10);
      for (const p of c.products) {
        assert.ok(c.categories.includes(p.category));
        assert.ok(Number.isSafeInteger(p.price) && p.price >= 0);
      }
      const cap = await api['catalog.byBarcode']({ code: CAPPUCCINO });
      assert.equal(cap?.name, 'Капучино');
      assert.equal(await api['catalog.byBarcode']({ code: '4600000999999' }), null);
      await rejects(api['catalog.byBarcode']({ code: '   ' }), 'VALIDATION');
    });

    test('members: card, last-4 candidates are masked, bad codes refused', async () => {
      const anna = await api['member.identify']({ code: ANNA });
      assert.equal(anna?.name, 'Анна Иванова');
      assert.equal(anna?.phoneMasked, '+7 *** ***-45-67');
      assert.equal(await api['member.identify']({ code: '2000009999990' }), null);
      await rejects(api['member.identify']({ code: '2000000100013' }), 'VALIDATION', /check digit/);
      const c = await api['member.findByLast4']({ last4: '1234' });
      assert.equal(c.length, 2);
      for (const x of c) assert.match(x.phoneMasked, /^\+7 \*\*\* \*\*\*-12-34$/);
      await rejects(api['member.findByLast4']({ last4: '12a4' }), 'VALIDATION');
      const same = await api['member.get']({ id: anna!.id });
      assert.equal(same.balance, anna!.balance);
    });

    test('enrolment: consent required, phone normalised, duplicates refused', async () => {
      const input = { phone: '+7 916 555-44-33', name: 'Контракт Тестов', consent: false };
      await rejects(api['member.enrol'](input), 'VALIDATION', /agree|consent/i);
      await rejects(api['member.enrol']({ ...input, phone: '123', consent: true }), 'VALIDATION');
      await rejects(api['member.enrol']({ ...input, name: '', consent: true }), 'VALIDATION');
      const m = await api['member.enrol']({ ...input, consent: true, birthday: '1991-02-03' });
      assert.equal(m.phoneMasked, '+7 *** ***-44-33');
      assert.equal(m.birthday, '1991-02-03');
      const found = await api['member.findByPhone']({ phone: '8 (916) 555 44 33' });
      assert.equal(found?.id, m.id);
      await rejects(api['member.enrol']({ ...input, consent: true }), 'CONFLICT');
    });

    test('quote: totals add up, redemption stays within the cap, bad carts refused', async () => {
      const { products } = await api['catalog.list']({});
      const cap = products.find((p) => p.barcodes.includes(CAPPUCCINO))!;
      const anna = (await api['member.identify']({ code: ANNA }))!;
      const lines = [{ productId: cap.id, qty: 3 }];
      const q = await api['sale.quote']({ lines, memberId: anna.id, redeem: { mode: 'max' } });
      assert.equal(q.subtotal, cap.price * 3);
      assert.equal(q.total, q.subtotal - q.discount);
      assert.equal(q.toPay, q.total - q.redeemValue);
      assert.ok(q.redeemPoints <= q.maxRedeemPoints && q.maxRedeemPoints <= anna.balance);
      assert.equal(q.lines[0]!.name, 'Капучино');
      assert.ok(q.effects.length > 0, 'the quote explains itself');
      await rejects(api['sale.quote']({ lines, memberId: anna.id, redeem: { mode: 'points', points: anna.balance + 1 } }), 'INSUFFICIENT_POINTS');
      await rejects(api['sale.quote']({ lines: [{ productId: cap.id, qty: 0 }] }), 'VALIDATION', /at least 1/);
      await rejects(api['sale.quote']({ lines: [{ productId: cap.id, qty: 1.5 }] }), 'VALIDATION');
      await rejects(api['sale.quote']({ lines: [] }), 'VALIDATION', /empty/);
      await rejects(api['sale.quote']({ lines: [{ productId: 'no-such-product', qty: 1 }] }), 'NOT_FOUND');
    });

    test('commit: payments must match, retries are idempotent, receipt carries the new balance', async () => {
      const { products } = await api['catalog.list']({});
      const cap = products.find((p) => p.barcodes.includes(CAPPUCCINO))!;
      const anna = (await api['member.identify']({ code: ANNA }))!;
      const req = { lines: [{ productId: cap.id, qty: 2 }], memberId: anna.id, redeem: { mode: 'max' as const } };
      const q = await api['sale.quote'](req);
      const key = uuidv7();
      await rejects(api['sale.commit']({ ...req, payments: [{ method: 'card', amount: q.toPay + 100 }], idempotencyKey: key }), 'CONFLICT');
      await rejects(api['sale.commit']({ ...req, payments: [{ method: 'cash', amount: q.toPay }], cashTendered: q.toPay - 1, idempotencyKey: key }), 'VALIDATION');
      await rejects(api['sale.commit']({ ...req, payments: [], idempotencyKey: key }), 'VALIDATION');
      await rejects(api['sale.commit']({ ...req, payments: [{ method: 'card', amount: q.toPay }], idempotencyKey: 'not-a-uuid' }), 'VALIDATION');
      const done = await api['sale.commit']({ ...req, payments: [{ method: 'cash', amount: q.toPay }], cashTendered: q.toPay + 5000, idempotencyKey: key });
      assert.equal(done.change, 5000);
      assert.equal(done.redeemed, q.redeemPoints);
      assert.equal(done.receipt.totals.toPay, q.toPay);
      assert.equal(done.receipt.loyalty?.balanceAfter, done.balanceAfter);
      assert.equal(done.balanceAfter, anna.balance + anna.pending - q.redeemPoints + done.earned);
      const again = await api['sale.commit']({ ...req, payments: [{ method: 'cash', amount: q.toPay }], cashTendered: q.toPay + 5000, idempotencyKey: key });
      assert.equal(again.saleId, done.saleId, 'same key → same sale');
      const after = await api['member.get']({ id: anna.id });
      assert.equal(after.balance + after.pending, done.balanceAfter);
      const recent = await api['sale.recent']({ limit: 5 });
      assert.equal(recent[0]!.id, done.saleId);
      const byNumber = await api['sale.get']({ id: done.number });
      assert.equal(byNumber.id, done.saleId);
      assert.equal(byNumber.lines[0]!.refundableQty, 2);
    });

    test('refund needs a manager PIN', async () => {
      const { products } = await api['catalog.list']({});
      const p = products[0]!;
      const q = await api['sale.quote']({ lines: [{ productId: p.id, qty: 1 }] });
      const sale = await api['sale.commit']({ lines: [{ productId: p.id, qty: 1 }], payments: [{ method: 'card', amount: q.toPay }], idempotencyKey: uuidv7() });
      const req = { saleId: sale.saleId, reason: 'Не тот товар', idempotencyKey: uuidv7() };
      await rejects(api['sale.refund']({ ...req, managerPin: '12' }), 'VALIDATION', /PIN/);
      await rejects(api['sale.refund']({ ...req, managerPin: '9753' }), 'UNAUTHENTICATED', /PIN/);
      await rejects(api['sale.refund']({ ...req, managerPin: PINS.cashier }), 'FORBIDDEN');
      await rejects(api['sale.refund']({ ...req, managerPin: PINS.manager, reason: ' ' }), 'VALIDATION');
      const r = await api['sale.refund']({ ...req, managerPin: PINS.manager });
      assert.equal(r.amount, q.toPay);
      assert.equal(r.receipt.kind, 'refund');
      const s = await api['sale.get']({ id: sale.saleId });
      assert.equal(s.status, 'refunded');
      await rejects(api['sale.refund']({ ...req, idempotencyKey: uuidv7(), managerPin: PINS.manager }), 'CONFLICT');
    });

    test('manager session: login, program get/simulate/save with validation, members, logout', async () => {
      await rejects(api['auth.login']({ pin: '9753' }), 'UNAUTHENTICATED');
      await rejects(api['auth.login']({ pin: PINS.cashier }), 'FORBIDDEN');
      await rejects(api['member.search']({ session: 'x'.repeat(32), query: '' }), 'UNAUTHENTICATED');
      const s = await api['auth.login']({ pin: PINS.manager });
      const rows = await api['member.search']({ session: s.session, query: 'Анна' });
      assert.equal(rows[0]?.name, 'Анна Иванова');
      const detail = await api['member.detail']({ session: s.session, id: rows[0]!.id });
      assert.equal(detail.phone, '+79161234567');
      await rejects(api['member.update']({ session: s.session, id: detail.id, phone: 'nope' }), 'VALIDATION');
      const upd = await api['member.update']({ session: s.session, id: detail.id, name: 'Анна Петрова', marketingConsent: false });
      assert.equal(upd.name, 'Анна Петрова');
      const p = await api['program.get']({});
      const sim = await api['program.simulate']({ session: s.session, program: p.program, lines: [{ name: 'Кофе', qty: 1, unitPrice: 100000 }], balance: 500, redeem: 'max' });
      assert.equal(sim.toPay, sim.total - sim.redeemValue);
      await rejects(api['program.simulate']({ session: s.session, program: { ...p.program, redeem: { maxShareBps: 20000 } }, lines: [{ name: 'x', qty: 1, unitPrice: 1 }], balance: 0 }), 'VALIDATION');
      await rejects(api['program.save']({ session: s.session, program: { name: '' } }), 'VALIDATION');
      const saved = await api['program.save']({ session: s.session, program: p.program });
      assert.ok(saved.version > (p.version ?? 0));
      await api['auth.logout']({ session: s.session });
      await rejects(api['program.save']({ session: s.session, program: p.program }), 'UNAUTHENTICATED');
    });
  });
}
