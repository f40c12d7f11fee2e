import './codepage-cache';
import CodepageEncoder from '@point-of-sale/codepage-encoder';
import type { CyrillicCodepage } from './profiles';

/**
 * A direct ESC/POS byte writer. @point-of-sale/receipt-printer-encoder builds an object per
 * text run, style change and line before it writes a byte, which was ~70 % of a receipt's
 * encoding time; the layout only needs a handful of plain commands, written here straight
 * into one growing buffer. For the commands both have, the bytes are the encoder's own:
 * test/hardware/escpos-writer.test.ts compares them across every profile's code page.
 *
 * Mode commands (bold, size, alignment) are written only when the mode actually changes.
 * The layout keeps one writer and `reset`s it per receipt, so its buffer is allocated once and
 * the only allocation per receipt here is the copy `bytes()` hands out.
 */
export type QrOptions = Readonly<{ model: 1 | 2; size: number; level: 'l' | 'm' | 'q' | 'h' }>;
export type Alignment = 0 | 1 | 2;

const QR_LEVEL: Readonly<Record<QrOptions['level'], number>> = { l: 0x30, m: 0x31, q: 0x32, h: 0x33 };
const UNMAPPED = 0xff_ff;
/**
 * The per-character loops read lengths once and call `codeAt.call(s, i)`: `s.length` and
 * `s.charCodeAt` are property loads on whatever string shape arrives (flat, concatenated,
 * sliced, one- or two-byte), which go megamorphic over a receipt's strings and then cost a
 * stub-cache lookup per character — the largest single cost of a receipt before.
 */
export const codeAt = String.prototype.charCodeAt;

/** Unicode code unit → byte for one code page (0xFFFF = not in the page); BMP only, like the tables. */
const tables = new Map<CyrillicCodepage, Uint16Array>();
export function byteTable(cp: CyrillicCodepage): Uint16Array {
  let t = tables.get(cp);
  if (!t) {
    t = new Uint16Array(0x1_00_00).fill(UNMAPPED);
    const cps = (CodepageEncoder.getEncoding(cp as never) as unknown as { codepoints: readonly number[] }).codepoints;
    // First position wins, like the encoder's lookup.
    for (let i = cps.length - 1; i >= 0; i--) {
      const c = cps[i];
      if (c !== undefined && c !== 0xfffd && c < 0x1_00_00) t[c] = i;
    }
    tables.set(cp, t);
  }
  return t;
}

export class EscPos {
  private buf = new Uint8Array(4096);
  private n = 0;
  private table: Uint16Array;
  private boldOn = false;
  private sizeByte = 0;
  private alignment: Alignment = 0;

  constructor(private codepage: CyrillicCodepage) {
    this.table = byteTable(codepage);
  }

  /** Empty again, for another job in `codepage`; keeps the buffer. */
  reset(codepage: CyrillicCodepage): this {
    this.codepage = codepage;
    this.table = byteTable(codepage);
    this.n = 0;
    this.boldOn = false;
    this.sizeByte = 0;
    this.alignment = 0;
    return this;
  }

