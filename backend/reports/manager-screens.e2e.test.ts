/**
 * The shift, analytics, staff/audit and personal-data screens in real Chromium against
 * `npm run start:web` (real backend, real SQLite): sales go in through the same HTTP contract
 * the till uses, then a manager closes the shift, reads the analytics, checks the audit log and
 * erases a member. Screenshots land in test-results/screenshots/ (manager-*.png).
 * (Lives under backend/reports because it drives this area's screens end to end; renderer/ may
 * not import the host.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PINS } from '../../scripts/web-host';
import { chromiumAvailable, launchBrowser, newPage, pageErrors, screenshot, startHostProcess, type RunningHost } from '../../test/e2e/support';

const skip = chromiumAvailable() ? false : 'no /usr/bin/chromium (apt-get install chromium)';
const OWNER_PIN = DEMO_PINS.owner;

describe('manager screens for shifts, analytics, staff and privacy (Chromium, start:web)', { skip }, () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let closeContext: () => Promise<void>;

  async function call<T>(channel: string, input: unknown): Promise<T> {
    const res = await fetch(`${host.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-kopilka-token': host.token }, body: JSON.stringify(input) });
    const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } } & T;
    if (body && typeof body === 'object' && 'ok' in body && body.ok === false) throw new Error(body.error?.message ?? 'failed');
    return (body && typeof body === 'object' && 'value' in body ? body.value : body) as T;
  }

  async function sell(productSkus: readonly string[], memberCard: string | null, redeem = false): Promise<void> {
    const { products } = await call<{ products: { id: string; sku: string }[] }>('catalog.list', {});
    const lines = productSkus.map((sku) => ({ productId: products.find((p) => p.sku === sku)!.id, qty: 1 }));
    const member = memberCard ? await call<{ id: string } | null>('member.identify', { code: memberCard }) : null;
    const req = { lines, memberId: member?.id ?? null, redeem: redeem ? { mode: 'max' } : { mode: 'none' } };
    const q = await call<{ toPay: number }>('sale.quote', req);
    await call('sale.commit', { ...req, payments: [{ method: 'cash', amount: q.toPay }], cashTendered: null, idempotencyKey: randomUUID() });
  }

  before(async () => {
    host = await startHostProcess();
    browser = await launchBrowser();
    // The demo store opens an unattended shift: sales go into it.
    await sell(['LATTE', 'CROISSANT'], '2000000100012');
    await sell(['CAPPUCCINO'], 'KP-000003', true);
    await sell(['ESPRESSO'], null);
    await sell(['LATTE'], '2000000100012');
    // One page and one manager login for all the steps (each new page costs seconds on a busy CI box).
    const p = await newPage(browser, host, 'ru');
    page = p.page;
    closeContext = () => p.context.close();
    await login(page);
  });
  after(async () => {
    await closeContext?.();
    await browser?.close();
    await host?.stop();
  });

  async function login(p: Page): Promise<void> {
    const page = p;
    await page.keyboard.press('F10');
    await page.locator('[data-testid=pin-input]').fill(OWNER_PIN);
    await page.locator('[data-testid=pin-submit]').click();
    await page.locator('[data-testid=manager]').waitFor();
  }

  test('close the shift with a count, see the Z report, open the next one', async () => {
    await page.locator('[data-testid=tab-shifts]').click();
    await page.locator('[data-testid=x-report]').waitFor();
    assert.equal(await page.locator('[data-testid=z-sales-count]').first().textContent(), '4');
    await page.locator('[data-testid=cash-amount]').fill('500');
    await page.locator('[data-testid=cash-reason]').fill('размен из банка');
    await page.locator('[data-testid=cash-in]').click();
    await page.locator('[data-testid=cash-amount]').and(page.locator('[value=""]')).waitFor();
    assert.match((await page.locator('[data-testid=unsynced-warning]').textContent())!, /Не отправлено на сервер: \d+/);
    await screenshot(page, 'manager-ru-01-shift-open');
    const expected = (await page.locator('[data-testid=expected-cash]').textContent())!;
    await page.locator('[data-testid=close-counted]').fill('100');
    await page.locator('[data-testid=close-note]').fill('проверка');
    await page.locator('[data-testid=shift-close]').click();
    await page.locator('[data-testid=shift-closed]').waitFor();
    assert.match((await page.locator('[data-testid=shift-closed] [data-testid=z-over-short]').textContent())!, /\d/);
    assert.notEqual(expected, '');
    await screenshot(page, 'manager-ru-02-shift-closed-z');
    await page.locator('[data-testid=shift-float]').fill('2000');
    await page.locator('[data-testid=shift-open]').click();
    await page.locator('[data-testid=x-report]').waitFor();
    assert.equal(await page.locator('[data-testid=x-report] [data-testid=z-sales-count]').textContent(), '0');
    assert.deepEqual(pageErrors(page), []);
  });

  test('loyalty analytics with charts (ru and en)', async () => {
    await page.locator('[data-testid=tab-reports]').click();
    for (const lang of ['ru', 'en'] as const) {
      if (lang === 'en') await page.locator('[data-testid=lang-toggle]').click();
      await page.locator('[data-testid=kpi-members]').waitFor();
      await page.locator('[data-testid=chart-revenue] svg .recharts-bar-rectangle').first().waitFor();
      assert.match((await page.locator('[data-testid=kpi-members]').textContent())!, lang === 'ru' ? /Участников4/ : /Members4/);
      assert.equal(await page.locator('[data-testid=chart-tiers] .recharts-pie').count(), 1);
      const dl = page.waitForEvent('download');
      await page.locator('[data-testid=csv-monthly]').click();
      const file = await dl;
      assert.match(file.suggestedFilename(), /^kopilka-monthly-.*\.csv$/);
      await screenshot(page, `manager-${lang}-03-analytics`);
    }
    await page.locator('[data-testid=lang-toggle]').click();
    assert.deepEqual(pageErrors(page), []);
  });

  test('staff list, audit log with an intact chain, consents, adjustment and erasure', async () => {
    await page.locator('[data-testid=tab-privacy]').click();
    await page.locator('[data-testid=privacy-query]').fill('Анна');
    await page.locator('[data-testid=privacy-find]').click();
    await page.locator('[data-testid=privacy-results] button').first().click();
    await page.locator('[data-testid=consent-marketing]').waitFor();
    await page.locator('[data-testid=consent-marketing-toggle]').click();
    await page.locator('[data-testid=consent-history] tr').nth(2).waitFor();
    await page.locator('[data-testid=adjust-delta]').fill('25');
    await page.locator('[data-testid=adjust-reason]').fill('компенсация за ожидание');
    await page.locator('[data-testid=adjust-apply]').click();
    await page.locator('[data-testid=adjust-delta][value=""]').waitFor();
    await screenshot(page, 'manager-ru-04-privacy');
    await page.locator('[data-testid=erase-reason]').fill('заявление клиента');
    await page.locator('[data-testid=erase-confirm]').click();
    await page.locator('[data-testid=privacy-info]').waitFor();
    assert.match((await page.locator('[data-testid=privacy-info]').textContent())!, /Данные удалены/);

    await page.locator('[data-testid=tab-staff]').click();
    await page.locator('[data-testid=audit-log] tbody tr').first().waitFor();
    assert.equal(await page.locator('[data-testid=audit-chain]').textContent(), 'Цепочка журнала цела');
    const log = (await page.locator('[data-testid=audit-log]').textContent())!;
    for (const action of ['member.erase', 'points.adjust', 'consent.change', 'shift.close', 'shift.cash_in', 'shift.open']) assert.ok(log.includes(action), `audit shows ${action}`);
    assert.ok(log.includes('компенсация за ожидание'));
    await screenshot(page, 'manager-ru-05-staff-audit');
    assert.deepEqual(pageErrors(page), []);
  });
});
