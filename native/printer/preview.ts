import './codepage-cache';
import CodepageEncoder from '@point-of-sale/codepage-encoder';
import { PNG } from 'pngjs';
import { GLYPH_BITS, GLYPH_CHARS, GLYPH_H, GLYPH_W } from './font/glyphs';
import { qrBitmap, unpack, type QrLevel } from './raster';

/**
 * The virtual printer's "paper": interprets the ESC/POS bytes it was sent (not the receipt
 * model), so the preview shows exactly what a real printer would be asked to print —
 * code page switches, bold/double height, alignment, printer-native QR, raster images,
 * cuts and drawer pulses. Unknown commands are listed in `unknown` rather than guessed.
 */
export type PreviewOptions = Readonly<{
  /** Printable width in dots (384 on 58 mm, 576 on 80 mm). */
  dots: number;
  /** ESC t number → code page; defaults to the Epson numbering. */
  codepages?: Readonly<Record<number, string>>;
}>;

export type Preview = Readonly<{
  png: Buffer;
  width: number;
  height: number;
  /** Plain text, one entry per printed line, decoded with the active code page. */
  text: string[];
  cuts: number;
  drawerPulses: number;
  qr: string[];
  /** Where images (QR codes, logos, raster QR) sit on the preview, in PNG pixel rows. */
  images: { kind: 'qr' | 'raster'; top: number; height: number }[];
  unknown: string[];
}>;

const EPSON_CODEPAGES: Readonly<Record<number, string>> = { 0: 'cp437', 7: 'cp866', 17: 'cp866', 23: 'windows1251', 46: 'windows1251' };

const MARGIN = 16;
const glyphIndex = new Map<string, number>([...GLYPH_CHARS].map((c, i) => [c, i]));
const glyphBits = Buffer.from(GLYPH_BITS, 'base64');
const GLYPH_BYTES = (GLYPH_W * GLYPH_H) / 8;
/** Glyphs unpacked once to one byte per dot (1 = black), for plain-style fast drawing. */
const glyphPixels: Uint8Array[] = [...GLYPH_CHARS].map((_, gi) => {
  const px = new Uint8Array(GLYPH_W * GLYPH_H);
  for (let bit = 0; bit < px.length; bit++) px[bit] = (glyphBits[gi * GLYPH_BYTES + (bit >> 3)]! >> (7 - (bit & 7))) & 1;
  return px;
});

type Style = { bold: boolean; underline: boolean; w: number; h: number; fontB: boolean; invert: boolean };
/** A character, or (skip > 0) the blank an HT jumps over, in dots. */
type Piece = { ch: string; style: Style; skip?: number };

const charWidth = (s: Style) => (s.fontB ? 9 : GLYPH_W) * s.w;
/** After ESC @ Epson printers have a tab stop every 8 characters. */
const defaultTabs = (s: Style) => Array.from({ length: 32 }, (_, k) => (k + 1) * 8 * charWidth(s));

