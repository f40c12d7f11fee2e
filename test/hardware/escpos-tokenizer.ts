import iconv from 'iconv-lite';

/**
 * An independent reading of ESC/POS bytes for tests — written from the Epson command
 * reference, sharing no code with the encoder or native/printer/preview.ts. It knows each
 * command's parameter length (the classic trap: GS ( k / GS ( L carry pL pH lengths) and
 * decodes text runs with iconv-lite under the code page the last ESC t selected.
 */
export type Token =
  | { t: 'text'; bytes: number[]; text: string; codepage: string }
  | { t: 'lf' }
  | { t: 'cr' }
  | { t: 'init' }
  | { t: 'cancelKanji' }
  | { t: 'codepage'; n: number }
  | { t: 'bold'; on: boolean }
  | { t: 'underline'; n: number }
  | { t: 'font'; n: number }
  | { t: 'align'; n: number }
  | { t: 'size'; w: number; h: number }
  | { t: 'printMode'; n: number }
  | { t: 'feed'; lines: number }
  | { t: 'feedDots'; dots: number }
  | { t: 'pulse'; pin: number; t1: number; t2: number }
  | { t: 'cut'; m: number; n?: number }
  | { t: 'qr'; fn: number; params: number[]; pL: number; pH: number }
  | { t: 'raster'; m: number; widthBytes: number; height: number; data: Uint8Array }
  | { t: 'invert'; on: boolean }
  | { t: 'status'; n: number }
  | { t: 'tab' }
  | { t: 'tabStops'; columns: number[] }
  | { t: 'other'; name: string; params: number[] };

/** ESC t numbers as Epson defines them (the default table for decoding). */
export const EPSON_PAGES: Record<number, string> = { 0: 'cp437', 17: 'cp866', 46: 'win1251' };

