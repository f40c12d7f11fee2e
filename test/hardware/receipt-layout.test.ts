import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import QRCode from 'qrcode';
import type { SaleReceiptModel } from '../../core/receipt/model';
import { layoutReceipt } from '../../native/printer/layout';
import { renderPreview } from '../../native/printer/preview';
import { gsv0, padLeft } from '../../native/printer/raster';
import { drawCells, imageCells } from '../../native/printer/text-image';
import { getProfile, listProfiles, type PrinterProfile } from '../../native/printer/profiles';
import { sampleSaleReceipt, sampleZReport } from '../../native/printer/sample';
import { textLines, tokenize, type Token } from './escpos-tokenizer';
import { decodeQrPixels, decodeQrPng, decodeQrRaster } from './zxing-decode';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'escpos');
const ICONV: Record<string, string> = { cp866: 'cp866', windows1251: 'win1251' };

function pagesFor(p: PrinterProfile): Record<number, string> {
  return { [p.codepageNumber]: ICONV[p.codepage]! };
}
function encode(model = sampleSaleReceipt(), profile: PrinterProfile) {
  const r = layoutReceipt(model, profile);
  return { ...r, tokens: tokenize(r.bytes, pagesFor(profile)) };
}
function only<T extends Token['t']>(tokens: Token[], t: T): Extract<Token, { t: T }>[] {
  return tokens.filter((x): x is Extract<Token, { t: T }> => x.t === t);
}

