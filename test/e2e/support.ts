/**
 * End-to-end plumbing: starts `npm run start:web` as a child process on a temp database and a
 * random port (exactly what a developer runs), launches Debian Chromium via playwright-core,
 * and cleans both up. The renderer is built first if dist/renderer is missing (fresh clone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../scripts/web-host';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export type RunningHost = Readonly<{ url: string; origin: string; token: string; dir: string; child: ChildProcess; stop(): Promise<void> }>;

export async function startHostProcess(): Promise<RunningHost> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'web-host.ts'), '--port', '0', '--db', join(dir, 'kopilka.db')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((ok, bad) => {
    let out = '';
    const timer = setTimeout(() => bad(new Error('start:web did not print a URL in 30 s\n' + err)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('http://127.0.0.1:'));
      if (line) {
        clearTimeout(timer);
        ok(line.trim());
      }
    });
    child.once('exit', (code) => bad(new Error(`start:web exited with ${code}\n${err}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token')!,
    dir,
    child,
    async stop() {
      if (child.exitCode === null) {
        const done = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await Promise.race([done, new Promise((ok) => setTimeout(ok, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newPage(browser: Browser, host: RunningHost, lang: 'ru' | 'en' = 'ru'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${host.origin}/?lang=${lang}#token=${host.token}`);
  await page.locator('[data-testid=app][data-ready=yes]').waitFor({ timeout: 15_000 });
  (page as unknown as { __errors: string[] }).__errors = errors;
  return { context, page };
}

export function pageErrors(page: Page): readonly string[] {
  return (page as unknown as { __errors?: string[] }).__errors ?? [];
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