  get length(): number {
    return this.n;
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  private put3(a: number, b: number, c: number): this {
    this.room(3);
    this.buf[this.n++] = a;
    this.buf[this.n++] = b;
    this.buf[this.n++] = c;
    return this;
  }

  /** ESC @ then FS . — Chinese clones start in double-byte (Kanji) mode, which would eat Cyrillic bytes. */
  initialize(): this {
    this.room(4);
    this.buf.set([0x1b, 0x40, 0x1c, 0x2e], this.n);
    this.n += 4;
    this.boldOn = false;
    this.sizeByte = 0;
    this.alignment = 0;
    return this;
  }

  /** ESC t n with the vendor's number for the page. */
  selectCodepage(n: number): this {
    return this.put3(0x1b, 0x74, n);
  }

  /** ESC M n. */
  font(f: 'A' | 'B'): this {
    return this.put3(0x1b, 0x4d, f === 'A' ? 0 : 1);
  }

  /** ESC E n, only when it changes. */
  bold(on: boolean): this {
    if (on === this.boldOn) return this;
    this.boldOn = on;
    return this.put3(0x1b, 0x45, on ? 1 : 0);
  }

  /** GS ! n (1–8 each way), only when it changes. */
  size(width: number, height: number): this {
    const b = ((width - 1) << 4) | (height - 1);
    if (b === this.sizeByte) return this;
    this.sizeByte = b;
    return this.put3(0x1d, 0x21, b);
  }

  /** ESC a n, only when it changes. */
  align(a: Alignment): this {
    if (a === this.alignment) return this;
    this.alignment = a;
    return this.put3(0x1b, 0x61, a);
  }

  /** ESC D n1 … nk NUL: tab stops in character columns, ascending, at most 32 (the first `count`). */
  tabStops(columns: readonly number[], count = columns.length): this {
    this.room(3 + count);
    this.buf[this.n++] = 0x1b;
    this.buf[this.n++] = 0x44;
    for (let i = 0; i < count; i++) this.buf[this.n++] = columns[i]!;
    this.buf[this.n++] = 0;
    return this;
  }

  /** HT × count. */
  tab(count = 1): this {
    this.room(count);
    for (let i = 0; i < count; i++) this.buf[this.n++] = 0x09;
    return this;
  }

  /**
   * Text in the selected code page. The layout makes text printable first (charset.ts), so a
   * character missing here is a bug: it throws instead of printing the encoder's `?`.
   */
  text(s: string): this {
    const len = s.length;
    this.room(len);
    const t = this.table;
    for (let i = 0; i < len; i++) {
      const b = t[codeAt.call(s, i)]!;
      if (b === UNMAPPED || b < 0x20) throw new Error(`internal: "${s[i]}" in "${s}" is not printable in ${this.codepage}`);
      this.buf[this.n++] = b;
    }
    return this;
  }

  /** `len` bytes of text already in this code page (the layout's encoded items), from `src` at `at`. */
  copy(src: Uint8Array, at: number, len: number): this {
    this.room(len);
    const buf = this.buf;
    let n = this.n;
    for (let i = at, end = at + len; i < end; i++) buf[n++] = src[i]!;
    this.n = n;
    return this;
  }

  /** `ch` (one UTF-16 unit) × count, e.g. padding spaces or a rule, without building the string. */
  repeat(ch: string, count: number): this {
    const b = this.table[ch.charCodeAt(0)]!;
    if (ch.length !== 1 || b === UNMAPPED || b < 0x20) throw new Error(`internal: "${ch}" is not one printable character in ${this.codepage}`);
    this.room(count);
    for (let i = 0; i < count; i++) this.buf[this.n++] = b;
    return this;
  }

  /** LF × count. */
  newline(count = 1): this {
    this.room(count);
    for (let i = 0; i < count; i++) this.buf[this.n++] = 0x0a;
    return this;
  }

  /** ESC d n: print what is buffered and feed n lines. */
  feed(lines: number): this {
    return this.put3(0x1b, 0x64, lines);
  }

  /** ESC J n: feed n dots. */
  feedDots(n: number): this {
    return this.put3(0x1b, 0x4a, n);
  }

  /** Printer-native QR: GS ( k model, module size, error correction, store, print. */
  qrcode(data: string, o: QrOptions): this {
    if (o.size < 1 || o.size > 8) throw new Error('QR module size must be 1–8');
    const len = data.length + 3;
    this.room(41 + data.length);
    this.buf.set([0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, o.model === 1 ? 0x31 : 0x32, 0x00], this.n);
    this.buf.set([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, o.size], this.n + 9);
    this.buf.set([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_LEVEL[o.level]], this.n + 17);
    this.buf.set([0x1d, 0x28, 0x6b, len & 0xff, (len >> 8) & 0xff, 0x31, 0x50, 0x30], this.n + 25);
    this.n += 33;
    for (let i = 0, len = data.length; i < len; i++) {
      const c = data.charCodeAt(i);
      // The payload goes out as ISO 8859-1, like the encoder; URLs are ASCII.
      if (c > 0xff) throw new Error(`QR payload must be Latin-1: "${data}"`);
      this.buf[this.n++] = c;
    }
    this.buf.set([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30], this.n);
    this.n += 8;
    return this;
  }

  /** ESC p m t1 t2: on/off times in ms, sent in 2 ms units like the encoder. */
  pulse(pin: 0 | 1, onMs: number, offMs: number): this {
    const t = (ms: number) => Math.max(0, Math.min(255, Math.round(ms / 2)));
    this.room(5);
    this.buf.set([0x1b, 0x70, pin, t(onMs), t(offMs)], this.n);
    this.n += 5;
    return this;
  }

  /** GS V 1 (partial) or GS V 0 (full). */
  cut(partial: boolean): this {
    return this.put3(0x1d, 0x56, partial ? 1 : 0);
  }

  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.n);
    this.n += bytes.length;
    return this;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/** Whether the UTF-16 unit `code` has a byte in `cp` (controls excluded). */
export function printableUnit(code: number, cp: CyrillicCodepage): boolean {
  const b = byteTable(cp)[code]!;
  return b !== UNMAPPED && b >= 0x20;
}

/** Whether every UTF-16 unit of `s` has a byte in `cp` (controls excluded). */
export function encodable(s: string, cp: CyrillicCodepage): boolean {
  const t = byteTable(cp);
  for (let i = 0, len = s.length; i < len; i++) {
    const b = t[codeAt.call(s, i)]!;
    if (b === UNMAPPED || b < 0x20) return false;
  }
  return true;
}