describe('receipt layout → ESC/POS bytes (read back by an independent tokenizer)', () => {
  for (const profile of listProfiles()) {
    it(`${profile.name}: code page, text, drawer pulse, cut`, () => {
      const { tokens, lines } = encode(undefined, profile);
      const cps = only(tokens, 'codepage');
      assert.ok(cps.length >= 1 && cps.every((c) => c.n === profile.codepageNumber), `ESC t ${profile.codepageNumber} only: ${cps.map((c) => c.n)}`);
      const printed = textLines(tokens, profile.columns);
      assert.deepEqual(printed.filter((l) => l !== ''), lines.filter((l) => l !== '' && !l.startsWith('[')));
      for (const t of only(tokens, 'text')) assert.ok(!t.bytes.includes(0x3f), `no "?" printed: ${t.text}`);
      assert.ok(printed.some((l) => l.includes('Кофейня')), 'Cyrillic decodes under the active page');
      assert.ok(printed.some((l) => /^ИТОГО\s+756,50$/.test(l)));
      assert.ok(printed.every((l) => [...l].length <= profile.columns), 'no line wider than the paper');
      const pulses = only(tokens, 'pulse');
      assert.equal(pulses.length, 1, 'cash sale opens the drawer once');
      assert.equal(pulses[0]!.pin, 0);
      assert.ok(pulses[0]!.t1 >= 0x19 && pulses[0]!.t2 > pulses[0]!.t1, 'pulse long enough for a solenoid');
      const cuts = only(tokens, 'cut');
      assert.equal(cuts.length, 1);
      assert.ok([1, 49, 66].includes(cuts[0]!.m), 'partial cut');
      assert.equal(tokens.at(-1)?.t === 'cut' || tokens.at(-2)?.t === 'cut', true, 'cut is last');
      if (profile.font === 'B') assert.ok(only(tokens, 'font').some((f) => f.n === 1), 'font B selected');
    });
  }

  it('native QR: GS ( k parameters and pL/pH arithmetic are right; the payload decodes', async () => {
    const profile = getProfile('epson-80');
    const model = sampleSaleReceipt();
    const qr = only(encode(model, profile).tokens, 'qr');
    assert.deepEqual(qr.map((q) => q.fn), [65, 67, 69, 80, 81]);
    assert.deepEqual(qr[0]!.params, [50, 0], 'model 2');
    assert.deepEqual(qr[1]!.params, [6], 'module size 6 on 80 mm');
    assert.deepEqual(qr[2]!.params, [49], 'error correction M');
    const store = qr[3]!;
    assert.equal(store.params[0], 48);
    const payload = Buffer.from(store.params.slice(1)).toString('latin1');
    assert.equal(payload, model.qr);
    assert.equal(store.pL + store.pH * 256, 3 + payload.length);
    assert.deepEqual(qr[4]!.params, [48]);
    // Printer firmware draws the modules; we prove the payload is a valid QR input by
    // rendering it and decoding the raster with zxing.
    const code = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    const n = code.modules.size;
    const px = new Uint8Array(n * 4 * n * 4);
    for (let y = 0; y < n * 4; y++) for (let x = 0; x < n * 4; x++) px[y * n * 4 + x] = code.modules.data[Math.floor(y / 4) * n + Math.floor(x / 4)] ? 1 : 0;
    assert.equal(decodeQrPixels(n * 4, n * 4, px), model.qr);
  });

  it('raster QR profile: the GS v 0 image itself decodes to the payload', () => {
    const profile = getProfile('generic-58-raster-qr');
    const model = sampleSaleReceipt();
    const { tokens } = encode(model, profile);
    assert.equal(only(tokens, 'qr').length, 0, 'no GS ( k for a printer without it');
    const rasters = only(tokens, 'raster');
    assert.equal(rasters.length, 1);
    assert.ok(rasters[0]!.widthBytes * 8 <= profile.dots);
    assert.ok(rasters[0]!.widthBytes * 8 > profile.dots / 2, 'centred by left padding');
    assert.equal(decodeQrRaster(rasters[0]!.widthBytes, rasters[0]!.height, rasters[0]!.data), model.qr);
  });

  it('logo: printed as a centred GS v 0 raster carrying exactly the logo bits', () => {
    const profile = getProfile('epson-58');
    const w = 64;
    const h = 24;
    const packed = Buffer.alloc((w / 8) * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x >> 3) % 2 === (y >> 3) % 2) packed[y * 8 + (x >> 3)]! |= 0x80 >> (x & 7);
    const base = sampleSaleReceipt();
    const { tokens } = encode({ ...base, shop: { ...base.shop, logo: { width: w, height: h, base64: packed.toString('base64') } } }, profile);
    const r = only(tokens, 'raster');
    assert.equal(r.length, 1);
    assert.equal(r[0]!.height, h);
    const padBytes = r[0]!.widthBytes - w / 8;
    assert.equal(padBytes, (profile.dots - w) / 16, 'centred on 384 dots');
    for (let y = 0; y < h; y++) {
      const row = r[0]!.data.subarray(y * r[0]!.widthBytes, (y + 1) * r[0]!.widthBytes);
      assert.ok(row.subarray(0, padBytes).every((b) => b === 0));
      assert.deepEqual([...row.subarray(padBytes)], [...packed.subarray(y * 8, y * 8 + 8)]);
    }
  });

  it('drawer: opens when cash changes hands (sale or cash refund); not for card, not on reprints', () => {
    const profile = getProfile('epson-80');
    const base = sampleSaleReceipt();
    const card: SaleReceiptModel = { ...base, payments: [{ type: 'card', amount: base.totals.toPay }] };
    assert.equal(only(encode(card, profile).tokens, 'pulse').length, 0);
    assert.equal(only(encode({ ...card, kind: 'refund' }, profile).tokens, 'pulse').length, 0);
    assert.equal(only(encode({ ...base, copy: true }, profile).tokens, 'pulse').length, 0);
    assert.equal(only(encode({ ...base, kind: 'refund' }, profile).tokens, 'pulse').length, 1);
    assert.equal(only(encode({ ...base, kind: 'refund', copy: true }, profile).tokens, 'pulse').length, 0);
    const copy = textLines(encode({ ...base, copy: true }, profile).tokens, profile.columns);
    assert.ok(copy.some((l) => l.includes('КОПИЯ')));
  });

  it('characters missing from the code page: transliterated where a stand-in exists, else the line is an image; never "?"', () => {
    for (const name of ['epson-58', 'epson-80-1251']) {
      const profile = getProfile(name);
      const base = sampleSaleReceipt();
      const noStandIn = 'Кофе ☕ и 寿司, Łódź';
      const model: SaleReceiptModel = { ...base, footer: ['Цена 45 € — «спасибо»', 'Crème brûlée ₽', noStandIn, 'Вопросы? Звоните'] };
      const { tokens, replaced, lines } = encode(model, profile);
      const texts = only(tokens, 'text');
      // The one "?" on paper is the real one in "Вопросы?".
      const withQ = texts.filter((t) => t.bytes.includes(0x3f));
      assert.deepEqual(withQ.map((t) => t.text.trim()), ['Вопросы? Звоните']);
      const printed = textLines(tokens, profile.columns).join('\n');
      // CP866 lacks €, — and «»; WPC1251 has them. Neither has è, û or ₽.
      if (profile.codepage === 'cp866') assert.match(printed, /Цена 45 EUR - "спасибо"/);
      else assert.match(printed, /Цена 45 € — «спасибо»/);
      assert.match(printed, /Creme brulee руб\./);
      assert.ok(!printed.includes('_') && !printed.includes('Кофе ☕'), 'no placeholder text, and the unprintable line is not text');
      // ☕, 寿, 司 and Ł have no stand-in: that line is a GS v 0 image drawn with the bundled font;
      // glyphs the font lacks too are drawn as a visible box.
      const rasters = only(tokens, 'raster');
      assert.equal(rasters.length, 1, 'one image line (the QR is printer-native)');
      const img = rasters[0]!;
      assert.equal(img.height, 24);
      const cells = imageCells(noStandIn, profile.codepage);
      assert.deepEqual(cells.map((c) => c ?? '□').join(''), 'Кофе □ и □□, □odz');
      const drawn = gsv0(padLeft(drawCells(cells, { bold: false, tall: false }), profile.dots));
      assert.deepEqual([...img.data], [...drawn.subarray(8)], 'the image is the line drawn with the font, centred');
      const x0 = Math.floor((profile.dots - Math.ceil((cells.length * 12) / 8) * 8) / 16) * 8;
      const inkIn = (cell: number) => {
        let ink = 0;
        for (let y = 0; y < 24; y++) for (let x = x0 + cell * 12; x < x0 + cell * 12 + 12; x++) ink += (img.data[y * img.widthBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
        return ink;
      };
      assert.ok(inkIn(5) > 20, 'the missing glyph box is visible');
      assert.equal(inkIn(4), 0, 'a space stays blank');
      assert.ok(lines.includes('[image Кофе □ и □□, □odz]'));
      // (Messages on every assert.ok: without one, node re-parses the transpiled source to describe it, which can take minutes.)
      assert.ok(replaced.some((r) => r.char === '☕' && r.with === '[image]'), 'the ☕ is reported as printed in an image');
      assert.ok(replaced.some((r) => r.char === '₽' && r.with === 'руб.'), '₽ reported as руб.');
      // The preview (an independent interpreter of the same bytes) shows the image, not text.
      const pv = renderPreview(layoutReceipt(model, profile).bytes, { dots: profile.dots });
      assert.deepEqual(pv.unknown, []);
      assert.ok(pv.images.some((im) => im.kind === 'raster' && im.height === 24), 'preview shows the image line');
      assert.ok(!pv.text.some((l) => l.includes('_') || (l.includes('?') && !l.includes('Вопросы?'))), 'preview text has no placeholder and no stray "?"');
    }
  });

  it('an item whose name has no stand-in prints as an image line with its amount at the right edge', () => {
    const profile = getProfile('epson-80');
    const base = sampleSaleReceipt(1);
    const tea = { name: 'Чай 🍵', qtyMilli: 1000, unitPrice: 5000, amount: 5000, discount: 0, pointsPaid: 0 };
    const { tokens, lines } = encode({ ...base, lines: [...base.lines, tea] }, profile);
    const img = only(tokens, 'raster');
    assert.equal(img.length, 1);
    const cols = profile.dots / 12;
    const cells = [...imageCells('Чай 🍵', profile.codepage)];
    const expected = [...cells, ...Array<string>(cols - cells.length - 5).fill(' '), ...'50,00'];
    assert.deepEqual([...img[0]!.data], [...gsv0(drawCells(expected, { bold: false, tall: false })).subarray(8)]);
    assert.equal(img[0]!.widthBytes * 8, profile.dots, 'spans the paper: the amount ends at the right edge');
    assert.equal(lines.find((l) => l.startsWith('[image')), `[image Чай □${' '.repeat(cols - 10)}50,00]`);
    const printed = textLines(tokens, profile.columns);
    assert.ok(printed.some((l) => /^ИТОГО\s+/.test(l)) && !printed.some((l) => l.includes('Чай')), 'the tea line is not text');
  });

  it("text positioned by ESC a / ESC D + HT ('commands'), or by spaces for a printer without them ('spaces'): same paper", () => {
    for (const name of ['epson-80', 'epson-58', 'epson-58-fontb', 'xprinter-80-1251']) {
      const profile = getProfile(name);
      const spaced: PrinterProfile = { ...profile, textLayout: 'spaces' };
      const model = sampleSaleReceipt(25);
      const cmd = encode(model, profile);
      const pad = encode(model, spaced);
      // 58 mm lines have less padding to save than 80 mm ones.
      assert.ok(cmd.bytes.length < pad.bytes.length * (profile.paper === 80 && profile.font === 'A' ? 0.6 : 0.8), `${name}: ${cmd.bytes.length} vs ${pad.bytes.length} B`);
      // Spaces are left only where they are the cheapest way across (a stop there would cost an HT
      // on many other lines); never trailing.
      const spacesIn = (tokens: Token[]) => only(tokens, 'text').reduce((n, t) => n + t.bytes.filter((b) => b === 0x20).length, 0);
      assert.ok(spacesIn(cmd.tokens) * 3 < spacesIn(pad.tokens), `${name}: ${spacesIn(cmd.tokens)} vs ${spacesIn(pad.tokens)} spaces`);
      cmd.tokens.forEach((t, i) => assert.ok(!(t.t === 'text' && cmd.tokens[i + 1]?.t === 'lf' && t.text.endsWith(' ')), `${name}: trailing space in "${t.t === 'text' ? t.text : ''}"`));
      assert.equal(only(cmd.tokens, 'tabStops').length, 1, 'tab stops set once per job');
      assert.ok(only(cmd.tokens, 'tab').length > 20);
      // The fallback sends none of those commands (ESC a 1 only around the printer-native QR).
      assert.equal(only(pad.tokens, 'tabStops').length + only(pad.tokens, 'tab').length, 0);
      assert.deepEqual(only(pad.tokens, 'align').map((a) => a.n), [1, 0]);
      // Both print the same lines, rules aside (line characters at 4x width vs full-width hyphens).
      const rule = /^\s*[─—-]{8,}\s*$/;
      const paper = (t: Token[]) => textLines(t, profile.columns).filter((l) => !rule.test(l));
      assert.deepEqual(paper(cmd.tokens), paper(pad.tokens));
      // Mode commands only on change: never two bold (or size, or alignment) commands with nothing printed between.
      let last: Token['t'] | null = null;
      for (const t of cmd.tokens) {
        if (t.t === 'text' || t.t === 'lf') last = null;
        else if (t.t === 'bold' || t.t === 'size' || t.t === 'align') {
          assert.notEqual(last, t.t, `${name}: repeated ${t.t}`);
          last = t.t;
        }
      }
    }
  });

  it('Z report prints titled sections with money formatted', () => {
    const profile = getProfile('epson-58');
    const lines = textLines(encode(sampleZReport() as never, profile).tokens, profile.columns);
    assert.ok(lines.some((l) => l.includes('Z-ОТЧЁТ')));
    assert.ok(lines.some((l) => /^Выручка\s+12 345,50$/.test(l)));
    assert.ok(lines.some((l) => /^Чеков\s+37$/.test(l)));
  });

  it('the virtual printer preview (rendered from the bytes) agrees with the tokenizer and its QR decodes', () => {
    for (const name of ['epson-58', 'epson-80-1251']) {
      const profile = getProfile(name);
      const model = sampleSaleReceipt();
      const { bytes, tokens } = encode(model, profile);
      const pv = renderPreview(bytes, { dots: profile.dots });
      assert.deepEqual(pv.unknown, []);
      assert.deepEqual(pv.text.filter((l) => l), textLines(tokens, profile.columns).filter((l) => l));
      assert.equal(pv.cuts, 1);
      assert.equal(pv.drawerPulses, 1);
      assert.equal(pv.width, profile.dots + 32);
      const qrImg = pv.images.find((im) => im.kind === 'qr');
      assert.ok(qrImg);
      assert.equal(decodeQrPng(pv.png, { y0: qrImg.top - 8, y1: qrImg.top + qrImg.height + 8 }), model.qr);
    }
  });

  it('golden bytes per paper width and vendor profile', () => {
    if (!existsSync(FIXTURES)) mkdirSync(FIXTURES, { recursive: true });
    for (const profile of listProfiles()) {
      const { bytes } = layoutReceipt(sampleSaleReceipt(), profile);
      const file = join(FIXTURES, `${profile.name}.bin`);
      if (process.env.UPDATE_GOLDEN === '1') {
        writeFileSync(file, bytes);
        writeFileSync(file.replace(/\.bin$/, '.hex'), hexdump(bytes));
      }
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 after checking the preview`);
      assert.deepEqual(new Uint8Array(readFileSync(file)), bytes, `${profile.name} bytes changed (UPDATE_GOLDEN=1 to accept after checking the preview)`);
    }
  });
});

function hexdump(b: Uint8Array): string {
  let out = '';
  for (let o = 0; o < b.length; o += 16) {
    const row = [...b.subarray(o, o + 16)];
    out += o.toString(16).padStart(8, '0') + ': ' + row.map((x) => x.toString(16).padStart(2, '0')).join(' ').padEnd(48) + '  ' + row.map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('') + '\n';
  }
  return out;
}
