/**
 * The counter in a real browser (Debian Chromium) against `npm run start:web`: real backend,
 * real SQLite, the same contract as Electron. Page objects in ./pages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, newPage, pageErrors, screenshot, startHostProcess, type RunningHost } from './support';
import { TillPage } from './pages/till';
import { enrolByPhone, refundWithManagerPin, scanRedeemPay } from './flows';
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from './support';
import { qrImage, y4m } from '../hardware/y4m';

const ANNA_CARD = '2000000100012'; // demo member with 300 welcome points
const CAPPUCCINO = '2000000000039';

const skip = chromiumAvailable() ? false : 'no /usr/bin/chromium (apt-get install chromium)';

describe('counter in Chromium (start:web)', { skip }, () => {
  let host: RunningHost;
  let browser: Browser;
  const timings: { memberMs: number[]; cartMs: number[] } = { memberMs: [], cartMs: [] };

  before(async () => {
    host = await startHostProcess();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;
    if (timings.memberMs.length) {
      console.log(`e2e timing: scan last key → member panel painted: ${timings.memberMs.map((x) => x.toFixed(1)).join(', ')} ms (median ${med(timings.memberMs).toFixed(1)}; target ≤ 50)`);
      console.log(`e2e timing: product scan → cart updated: ${timings.cartMs.map((x) => x.toFixed(1)).join(', ')} ms (median ${med(timings.cartMs).toFixed(1)})`);
    }
  });

  async function open(lang: 'ru' | 'en' = 'ru'): Promise<{ page: Page; till: TillPage; close(): Promise<void> }> {
    const { context, page } = await newPage(browser, host, lang);
    return { page, till: new TillPage(page), close: () => context.close() };
  }

  test('wedge-scan a member card → add items → redeem → pay cash → receipt shows the new balance', async () => {
    const { page, till, close } = await open();
    await screenshot(page, 'ru-01-cashier-empty');
    // Warm-up scans of two other cards (first requests JIT the backend paths), then the measured one.
    for (const card of ['2000000100029', 'KP-000003', ANNA_CARD, '2000000100029', ANNA_CARD]) timings.memberMs.push(await till.timedScan(card, 'member'));
    assert.equal(await till.el('member-name').textContent(), 'Анна Иванова');
    assert.match((await till.el('member-phone').textContent())!, /^\+7 \*\*\* \*\*\*-45-67$/);
    const before = Number((await till.el('member-balance').textContent())!.replace(/\D/g, ''));
    assert.equal(before, 300);

    timings.cartMs.push(await till.timedScan(CAPPUCCINO, 'cart'));
    await till.addProduct('LATTE');
    await till.addProduct('CROISSANT');
    await till.cartLines().nth(2).waitFor();
    assert.equal(await till.cartLines().count(), 3);
    // A few more scans for the timing figures (same product: quantity goes up).
    for (let i = 0; i < 3; i++) timings.cartMs.push(await till.timedScan(CAPPUCCINO, 'cart'));
    await page.getByTestId('cart-qty').first().evaluate((el) => (el as HTMLInputElement).value === '4' || Promise.reject(new Error('qty ' + (el as HTMLInputElement).value)));
    // Remove the croissant line.
    await till.cartLines().nth(2).getByTestId('cart-remove').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=cart-line]').length === 2);

    await till.el('why').waitFor();
    const cap = (await till.el('redeem-cap').textContent())!;
    assert.match(cap, /\d/);
    await till.redeemMax();
    const redeemedText = (await till.el('totals-redeemed').textContent())!;
    const earn = Number((await till.el('earn-points').textContent())!.replace(/\D/g, ''));
    const redeemed = Number(/\((\d[\d\s ]*)\)/.exec(redeemedText)![1]!.replace(/\D/g, ''));
    assert.ok(redeemed > 0 && redeemed <= 300, redeemedText);
    await screenshot(page, 'ru-02-cashier-member-cart');

    await page.keyboard.press('F9');
    await till.el('pay-dialog').waitFor();
    await till.el('pay-tendered').fill('5000');
    await screenshot(page, 'ru-03-pay-cash');
    await till.el('pay-confirm').click();
    await till.el('receipt-dialog').waitFor();
    const balanceAfter = Number((await till.receiptBalance()).replace(/\D/g, ''));
    assert.equal(balanceAfter, before - redeemed + earn, 'receipt balance = before − redeemed + earned');
    assert.match((await till.el('sale-change').textContent())!, /\d/);
    await screenshot(page, 'ru-04-receipt');
    await page.keyboard.press('Enter');
    await till.el('cart-empty').waitFor();
    // The member's panel after the next scan agrees: spendable + pending (the demo program
    // holds new points for a few days) = the receipt's balance.
    await till.wedgeScan(ANNA_CARD);
    await till.el('member-panel').waitFor();
    const digits = async (id: string) => ((await till.el(id).count()) ? Number(((await till.el(id).textContent()) ?? '').replace(/^[^:]*:/, '').replace(/\D/g, '')) : 0);
    assert.equal((await digits('member-balance')) + (await digits('member-pending')), balanceAfter);
    assert.deepEqual(pageErrors(page), []);
    await close();
  });

  test('enrol a member by phone; bad input says what is wrong', async () => {
    const { page, till, close } = await open();
    const started = Date.now();
    await page.keyboard.press('F3');
    await till.el('enrol-dialog').waitFor();
    await till.el('enrol-phone').fill('12');
    await till.el('enrol-name').fill('Тест');
    await page.keyboard.press('Enter');
    assert.match(await till.formError('enrol-dialog'), /phone|телефон/i);
    await till.el('enrol-phone').fill('+7 916 000-11-22');
    await page.keyboard.press('Enter');
    assert.match(await till.formError('enrol-dialog'), /consent|agree|согласи/i);
    await screenshot(page, 'ru-05-enrol-error');
    await till.el('enrol-name').fill('Светлана Новикова');
    await till.el('enrol-birthday').fill('1992-03-14');
    await till.el('enrol-consent').check();
    await page.keyboard.press('Enter');
    await till.el('member-panel').waitFor();
    assert.equal(await till.el('member-name').textContent(), 'Светлана Новикова');
    assert.equal(await till.el('member-phone').textContent(), '+7 *** ***-11-22');
    const ms = Date.now() - started;
    console.log(`e2e timing: enrolment incl. two refused attempts: ${ms} ms (target < 20 000)`);
    assert.ok(ms < 20_000, `enrolment took ${ms} ms`);
    // Same phone again → a clear conflict, nothing created.
    await page.keyboard.press('F3');
    await till.el('enrol-phone').fill('8 916 000 11 22');
    await till.el('enrol-name').fill('Дубль');
    await till.el('enrol-consent').check();
    await page.keyboard.press('Enter');
    assert.match(await till.formError('enrol-dialog'), /already|уже/i);
    await page.keyboard.press('Escape');
    await till.el('enrol-dialog').waitFor({ state: 'detached' });
    await close();
  });

  test('lookup by the last 4 digits shows masked candidates', async () => {
    const { page, till, close } = await open();
    await page.keyboard.press('F2');
    await till.el('find-input').fill('12');
    await page.keyboard.press('Enter');
    assert.match(await till.formError('find-dialog'), /4/);
    await till.el('find-input').fill('1234');
    await page.keyboard.press('Enter');
    await till.el('candidates').waitFor();
    const texts = await till.el('candidate').allTextContents();
    assert.equal(texts.length, 2);
    for (const t of texts) assert.match(t, /\+7 \*\*\* \*\*\*-12-34/);
    await screenshot(page, 'ru-06-find-candidates');
    await till.el('candidate').filter({ hasText: 'Мария' }).click();
    await till.el('member-panel').waitFor();
    assert.equal(await till.el('member-name').textContent(), 'Мария Кузнецова');
    await close();
  });

  test('pay: too little cash and redeeming over the cap are refused with a reason', async () => {
    const { page, till, close } = await open();
    await till.wedgeScan('2000000100029'); // Пётр, 0 points
    await till.el('member-panel').waitFor();
    await till.addProduct('ESPRESSO');
    await till.el('to-pay').waitFor();
    await till.el('redeem-points').fill('50');
    await till.el('redeem-points').press('Enter');
    await till.el('quote-error').waitFor();
    assert.match((await till.el('quote-error').textContent())!, /point|балл/i);
    await page.keyboard.press('F9');
    await till.el('pay-tendered').fill('50');
    await page.keyboard.press('Enter');
    assert.match(await till.formError('pay-dialog'), /short|не хватает/i);
    await till.el('pay-tendered').fill('abc');
    await page.keyboard.press('Enter');
    assert.match(await till.formError('pay-dialog'), /digits|цифрами/i);
    await screenshot(page, 'ru-07-pay-error');
    await till.el('pay-card').click();
    await till.el('pay-confirm').click();
    await till.el('receipt-dialog').waitFor();
    await close();
  });

  test('refund asks for a manager PIN; a wrong or cashier PIN is refused', async () => {
    const { page, till, close } = await open();
    await till.addProduct('AMERICANO');
    await till.el('to-pay').waitFor();
    await till.payCard();
    await page.keyboard.press('Enter');
    await page.keyboard.press('F8');
    await till.el('refund-dialog').waitFor();
    await till.el('refund-recent').first().click();
    await till.el('refund-pin').waitFor();
    await till.el('refund-reason').fill('Не тот напиток');
    await till.el('refund-pin').fill('0000');
    await page.keyboard.press('Enter');
    assert.match(await till.formError('refund-dialog'), /PIN/i);
    await till.el('refund-pin').fill('4826'); // cashier
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /manager|менеджер/i.test(document.querySelector('[data-testid=refund-dialog] [data-testid=form-error]')?.textContent ?? ''));
    await screenshot(page, 'ru-08-refund-pin-error');
    await till.el('refund-pin').fill('1234'); // manager
    await page.keyboard.press('Enter');
    await till.el('refund-done').waitFor();
    await screenshot(page, 'ru-09-refund-done');
    await close();
  });

  test('manager: PIN login, program editor validation + preview, members, devices, sync', async () => {
    const { page, till, close } = await open();
    await page.keyboard.press('F10');
    await till.el('pin-login').waitFor();
    await till.el('pin-input').fill('12');
    await page.keyboard.press('Enter');
    assert.match(await till.formError('pin-login'), /PIN/);
    await screenshot(page, 'ru-10-manager-login-error');
    await till.el('pin-input').fill('1234');
    await page.keyboard.press('Enter');
    await till.el('program-editor').waitFor();
    await till.el('preview-earn').waitFor();
    await till.el('program-maxshare').fill('150');
    assert.match(await till.formError('program-editor'), /100|maxShare/);
    await screenshot(page, 'ru-11-program-error');
    await till.el('program-maxshare').fill('30');
    await page.waitForFunction(() => (document.querySelector('[data-testid=program-editor] [data-testid=form-error]')?.textContent ?? '') === '');
    await till.el('program-save').click();
    await page.getByTestId('toast').filter({ hasText: /2|версия/ }).waitFor();
    await screenshot(page, 'ru-12-program');
    await till.el('tab-members').click();
    await till.el('members-row').first().waitFor();
    await till.el('members-row').first().getByRole('button').click();
    await till.el('member-edit-phone').fill('not a phone');
    await till.el('member-edit-save').click();
    assert.match(await till.formError('member-edit'), /phone|телефон/i);
    await screenshot(page, 'ru-13-members');
    await till.el('tab-devices').click();
    await till.el('printer-form').waitFor();
    await till.el('test-print').click();
    await till.el('print-preview').waitFor();
    assert.match((await till.el('devices-message').textContent())!, /Напечатано/);
    await till.el('printer-uri').fill('ftp://printer');
    await till.el('printer-save').click();
    await page.waitForFunction(() => /printer|принтер|address|адрес/i.test(document.querySelector('[data-testid=devices-message]')?.textContent ?? ''));
    await screenshot(page, 'ru-14-devices');
    await till.el('tab-sync').click();
    await till.el('sync-register').waitFor();
    await till.el('sync-server').fill('not a url');
    await till.el('sync-code').fill('ABC123');
    await till.el('sync-register-submit').click();
    await page.waitForFunction(() => /server|сервер|address/i.test(document.querySelector('[data-testid=sync-screen] [data-testid=form-error]')?.textContent ?? ''));
    await screenshot(page, 'ru-15-sync');
    assert.deepEqual(pageErrors(page).filter((e) => !/401|403|Failed to load/.test(e)), []);
    await close();
  });

  test('shared flows (the same ones run under Electron)', async () => {
    const { till, close } = await open();
    await scanRedeemPay(till, 'KP-000003');
    await enrolByPhone(till, '+7 926 400-50-60', 'Общий Сценарий');
    await refundWithManagerPin(till);
    await close();
  });

  test('camera scan of a member QR (F6) identifies the member', async () => {
    // Chromium's fake camera plays a y4m with the QR of a demo card (helpers from the hardware tests).
    const dir = mkdtempSync(join(tmpdir(), 'kopilka-cam-'));
    const file = join(dir, 'card.y4m');
    writeFileSync(file, y4m(qrImage('KOPILKA:CARD:olegQR0004'), 30));
    const cam = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`] });
    try {
      const { page } = await newPage(cam, host);
      const till = new TillPage(page);
      await page.keyboard.press('F6');
      await till.el('camera-dialog').waitFor();
      await till.el('member-panel').waitFor({ timeout: 15_000 });
      assert.equal(await till.el('member-name').textContent(), 'Олег Попов');
      await till.el('camera-dialog').waitFor({ state: 'detached' });
    } finally {
      await cam.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('screens in English', async () => {
    const { page, till, close } = await open('en');
    await till.wedgeScan(ANNA_CARD);
    await till.el('member-panel').waitFor();
    await till.addProduct('RAF');
    await till.el('why').waitFor();
    await screenshot(page, 'en-01-cashier');
    assert.match((await till.el('to-pay').textContent())!, /₽|RUB/);
    await page.keyboard.press('F9');
    await screenshot(page, 'en-02-pay');
    await till.el('pay-confirm').click();
    await till.el('receipt-dialog').waitFor();
    await screenshot(page, 'en-03-receipt');
    await page.keyboard.press('Enter');
    await page.keyboard.press('F3');
    await till.el('enrol-dialog').waitFor();
    await screenshot(page, 'en-04-enrol');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F8');
    await till.el('refund-dialog').waitFor();
    await screenshot(page, 'en-05-refund');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');
    await till.el('pin-input').fill('1234');
    await page.keyboard.press('Enter');
    await till.el('program-editor').waitFor();
    await till.el('preview-earn').waitFor();
    await screenshot(page, 'en-06-program');
    for (const tab of ['members', 'devices', 'sync']) {
      await till.el(`tab-${tab}`).click();
      await till.el(`screen-${tab}`).waitFor();
      await screenshot(page, `en-07-${tab}`);
    }
    await close();
  });
});
