import type { Locator, Page } from 'playwright-core';

const WEDGE_SCRIPT = `(() => {
  const text = __CODE__;
  const target = document.activeElement || document.body;
  function codeOf(ch) { return /[0-9]/.test(ch) ? 'Digit' + ch : /[a-z]/i.test(ch) ? 'Key' + ch.toUpperCase() : ch === ':' ? 'Semicolon' : ch === '-' ? 'Minus' : ''; }
  for (const ch of text) {
    const shift = /[A-Z:]/.test(ch);
    target.dispatchEvent(new KeyboardEvent('keydown', { key: ch, code: codeOf(ch), shiftKey: shift, bubbles: true, cancelable: true }));
    target.dispatchEvent(new KeyboardEvent('keyup', { key: ch, code: codeOf(ch), shiftKey: shift, bubbles: true }));
  }
  target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
})()`;

/** Page object for the cashier screen: what a cashier does, in their words. */
export class TillPage {
  constructor(readonly page: Page) {}

  el(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /**
   * A keyboard-wedge scanner: the whole code as a burst of keydown events, then Enter, fired
   * inside the page back to back like a real scanner (~1 ms apart). Typing through the CDP
   * keyboard costs a round trip per key, which on a loaded 2-core CI box can stretch the burst
   * past the wedge's human/scanner threshold and make the test flaky rather than the app.
   */
  async wedgeScan(code: string): Promise<void> {
    // A string, not a function: tsx's keepNames would inject a __name helper the page lacks.
    await this.page.evaluate(WEDGE_SCRIPT.replace('__CODE__', JSON.stringify(code)));
  }

  /** Scan and measure, inside the page, from the scan's last key to `selector` being painted. */
  async timedScan(code: string, kind: 'member' | 'cart'): Promise<number> {
    await this.page.evaluate(() => ((globalThis as unknown as { __kopilkaTimings: unknown[] }).__kopilkaTimings = []));
    await this.wedgeScan(code);
    const handle = await this.page.waitForFunction(
      (k) => (globalThis as unknown as { __kopilkaTimings?: { kind: string; scanAt: number; shownAt: number }[] }).__kopilkaTimings?.find((t) => t.kind === k) ?? null,
      kind,
      { timeout: 5000 },
    );
    const t = (await handle.jsonValue()) as { scanAt: number; shownAt: number };
    return t.shownAt - t.scanAt;
  }

  async addProduct(sku: string): Promise<void> {
    await this.el(`product-${sku}`).click();
  }

  cartLines(): Locator {
    return this.el('cart-line');
  }

  async toPayText(): Promise<string> {
    return (await this.el('to-pay').textContent()) ?? '';
  }

  async redeemMax(): Promise<void> {
    await this.el('redeem-max').click();
    await this.el('totals-redeemed').waitFor();
  }

  async payCash(tendered?: string): Promise<void> {
    await this.page.keyboard.press('F9');
    await this.el('pay-dialog').waitFor();
    await this.el('pay-cash').click();
    if (tendered !== undefined) await this.el('pay-tendered').fill(tendered);
    await this.el('pay-confirm').click();
    await this.el('receipt-dialog').waitFor();
  }

  async payCard(): Promise<void> {
    await this.page.keyboard.press('F9');
    await this.el('pay-dialog').waitFor();
    await this.el('pay-card').click();
    await this.el('pay-confirm').click();
    await this.el('receipt-dialog').waitFor();
  }

  async receiptBalance(): Promise<string> {
    return (await this.el('receipt-balance').textContent()) ?? '';
  }

  async formError(dialog: string): Promise<string> {
    const loc = this.el(dialog).getByTestId('form-error');
    await loc.filter({ hasText: /\S/ }).waitFor({ timeout: 5000 });
    return (await loc.textContent()) ?? '';
  }
}
