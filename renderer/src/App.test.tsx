import 'global-jsdom/register';
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setLogSink } from '../../core/util/logger';
import { demoSeed } from '../../test/contract/implementations';
import { App, createPos, handleScan } from './App';
import { createLocalApi } from './api/local';
import { createMemoryBackend } from './api/memory';
import { managerRoutes } from './screens/manager/ManagerScreen';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
setLogSink(() => {});

function mount(lang: 'ru' | 'en' = 'ru') {
  const backend = createMemoryBackend(demoSeed());
  const pos = createPos(createLocalApi(backend.handlers, backend.bus), lang);
  const view = render(<App pos={pos} options={{ statusPollMs: 0 }} />);
  return { pos, backend, view };
}
const key = (k: string) => act(async () => void fireEvent.keyDown(window, { key: k }));
const ready = () => waitFor(() => assert.equal(document.querySelector('[data-testid=app]')?.getAttribute('data-ready'), 'yes'));

describe('counter screen (jsdom, in-memory contract)', () => {
  afterEach(() => cleanup());

  test('tap products, scan a card, redeem, pay cash, receipt shows change and the new balance', async () => {
    const { pos } = mount();
    await ready();
    fireEvent.click(await screen.findByTestId('product-CAPPUCCINO'));
    fireEvent.click(screen.getByTestId('product-LATTE'));
    await waitFor(() => assert.equal(screen.getAllByTestId('cart-line').length, 2));
    await waitFor(() => assert.match(screen.getByTestId('to-pay').textContent!, /400/));
    await act(() => handleScan(pos, '2000000100012', 'wedge'));
    await waitFor(() => assert.equal(screen.getByTestId('member-name').textContent, 'Анна Иванова'));
    assert.equal(screen.getByTestId('member-phone').textContent, '+7 *** ***-45-67');
    assert.match(screen.getByTestId('member-balance').textContent!, /300/);
    // Default program: up to 50% of 400 ₽ = 200 points (1 point = 1 ₽).
    await waitFor(() => assert.match(screen.getByTestId('redeem-cap').textContent!, /200/));
    fireEvent.click(screen.getByTestId('redeem-max'));
    await waitFor(() => assert.match(screen.getByTestId('to-pay').textContent!, /200/));
    assert.match(screen.getByTestId('why').textContent!, /5%/);
    await key('F9');
    const dialog = await screen.findByTestId('pay-dialog');
    fireEvent.change(within(dialog).getByTestId('pay-tendered'), { target: { value: '500' } });
    assert.match(within(dialog).getByTestId('pay-change').textContent!, /300/);
    await act(async () => void fireEvent.submit(dialog));
    const receipt = await screen.findByTestId('receipt-dialog');
    assert.match(within(receipt).getByTestId('sale-change').textContent!, /300/);
    // 300 − 200 redeemed + 5% of the 200 ₽ paid in money = 110.
    assert.equal(within(receipt).getByTestId('receipt-balance').textContent, '110');
    await act(async () => void fireEvent.submit(receipt));
    await screen.findByTestId('cart-empty');
  });

  test('quantities: +, −, typed, removal; bad quantity is refused with a message', async () => {
    mount();
    await ready();
    fireEvent.click(await screen.findByTestId('product-ESPRESSO'));
    await screen.findByTestId('cart-line');
    fireEvent.click(screen.getByLabelText('Ещё'));
    await waitFor(() => assert.equal((screen.getByTestId('cart-qty') as HTMLInputElement).value, '2'));
    fireEvent.change(screen.getByTestId('cart-qty'), { target: { value: '1000' } });
    await waitFor(() => assert.match(screen.getByTestId('toast').textContent!, /999/));
    assert.equal((screen.getByTestId('cart-qty') as HTMLInputElement).value, '2');
    fireEvent.click(screen.getByTestId('cart-remove'));
    await screen.findByTestId('cart-empty');
  });

  test('F2 finds by last 4 digits with masked candidates; Esc closes', async () => {
    mount();
    await ready();
    await key('F2');
    const dlg = await screen.findByTestId('find-dialog');
    fireEvent.change(within(dlg).getByTestId('find-input'), { target: { value: '1234' } });
    await act(async () => void fireEvent.submit(dlg));
    const c = await within(dlg).findAllByTestId('candidate');
    assert.equal(c.length, 2);
    for (const el of c) assert.match(el.textContent!, /\+7 \*\*\* \*\*\*-12-34/);
    fireEvent.keyDown(dlg, { key: 'Escape' });
    await waitFor(() => assert.equal(screen.queryByTestId('find-dialog'), null));
  });

  test('F3 enrolment: errors say what is wrong, success attaches the member', async () => {
    mount();
    await ready();
    await key('F3');
    const dlg = await screen.findByTestId('enrol-dialog');
    fireEvent.change(within(dlg).getByTestId('enrol-phone'), { target: { value: '+7 916 111-22-33' } });
    fireEvent.change(within(dlg).getByTestId('enrol-name'), { target: { value: 'Вера' } });
    await act(async () => void fireEvent.submit(dlg));
    await waitFor(() => assert.match(within(dlg).getByTestId('form-error').textContent!, /согласие на обработку персональных данных/));
    fireEvent.click(within(dlg).getByTestId('enrol-consent'));
    await act(async () => void fireEvent.submit(dlg));
    await waitFor(() => assert.equal(screen.getByTestId('member-name').textContent, 'Вера'));
  });

  test('English UI shows the backend’s refusal as written; switching to Russian translates the next one', async () => {
    const { pos } = mount('en');
    await ready();
    await act(() => handleScan(pos, '2000000100013', 'wedge'));
    await waitFor(() => assert.equal(screen.getByTestId('toast').textContent, 'Card 2000000100013 has a wrong check digit: scan it again or type it carefully'));
    fireEvent.click(screen.getByTestId('lang-toggle'));
    await act(() => handleScan(pos, '2000000100013', 'wedge'));
    await waitFor(() => assert.equal(screen.getByTestId('toast').textContent, 'У карты 2000000100013 неверная контрольная цифра: отсканируйте её ещё раз или введите номер внимательно'));
  });

  test('redeeming over the cap shows the engine’s reason and falls back to no redemption', async () => {
    const { pos } = mount();
    await ready();
    fireEvent.click(await screen.findByTestId('product-ESPRESSO'));
    await act(() => handleScan(pos, 'KP-000003', 'wedge')); // Мария, 1500 points
    await screen.findByTestId('redeem-points');
    fireEvent.change(screen.getByTestId('redeem-points'), { target: { value: '1000' } });
    await act(async () => void fireEvent.submit(screen.getByTestId('redeem-points').closest('form')!));
    await waitFor(() => assert.match(screen.getByTestId('quote-error').textContent!, /не больше 60 баллов \(/));
    assert.equal(pos.sale.getState().redeem.mode, 'none');
  });

  test('unknown scanned code is reported, nothing added', async () => {
    const { pos } = mount();
    await ready();
    await act(() => handleScan(pos, '4600000999991', 'wedge'));
    await waitFor(() => assert.match(screen.getByTestId('toast').textContent!, /4600000999991/));
    assert.equal(pos.sale.getState().items.length, 0);
  });

  test('English: labels and ₽ amounts', async () => {
    mount('en');
    await ready();
    fireEvent.click(await screen.findByTestId('product-RAF'));
    await waitFor(() => assert.equal(screen.getByTestId('to-pay').textContent, '₽240'));
    assert.ok(screen.getByText('To pay'));
    fireEvent.click(screen.getByTestId('lang-toggle'));
    await waitFor(() => assert.ok(screen.getByText('К оплате')));
  });

  test('manager: F10, wrong PIN refused, right PIN opens the program editor with a live preview', async () => {
    mount();
    await ready();
    await key('F10');
    const form = await screen.findByTestId('pin-login');
    fireEvent.change(within(form).getByTestId('pin-input'), { target: { value: '9753' } });
    await act(async () => void fireEvent.submit(form));
    await waitFor(() => assert.match(within(form).getByTestId('form-error').textContent!, /PIN/));
    fireEvent.change(within(form).getByTestId('pin-input'), { target: { value: '1234' } });
    await act(async () => void fireEvent.submit(form));
    await screen.findByTestId('program-editor');
    await waitFor(() => assert.match(screen.getByTestId('preview-earn').textContent!, /\+\d/));
    fireEvent.change(screen.getByTestId('program-maxshare'), { target: { value: '150' } });
    await waitFor(() => assert.match(screen.getByTestId('program-editor').querySelector('[data-testid=form-error]')!.textContent!, /0–100/));
    assert.equal((screen.getByTestId('program-save') as HTMLButtonElement).disabled, true);
    const tabs = managerRoutes().map((r) => r.id);
    for (const id of ['program', 'members', 'devices', 'sync']) assert.ok(tabs.includes(id));
    await key('Escape');
    await screen.findByTestId('cashier');
  });

  test('status bar shows printer, scanner, sync, online and queued receipts', async () => {
    mount();
    await ready();
    await waitFor(() => assert.match(screen.getByTestId('status-printer').textContent!, /готов/));
    for (const id of ['status-scanner', 'status-sync', 'status-online', 'status-queued']) assert.ok(screen.getByTestId(id).textContent);
  });
});

test('touch targets: buttons and inputs are at least 44 px tall (styles.css)', () => {
  const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');
  assert.match(css, /button, input, select \{ min-height: 44px; \}/);
  assert.match(css, /button \{ min-width: 44px;/);
});

test('status bar turns offline when the backend stops answering', async () => {
  const backend = createMemoryBackend(demoSeed());
  const api = createLocalApi(backend.handlers, backend.bus);
  const pos = createPos(api);
  render(<App pos={pos} options={{ statusPollMs: 0 }} />);
  await waitFor(() => assert.match(screen.getByTestId('status-online').textContent!, /В сети/));
  (api as unknown as Record<string, unknown>)['status.get'] = () => Promise.reject(new Error('offline'));
  await act(() => pos.app.getState().refreshStatus().catch(() => {}));
  await waitFor(() => assert.match(screen.getByTestId('status-online').textContent!, /Офлайн/));
  cleanup();
});
