import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PosApi } from '../../core/contract';
import { KopilkaError, toErrorData } from '../../core/util/errors';
import { setLogSink } from '../../core/util/logger';
import { createApi, createSessionRegistry } from '../../backend/api/index';
import { seedDemo } from '../../backend/db/seed-demo';
import { findMemberByCard } from '../../backend/members/members';
import { createPromo } from '../../backend/loyalty/promo';
import { quoteSale } from '../../backend/sales/checkout';
import { createTestStore, type TestStore } from '../../backend/testing/store';
import { createLocalApi } from '../../renderer/src/api/local';
import { errorText } from '../../renderer/src/context';
import { seedDemoStaff } from '../../scripts/web-host';

// Wrong PINs and refusals are logged by design; keep the output readable.
setLogSink(() => {});

/** What the Russian till shows for this refusal, with the English original for the failure message. */
async function refusal(p: Promise<unknown> | (() => unknown)): Promise<{ ru: string; en: string; code: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    const err = e instanceof KopilkaError ? e : new KopilkaError(toErrorData(e).code, toErrorData(e).message);
    return { ru: errorText(err, 'ru'), en: errorText(err, 'en'), code: err.code };
  }
  assert.fail('expected a refusal');
}

/** Cyrillic, and no English words except codes, brands and the PIN abbreviation. */
function assertRussian(r: { ru: string; en: string }, facts: readonly string[]) {
  assert.match(r.ru, /[А-Яа-яЁё]{3}/, r.en);
  assert.notEqual(r.ru, r.en);
  const rest = r.ru.replace(/\b(PIN|Kopilka|SPRING10)\b/g, '');
  assert.doesNotMatch(rest, /[A-Za-z]{2,}/, `English left in "${r.ru}"`);
  for (const f of facts) assert.ok(r.ru.includes(f), `"${f}" (from "${r.en}") missing in "${r.ru}"`);
}

describe('real backend refusals read in Russian', () => {
  let store: TestStore;
  let api: PosApi;
  before(async () => {
    store = await createTestStore('kopilka-i18n-');
    seedDemo(store.db);
    seedDemoStaff(store.db);
    api = createLocalApi(createApi({ db: store.db, sessions: createSessionRegistry(), emit: () => {} }));
  });
  after(() => store.cleanup());

  const product = async (sku: string) => (await api['catalog.list']({})).products.find((p) => p.sku === sku)!;

  test('unknown card, wrong check digit, malformed phone', async () => {
    // The till's scan handler says "not found" itself when identify answers null; the service
    // behind the member lookups is what refuses an unknown card by name.
    const unknown = await refusal(() => findMemberByCard(store.db, '2000000100036'));
    assert.equal(unknown.code, 'NOT_FOUND');
    assertRussian(unknown, ['2000000100036']);
    const digit = await refusal(api['member.identify']({ code: '2000000100013' }));
    assertRussian(digit, ['2000000100013']);
    assert.match(digit.ru, /контрольная цифра/);
    const phone = await refusal(api['member.findByPhone']({ phone: '12-34' }));
    assertRussian(phone, ['12-34', '+7 916 123-45-67']);
  });

  test('input checks of the contract: field and message in Russian', async () => {
    const r = await refusal(api['member.enrol']({ phone: '', name: '', consent: true }));
    assert.equal(r.code, 'VALIDATION');
    assertRussian(r, []);
    assert.equal(r.ru, 'Телефон: Введите номер телефона; Имя: Введите имя');
  });

  test('not enough points, blocked card', async () => {
    const petr = (await api['member.identify']({ code: '2000000100029' }))!;
    const latte = await product('LATTE');
    const short = await refusal(api['sale.quote']({ lines: [{ productId: latte.id, qty: 1 }], memberId: petr.id, redeem: { mode: 'points', points: 100 } }));
    assert.equal(short.code, 'INSUFFICIENT_POINTS');
    assertRussian(short, ['100']);
    store.db.prepare("UPDATE member_card SET status = 'blocked' WHERE code = '2000000100029'").run();
    const blocked = await refusal(api['member.identify']({ code: '2000000100029' }));
    assert.equal(blocked.code, 'FORBIDDEN');
    assertRussian(blocked, ['2000000100029']);
  });

  test('promo code used up', async () => {
    createPromo(store.db, { code: 'SPRING10', kind: 'percent', value: 1000, maxUses: 1 });
    // One earlier sale used the only allowed use.
    store.db.prepare("INSERT INTO promo_use (code, sale_id, member_id, used_at) VALUES ('SPRING10', 'earlier-sale', NULL, '2026-03-01T09:00:00Z')").run();
    const r = await refusal(() => quoteSale(store.db, { items: [{ code: 'LATTE', qty: 1 }], loyalty: { promoCode: 'SPRING10' } }));
    assert.equal(r.code, 'LIMIT_EXCEEDED');
    assertRussian(r, ['SPRING10']);
  });

  test('refund of more than was sold', async () => {
    const latte = await product('LATTE');
    const lines = [{ productId: latte.id, qty: 2 }];
    const q = await api['sale.quote']({ lines });
    const sale = await api['sale.commit']({ lines, payments: [{ method: 'card', amount: q.toPay }], idempotencyKey: crypto.randomUUID() });
    const r = await refusal(api['sale.refund']({ saleId: sale.saleId, lines: [{ lineNo: 1, qty: 5 }], managerPin: '1234', reason: 'брак', idempotencyKey: crypto.randomUUID() }));
    assert.equal(r.code, 'LIMIT_EXCEEDED');
    assertRussian(r, ['2', '5']);
  });
  test('wrong PIN, then the lockout with its time', async () => {
    const wrong = await refusal(api['auth.login']({ pin: '9753' }));
    assert.equal(wrong.code, 'UNAUTHENTICATED');
    assertRussian(wrong, []);
    let locked: Awaited<ReturnType<typeof refusal>> | null = null;
    for (let i = 0; i < 20 && !locked; i++) {
      const r = await refusal(api['auth.login']({ pin: '9753' }));
      if (r.code === 'LOCKED') locked = r;
    }
    assert.ok(locked, 'no lockout after 20 wrong PINs');
    const time = /after (\d\d:\d\d)/.exec(locked.en)![1]!;
    assertRussian(locked, [time]);
  });
});
