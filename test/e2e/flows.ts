/**
 * The flows shared by the browser suite (till.e2e.test.ts) and the Electron suite
 * (test/electron/till.electron.test.ts): the same page objects, the same assertions.
 */
import assert from 'node:assert/strict';
import type { TillPage } from './pages/till';

export async function scanRedeemPay(till: TillPage, card = '2000000100012'): Promise<void> {
  const { page } = till;
  await till.wedgeScan(card);
  await till.el('member-panel').waitFor();
  const before = Number((await till.el('member-balance').textContent())!.replace(/\D/g, ''));
  const pendingBefore = (await till.el('member-pending').count()) ? Number((await till.el('member-pending').textContent())!.replace(/^[^:]*:/, '').replace(/\D/g, '')) : 0;
  await till.addProduct('CAPPUCCINO');
  await till.addProduct('LATTE');
  await till.el('why').waitFor();
  const canRedeem = !(await till.el('redeem-max').isDisabled());
  let redeemed = 0;
  if (canRedeem) {
    await till.redeemMax();
    redeemed = Number(/\((\d[\d\s ]*)\)/.exec((await till.el('totals-redeemed').textContent())!)![1]!.replace(/\D/g, ''));
  }
  const earn = Number((await till.el('earn-points').textContent())!.replace(/\D/g, ''));
  await till.payCard();
  const after = Number((await till.receiptBalance()).replace(/\D/g, ''));
  assert.equal(after, before + pendingBefore - redeemed + earn);
  await page.keyboard.press('Enter');
  await till.el('cart-empty').waitFor();
}

export async function enrolByPhone(till: TillPage, phone: string, name: string): Promise<void> {
  const { page } = till;
  await page.keyboard.press('F3');
  await till.el('enrol-dialog').waitFor();
  await till.el('enrol-phone').fill(phone);
  await till.el('enrol-name').fill(name);
  await page.keyboard.press('Enter');
  assert.match(await till.formError('enrol-dialog'), /consent|agree|согласи/i);
  await till.el('enrol-consent').check();
  await page.keyboard.press('Enter');
  await till.el('member-panel').waitFor();
  assert.equal(await till.el('member-name').textContent(), name);
}

export async function refundWithManagerPin(till: TillPage, managerPin = '1234'): Promise<void> {
  const { page } = till;
  await till.addProduct('ESPRESSO');
  await till.el('to-pay').waitFor();
  await till.payCard();
  await page.keyboard.press('Enter');
  await page.keyboard.press('F8');
  await till.el('refund-recent').first().click();
  await till.el('refund-reason').fill('Ошибка кассира');
  await till.el('refund-pin').fill('9753');
  await page.keyboard.press('Enter');
  assert.match(await till.formError('refund-dialog'), /PIN/);
  await till.el('refund-pin').fill(managerPin);
  await page.keyboard.press('Enter');
  await till.el('refund-done').waitFor();
  await page.keyboard.press('Escape');
}
