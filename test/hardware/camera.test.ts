import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ScanEvent } from '../../core/scan/event';
import { bundle, launch, servePage, type PageServer } from './browser';
import { code128Image, ean13Image, qrImage, y4m, y4mSequence } from './y4m';

/** Chromium's fake camera plays a y4m we generate; the camera module under test decodes it. */
let dir: string;
let server: PageServer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kopilka-cam-'));
  const js = await bundle(join(import.meta.dirname, 'pages', 'camera-entry.ts'));
  server = await servePage('<video id="v" muted playsinline style="width:320px"></video>', js);
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scanWithCamera(file: string, distinct = 1): Promise<{ scans: ScanEvent[]; errors: string[]; firstMs: number | null }> {
  const browser = await launch(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`]);
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction((n) => {
      const w = window as unknown as { scans: { data: string }[]; errors: unknown[] };
      return new Set(w.scans.map((s) => s.data)).size >= n || w.errors.length > 0;
    }, distinct, { timeout: 20_000 });
    await page.waitForTimeout(300); // would a repeat of the same code slip through?
    return await page.evaluate(() => {
      const w = window as unknown as { scans: ScanEvent[]; errors: string[]; firstMs: number | null };
      return { scans: w.scans, errors: w.errors, firstMs: w.firstMs };
    });
  } finally {
    await browser.close();
  }
}

describe('camera scanning through Chromium fake capture', () => {
  it('decodes a member QR shown on a phone, once', async () => {
    const file = join(dir, 'qr.y4m');
    writeFileSync(file, y4m(qrImage('KOPILKA:CARD:AbC-12345')));
    const r = await scanWithCamera(file);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.scans, [{ source: 'camera', symbology: 'qr', data: 'KOPILKA:CARD:AbC-12345' }]);
  });

  it('decodes an EAN-13 product barcode and a Code 128 loyalty card', async () => {
    // One video alternating the two labels (one second each), so one browser sees both.
    const file = join(dir, 'barcodes.y4m');
    writeFileSync(file, y4mSequence([[ean13Image('4601234567893'), 30], [await code128Image('KP-000003'), 30]]));
    const r = await scanWithCamera(file, 2);
    assert.deepEqual(r.errors, []);
    const seen = new Map(r.scans.map((s) => [s.data, s]));
    assert.deepEqual(seen.get('4601234567893'), { source: 'camera', symbology: 'ean13', data: '4601234567893' });
    assert.deepEqual(seen.get('KP-000003'), { source: 'camera', symbology: 'code128', data: 'KP-000003' });
  });
});
