import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import CodepageEncoder from '@point-of-sale/codepage-encoder';
import { EscPos, encodable } from '../../native/printer/escpos';
import { listProfiles, type CyrillicCodepage } from '../../native/printer/profiles';

/**
 * The layout writes ESC/POS through its own byte writer (native/printer/escpos.ts) instead of
 * @point-of-sale/receipt-printer-encoder. For every command both have, the same commands and
 * text must give the encoder's bytes exactly, under each vendor's code-page number.
 */
function printableRuns(cp: CyrillicCodepage): string[] {
  const def = CodepageEncoder.getEncoding(cp as never) as unknown as { codepoints: (number | undefined)[] };
  const chars = def.codepoints
    .map((c, i) => (i >= 0x21 && i !== 0x7f && c !== undefined && c !== 0xfffd ? String.fromCodePoint(c) : ''))
    .join('');
  const runs: string[] = [];
  for (let i = 0; i < chars.length; i += 24) runs.push(chars.slice(i, i + 24));
  return runs;
}

const pages = new Map<string, { codepage: CyrillicCodepage; n: number; profiles: string[] }>();
for (const p of listProfiles()) {
  const key = `${p.codepage} = ESC t ${p.codepageNumber}`;
  const e = pages.get(key) ?? { codepage: p.codepage, n: p.codepageNumber, profiles: [] };
  e.profiles.push(p.name);
  pages.set(key, e);
}

describe('own ESC/POS writer = receipt-printer-encoder bytes for the same commands', () => {
  for (const [label, { codepage, n, profiles }] of pages) {
    it(`${label} (${profiles.join(', ')}): every printable character, bold, double height, QR, drawer pulse, cut`, () => {
      const runs = printableRuns(codepage);
      assert.ok(runs.join('').length > 150, 'the page has its Cyrillic half');
      const qr = 'https://kopilka.example/r/T1-42?s=68650';

      const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', codepageMapping: { [codepage]: n }, columns: 48, feedBeforeCut: 0, newline: '\n', errors: 'strict' });
      enc.initialize().codepage(codepage);
      for (const r of runs) enc.text(r).newline();
      enc.bold(true).text('ИТОГО к оплате').newline().bold(false);
      enc.height(2).text('756,50').newline().height(1);
      enc.align('center').qrcode(qr, { model: 2, size: 6, errorlevel: 'm' }).align('left');
      enc.text('Спасибо!').newline();
      enc.pulse(0, 50, 250).cut('partial');
      const expected = enc.encode();

      const own = new EscPos(codepage).initialize().font('A').selectCodepage(n);
      for (const r of runs) {
        assert.ok(encodable(r, codepage), `encodable in ${codepage}: ${r}`);
        own.text(r).newline();
      }
      own.bold(true).text('ИТОГО к оплате').bold(false).newline();
      own.size(1, 2).text('756,50').size(1, 1).newline();
      own.align(1).qrcode(qr, { model: 2, size: 6, level: 'm' }).newline().align(0);
      own.text('Спасибо!').newline();
      own.pulse(0, 50, 250).newline().cut(true).newline();
      assert.deepEqual(own.bytes(), expected);
    });
  }

  it('QR error levels, module sizes and model 1; full cut; pulse on pin 1 with clamped times', () => {
    for (const level of ['l', 'm', 'q', 'h'] as const) {
      for (const size of [1, 5, 8]) {
        for (const model of [1, 2] as const) {
          const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: 48, newline: '\n', errors: 'strict' });
          const data = `https://kopilka.example/${level}${size}${model}`;
          const expected = enc.initialize().qrcode(data, { model, size, errorlevel: level }).encode();
          const own = new EscPos('cp866').initialize().font('A').qrcode(data, { model, size, level }).newline();
          assert.deepEqual(own.bytes(), expected, `${level} ${size} ${model}`);
        }
      }
    }
    const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: 48, newline: '\n', errors: 'strict' });
    const expected = enc.initialize().pulse(1, 1000, 3).cut('full').encode();
    assert.deepEqual(new EscPos('cp866').initialize().font('A').pulse(1, 1000, 3).newline().cut(false).newline().bytes(), expected);
  });

  it('mode commands are sent only when the mode changes; a character the page lacks throws instead of printing "?"', () => {
    const w = new EscPos('cp866').initialize().bold(false).size(1, 1).align(0).bold(true).bold(true).align(1).align(1).size(2, 1).size(2, 1);
    assert.deepEqual([...w.bytes()], [0x1b, 0x40, 0x1c, 0x2e, 0x1b, 0x45, 1, 0x1b, 0x61, 1, 0x1d, 0x21, 0x10]);
    assert.throws(() => new EscPos('cp866').text('45 €'), /not printable in cp866/);
    assert.throws(() => new EscPos('windows1251').text('☕'), /not printable/);
    assert.deepEqual([...new EscPos('windows1251').text('€?').bytes()], [0x88, 0x3f]);
  });
});