export function renderPreview(bytes: Uint8Array, opts: PreviewOptions): Preview {
  const dots = opts.dots;
  const codepages = opts.codepages ?? EPSON_CODEPAGES;
  const rows: Uint8Array[] = []; // each row `dots` wide, 1 = black
  const text: string[] = [];
  const unknown: string[] = [];
  const qr: string[] = [];
  const images: { kind: 'qr' | 'raster'; top: number; height: number }[] = [];
  let cuts = 0;
  let drawerPulses = 0;
  let table = CodepageEncoder.getEncoding('cp437' as never) as { codepoints: number[] };
  let style: Style = { bold: false, underline: false, w: 1, h: 1, fontB: false, invert: false };
  let align = 0;
  let line: Piece[] = [];
  let qrData = '';
  let qrModule = 3;
  let qrLevel: QrLevel = 'l';
  let tabs = defaultTabs(style);

  const blankRows = (n: number) => { for (let i = 0; i < n; i++) rows.push(new Uint8Array(dots)); };
  const place = (bm: { width: number; height: number; pixels: Uint8Array }, kind: 'qr' | 'raster') => {
    images.push({ kind, top: rows.length + MARGIN, height: bm.height });
    const x0 = align === 1 ? Math.max(0, (dots - bm.width) >> 1) : align === 2 ? Math.max(0, dots - bm.width) : 0;
    for (let y = 0; y < bm.height; y++) {
      const row = new Uint8Array(dots);
      for (let x = 0; x < bm.width && x0 + x < dots; x++) row[x0 + x] = bm.pixels[y * bm.width + x]!;
      rows.push(row);
    }
  };
  const cw = charWidth;
  const lineWidth = () => line.reduce((s, p) => s + (p.skip ?? cw(p.style)), 0);
  const flush = () => {
    const width = lineWidth();
    let x = align === 1 ? Math.max(0, (dots - width) >> 1) : align === 2 ? Math.max(0, dots - width) : 0;
    // The text is what the paper shows, in columns of the line's base font: alignment and tab
    // skips become spaces, an n×-wide character n copies of it.
    const col = line.length && line.every((p) => p.style.fontB) ? 9 : GLYPH_W;
    text.push(' '.repeat(line.length ? Math.floor(x / col) : 0) + line.map((p) => (p.skip ? ' '.repeat(Math.round(p.skip / col)) : p.ch.repeat(p.style.w))).join(''));
    const lineH = Math.max(1, ...line.map((p) => p.style.h)) * (line.some((p) => !p.style.fontB) || line.length === 0 ? GLYPH_H : 17);
    const block = Array.from({ length: lineH + 6 }, () => new Uint8Array(dots));
    for (const p of line) {
      if (p.skip) {
        x += p.skip;
        continue;
      }
      const gi = glyphIndex.get(p.ch) ?? glyphIndex.get('?')!;
      const gw = cw(p.style);
      const gh = (p.style.fontB ? 17 : GLYPH_H) * p.style.h;
      const top = lineH - gh;
      const st = p.style;
      if (!st.fontB && st.w === 1 && st.h === 1 && !st.bold && !st.underline && !st.invert) {
        // Plain text (most of a receipt): copy the glyph's dots.
        const px = glyphPixels[gi]!;
        for (let y = 0; y < GLYPH_H; y++) {
          const row = block[top + y]!;
          for (let xx = 0; xx < GLYPH_W && x + xx < dots; xx++) if (px[y * GLYPH_W + xx]) row[x + xx] = 1;
        }
        x += gw;
        continue;
      }
      for (let y = 0; y < gh; y++) {
        const sy = Math.floor((y * GLYPH_H) / gh);
        for (let xx = 0; xx < gw; xx++) {
          const sx = Math.floor((xx * GLYPH_W) / gw);
          const bit = sx + sy * GLYPH_W;
          let on = glyphPixels[gi]![bit]!;
          if (!on && st.bold && sx > 0) on = glyphPixels[gi]![bit - 1]!;
          if (st.underline && y === gh - 1) on = 1;
          if (st.invert) on ^= 1;
          if (on && x + xx < dots) block[top + y]![x + xx] = 1;
        }
      }
      x += gw;
    }
    rows.push(...block);
    line = [];
  };

  let i = 0;
  const b = bytes;
  const need = (n: number) => { if (i + n > b.length) throw new Error(`truncated command at byte ${i}`); };
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x0a) { flush(); i++; continue; }
    if (c === 0x0d) { i++; continue; }
    if (c === 0x09) { // HT: to the next tab stop; ignored past the last one
      const at = lineWidth();
      const stop = tabs.find((t) => t > at && t <= dots);
      if (stop !== undefined) line.push({ ch: ' ', style, skip: stop - at });
      i++;
      continue;
    }
    if (c === 0x1b) {
      need(2);
      const k = b[i + 1]!;
      switch (k) {
        case 0x40: style = { bold: false, underline: false, w: 1, h: 1, fontB: false, invert: false }; align = 0; tabs = defaultTabs(style); i += 2; continue; // ESC @
        case 0x44: { // ESC D n1 … nk NUL: tab stops in characters of the current width
          const stops: number[] = [];
          let j = i + 2;
          for (; j < b.length && b[j] !== 0 && stops.length < 32; j++) stops.push(b[j]! * cw(style));
          need(j - i + 1);
          tabs = stops;
          i = j + 1;
          continue;
        }
        case 0x74: need(3); table = CodepageEncoder.getEncoding((codepages[b[i + 2]!] ?? 'cp437') as never) as typeof table; i += 3; continue; // ESC t n
        case 0x45: need(3); style = { ...style, bold: (b[i + 2]! & 1) === 1 }; i += 3; continue; // ESC E n
        case 0x47: need(3); style = { ...style, bold: (b[i + 2]! & 1) === 1 }; i += 3; continue; // ESC G n
        case 0x2d: need(3); style = { ...style, underline: b[i + 2]! % 48 !== 0 }; i += 3; continue; // ESC - n
        case 0x4d: need(3); style = { ...style, fontB: b[i + 2]! % 48 === 1 }; i += 3; continue; // ESC M n
        case 0x61: need(3); align = b[i + 2]! % 48; i += 3; continue; // ESC a n
        case 0x64: need(3); if (line.length) flush(); blankRows(30 * b[i + 2]!); i += 3; continue; // ESC d n
        case 0x4a: need(3); if (line.length) flush(); blankRows(b[i + 2]!); i += 3; continue; // ESC J n
        case 0x70: need(5); drawerPulses++; i += 5; continue; // ESC p m t1 t2
        case 0x21: need(3); { const n = b[i + 2]!; style = { ...style, fontB: (n & 1) === 1, bold: (n & 8) !== 0, h: n & 16 ? 2 : 1, w: n & 32 ? 2 : 1, underline: (n & 128) !== 0 }; } i += 3; continue;
        case 0x32: i += 2; continue; // ESC 2
        case 0x33: need(3); i += 3; continue; // ESC 3 n
        case 0x7b: need(3); i += 3; continue; // ESC { n
        case 0x20: need(3); i += 3; continue; // ESC SP n
        default: unknown.push(`ESC ${hex(k)} @${i}`); i += 2; continue;
      }
    }
    if (c === 0x1c) {
      need(2);
      const k = b[i + 1]!;
      if (k === 0x2e || k === 0x26) { i += 2; continue; } // FS . / FS &
      unknown.push(`FS ${hex(k)} @${i}`); i += 2; continue;
    }
    if (c === 0x1d) {
      need(2);
      const k = b[i + 1]!;
      if (k === 0x21) { need(3); const n = b[i + 2]!; style = { ...style, w: (n >> 4) + 1, h: (n & 15) + 1 }; i += 3; continue; }
      if (k === 0x42) { need(3); style = { ...style, invert: (b[i + 2]! & 1) === 1 }; i += 3; continue; }
      if (k === 0x56) { need(3); const m = b[i + 2]!; if (line.length) flush(); cuts++; const r = new Uint8Array(dots); for (let x = 0; x < dots; x += 8) r.fill(1, x, x + 4); blankRows(4); rows.push(r); blankRows(4); i += m === 65 || m === 66 ? 4 : 3; continue; }
      if (k === 0x76) { need(8); const xb = b[i + 4]! | (b[i + 5]! << 8); const h = b[i + 6]! | (b[i + 7]! << 8); need(8 + xb * h); if (line.length) flush(); place(unpack(xb * 8, h, b.subarray(i + 8, i + 8 + xb * h)), 'raster'); i += 8 + xb * h; continue; }
      if (k === 0x28) {
        need(5);
        const fnGroup = b[i + 2]!;
        const len = b[i + 3]! | (b[i + 4]! << 8);
        need(5 + len);
        const body = b.subarray(i + 5, i + 5 + len);
        if (fnGroup === 0x6b && body[0] === 0x31) {
          const fn = body[1];
          if (fn === 0x43) qrModule = body[2]!;
          else if (fn === 0x45) qrLevel = (({ 48: 'l', 49: 'm', 50: 'q', 51: 'h' }) as Record<number, QrLevel>)[body[2]!] ?? 'l';
          else if (fn === 0x50) qrData = Buffer.from(body.subarray(3)).toString('latin1');
          else if (fn === 0x51) { if (line.length) flush(); qr.push(qrData); place(qrBitmap(qrData, qrModule, qrLevel), 'qr'); }
        } else unknown.push(`GS ( ${hex(fnGroup)} @${i}`);
        i += 5 + len;
        continue;
      }
      if (k === 0x48 || k === 0x68 || k === 0x77 || k === 0x66) { need(3); i += 3; continue; } // barcode settings
      unknown.push(`GS ${hex(k)} @${i}`); i += 2; continue;
    }
    if (c === 0x10 && b[i + 1] === 0x04) { i += 3; continue; } // DLE EOT n: status query, prints nothing
    if (c < 0x20) { unknown.push(`${hex(c)} @${i}`); i++; continue; }
    line.push({ ch: String.fromCodePoint(table.codepoints[c] ?? 0x3f), style });
    i++;
  }
  if (line.length) flush();

  const margin = MARGIN;
  const width = dots + 2 * margin;
  const height = rows.length + 2 * margin;
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const data = Buffer.alloc(width * height, 0xff);
  for (let y = 0; y < rows.length; y++) {
    const r = rows[y]!;
    const base = (y + margin) * width + margin;
    for (let x = 0; x < dots; x++) if (r[x]) data[base + x] = 0;
  }
  png.data = data;
  // One fixed PNG filter: the adaptive search costs more than the whole render and gains little on 1-bit art.
  return { png: PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType: 1 }), width, height, text, cuts, drawerPulses, qr, images, unknown };
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(2, '0');
}
