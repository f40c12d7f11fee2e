/**
 * The same flows as the browser suite, under the real Electron shell via playwright-core's
 * `_electron.launch`. Skips cleanly where no Electron binary exists (this CI box); runs under
 * xvfb-run on a machine that has one. Never require('electron') here: without the binary that
 * throws.
 */
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { TillPage } from '../e2e/pages/till';
import { enrolByPhone, refundWithManagerPin, scanRedeemPay } from '../e2e/flows';

const root = fileURLToPath(new URL('../..', import.meta.url));
const exe = electronBinary();
const skip = exe ? (process.platform === 'linux' && !process.env.DISPLAY ? 'no X display: run under xvfb-run' : false) : 'no Electron binary on this machine (node_modules/electron/dist missing); the same flows run in Chromium in test/e2e';

describe('counter under Electron', { skip }, () => {
  let app: ElectronApplication;
  let page: Page;
  let dir: string;
  before(async () => {
    const { buildElectron } = await import('../../scripts/build-electron.mjs');
    await buildElectron();
    dir = mkdtempSync(join(tmpdir(), 'kopilka-electron-'));
    app = await _electron.launch({
      executablePath: exe!,
      args: [join(root, 'dist-electron/main/index.mjs')],
      env: { ...process.env, KOPILKA_DB: join(dir, 'kopilka.db'), KOPILKA_DEMO: '1' },
    });
    page = await app.firstWindow();
    await page.locator('[data-testid=app][data-ready=yes]').waitFor({ timeout: 20_000 });
  });
  after(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('window is isolated: no require/process in the page, window.pos has only contract functions', async () => {
    const r = await page.evaluate(`({ req: typeof require, proc: typeof process, keys: Object.keys(window.pos).sort() })`);
    const v = r as { req: string; proc: string; keys: string[] };
    if (v.req !== 'undefined' || v.proc !== 'undefined') throw new Error('Node leaked into the renderer');
    if (v.keys.includes('invoke') || v.keys.includes('send')) throw new Error('generic IPC exposed');
  });
  test('scan a card → redeem → pay → receipt balance', async () => scanRedeemPay(new TillPage(page)));
  test('enrol by phone', async () => enrolByPhone(new TillPage(page), '+7 926 400-50-61', 'Электрон Тестов'));
  test('refund with a manager PIN', async () => refundWithManagerPin(new TillPage(page)));
});