export function tokenize(buf: Uint8Array, pages: Record<number, string> = EPSON_PAGES): Token[] {
  const out: Token[] = [];
  let page = 'cp437';
  let i = 0;
  const at = (k: number): number => {
    if (i + k >= buf.length) throw new Error(`command at ${i} runs past the end of the data`);
    return buf[i + k]!;
  };
  while (i < buf.length) {
    const b = buf[i]!;
    if (b >= 0x20 && b !== 0x7f) {
      const start = i;
      while (i < buf.length && buf[i]! >= 0x20 && buf[i] !== 0x7f) i++;
      const bytes = [...buf.subarray(start, i)];
      out.push({ t: 'text', bytes, text: iconv.decode(Buffer.from(bytes), page), codepage: page });
      continue;
    }
    if (b === 0x0a) { out.push({ t: 'lf' }); i++; continue; }
    if (b === 0x0d) { out.push({ t: 'cr' }); i++; continue; }
    if (b === 0x09) { out.push({ t: 'tab' }); i++; continue; }
    if (b === 0x10) {
      if (at(1) === 0x04) { out.push({ t: 'status', n: at(2) }); i += 3; continue; }
      throw new Error(`unknown DLE command 0x${at(1).toString(16)} at ${i}`);
    }
    if (b === 0x1b) {
      const c = at(1);
      switch (c) {
        case 0x40: out.push({ t: 'init' }); i += 2; page = 'cp437'; continue;
        case 0x74: {
          const n = at(2);
          const p = pages[n];
          if (!p) throw new Error(`ESC t ${n}: code page not known to the test table`);
          page = p;
          out.push({ t: 'codepage', n });
          i += 3;
          continue;
        }
        case 0x45: out.push({ t: 'bold', on: (at(2) & 1) === 1 }); i += 3; continue;
        case 0x2d: out.push({ t: 'underline', n: at(2) }); i += 3; continue;
        case 0x4d: out.push({ t: 'font', n: at(2) }); i += 3; continue;
        case 0x61: out.push({ t: 'align', n: at(2) }); i += 3; continue;
        case 0x21: out.push({ t: 'printMode', n: at(2) }); i += 3; continue;
        case 0x64: out.push({ t: 'feed', lines: at(2) }); i += 3; continue;
        case 0x4a: out.push({ t: 'feedDots', dots: at(2) }); i += 3; continue;
        case 0x70: out.push({ t: 'pulse', pin: at(2), t1: at(3), t2: at(4) }); i += 5; continue;
        case 0x44: {
          // ESC D n1 … nk NUL (k ≤ 32), stops strictly ascending.
          const columns: number[] = [];
          let k = 2;
          while (at(k) !== 0) columns.push(at(k++));
          if (columns.length > 32) throw new Error(`ESC D at ${i} sets ${columns.length} tab stops; the limit is 32`);
          if (columns.some((c, j) => j > 0 && c <= columns[j - 1]!)) throw new Error(`ESC D at ${i}: stops not ascending: ${columns}`);
          out.push({ t: 'tabStops', columns });
          i += k + 1;
          continue;
        }
        default: throw new Error(`unknown ESC 0x${c.toString(16)} at ${i}`);
      }
    }
    if (b === 0x1c) {
      if (at(1) === 0x2e) { out.push({ t: 'cancelKanji' }); i += 2; continue; }
      throw new Error(`unknown FS 0x${at(1).toString(16)} at ${i}`);
    }
    if (b === 0x1d) {
      const c = at(1);
      if (c === 0x21) { const n = at(2); out.push({ t: 'size', w: (n >> 4) + 1, h: (n & 0x0f) + 1 }); i += 3; continue; }
      if (c === 0x42) { out.push({ t: 'invert', on: (at(2) & 1) === 1 }); i += 3; continue; }
      if (c === 0x56) {
        const m = at(2);
        if (m === 65 || m === 66) { out.push({ t: 'cut', m, n: at(3) }); i += 4; } else { out.push({ t: 'cut', m }); i += 3; }
        continue;
      }
      if (c === 0x28) {
        const fnGroup = at(2);
        const pL = at(3);
        const pH = at(4);
        const len = pL + pH * 256;
        if (i + 5 + len > buf.length) throw new Error(`GS ( ${fnGroup.toString(16)} at ${i} claims ${len} bytes; only ${buf.length - i - 5} left`);
        const body = [...buf.subarray(i + 5, i + 5 + len)];
        if (fnGroup === 0x6b) {
          if (body[0] !== 0x31) throw new Error(`GS ( k at ${i}: cn ${body[0]} is not QR (49)`);
          out.push({ t: 'qr', fn: body[1]!, params: body.slice(2), pL, pH });
        } else out.push({ t: 'other', name: `GS ( ${String.fromCharCode(fnGroup)}`, params: body });
        i += 5 + len;
        continue;
      }
      if (c === 0x76 && at(2) === 0x30) {
        const m = at(3);
        const xb = at(4) + at(5) * 256;
        const h = at(6) + at(7) * 256;
        if (i + 8 + xb * h > buf.length) throw new Error(`GS v 0 at ${i} runs past the end`);
        out.push({ t: 'raster', m, widthBytes: xb, height: h, data: buf.slice(i + 8, i + 8 + xb * h) });
        i += 8 + xb * h;
        continue;
      }
      throw new Error(`unknown GS 0x${c.toString(16)} at ${i}`);
    }
    throw new Error(`unexpected control byte 0x${b.toString(16)} at ${i}`);
  }
  return out;
}

/**
 * Printed lines as they look on paper, `columns` wide (48: 80 mm, font A): text runs joined and split at LF (and
 * ESC d), HT expanded to the next tab stop (every 8 columns after ESC @, or the ESC D list),
 * ESC a centring / right alignment as leading spaces, an n×-wide character (GS !) n times.
 */
export function textLines(tokens: readonly Token[], columns = 48): string[] {
  const lines: string[] = [];
  const defaultStops = Array.from({ length: 32 }, (_, k) => (k + 1) * 8);
  let stops = defaultStops;
  let align = 0;
  let width = 1;
  let cur = '';
  let used = false;
  const end = () => {
    const len = [...cur].length;
    const pad = align === 1 ? Math.floor((columns - len) / 2) : align === 2 ? columns - len : 0;
    lines.push(len ? ' '.repeat(Math.max(0, pad)) + cur : '');
    cur = '';
    used = false;
  };
  for (const t of tokens) {
    switch (t.t) {
      case 'text':
        cur += width === 1 ? t.text : [...t.text].map((c) => c.repeat(width)).join('');
        used = true;
        break;
      case 'tab': {
        const at = [...cur].length;
        const next = stops.find((s) => s > at && s < columns);
        if (next !== undefined) cur += ' '.repeat(next - at);
        break;
      }
      case 'lf':
        end();
        break;
      case 'feed':
        if (used) end();
        for (let k = 0; k < t.lines; k++) lines.push('');
        break;
      case 'init':
        stops = defaultStops;
        align = 0;
        width = 1;
        break;
      case 'tabStops':
        stops = t.columns;
        break;
      case 'align':
        align = t.n % 48;
        break;
      case 'size':
        width = t.w;
        break;
      default:
        break;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}
