import { missingCase } from '../../core/util/errors';
import {
  isReportModel,
  type LoyaltyBlock,
  type PaymentType,
  type ReceiptModel,
  type ReportReceiptModel,
  type ReportRow,
  type SaleReceiptModel,
  type ShopHeader,
} from '../../core/receipt/model';
import { toPrintable, type Replacement } from './charset';
import { EscPos, byteTable, codeAt, encodable } from './escpos';
import { amount, center, pair, qty, signed, wrap } from './format';
import type { PrinterProfile } from './profiles';
import { gsv0, padLeft, qrBitmap, unpack } from './raster';
import { TEXT_IMAGE_CELL, drawCells, imageCells } from './text-image';

/**
 * Lays a ReceiptModel out for one printer profile and writes it as ESC/POS bytes (escpos.ts).
 * Text is made printable for the profile's code page first; a line holding a character with no
 * printable stand-in is printed as an image of the text instead (never as `?`).
 *
 * Bytes matter on a 9600-baud serial printer (960 B/s), so with `textLayout: 'commands'` the
 * printer does the spacing: centred text by `ESC a 1`, right-aligned amounts by tab stops set
 * once per job (`ESC D`) and `HT`, rules as a few 4×-wide line characters, styles sent only
 * when they change. `textLayout: 'spaces'` pads with spaces instead, for a printer without them.
 */
export type LayoutOptions = Readonly<{
  /** Open the cash drawer: 'auto' = when cash changes hands (sale or cash refund), never on copies. */
  drawer?: 'auto' | 'never' | 'always';
  /** QR module size in dots (printer-native) — 6 on 80 mm, 5 on 58 mm by default. */
  qrModule?: number;
  /** Partial cut at the end (default true). */
  cut?: boolean;
}>;

export type EncodedReceipt = Readonly<{
  bytes: Uint8Array;
  /** The text lines as they look on paper (after transliteration), for logs and tests. */
  lines: readonly string[];
  replaced: readonly Replacement[];
  drawerPulse: boolean;
}>;

const PAYMENT_LABEL: Readonly<Record<PaymentType, string>> = {
  cash: 'Наличные',
  card: 'Банковская карта',
  points: 'Баллами',
  gift: 'Подарочный сертификат',
};

/** Lines fed before the cut so the last printed line clears the cutter. */
const FEED_BEFORE_CUT = 5;
/**
 * Rules are drawn at 4× width (GS ! 0x30): a 48-column rule is 12 characters on the wire.
 * Epson and most clones take up to 8×, but some (HPRT) stop at 6× and ignore anything wider.
 */
const RULE_SCALE = 4;
/** Dots between text lines below the 24-dot cell, at the default line spacing (≈ 30 dots). */
const LINE_GAP_DOTS = 6;

// Items are kept as parallel arrays with numeric kinds and style bits rather than one object per
// line: the writer is reused from receipt to receipt, so after the first one a receipt allocates
// only the strings it prints (amounts, joined labels) and its output bytes.
const TEXT = 0;
const PAIR = 1;
const RULE = 2;
const BLANK = 3;
const RASTER = 4;
const QR = 5;
const BOLD = 1;
const TALL = 2;
const CENTRED = 4;

// A rule should join up across cells: CP866 has the box-drawing line, WPC1251 the em dash.
const ruleChars = new Map<string, string>();
function ruleCharFor(p: PrinterProfile): string {
  if (p.textLayout !== 'commands') return '-';
  let c = ruleChars.get(p.codepage);
  if (c === undefined) ruleChars.set(p.codepage, (c = ['─', '—', '-'].find((x) => encodable(x, p.codepage)) ?? '-'));
  return c;
}

class Writer {
  n = 0;
  readonly kind: number[] = [];
  readonly flags: number[] = [];
  /** Text, a pair's left side, or a QR payload. */
  readonly a: string[] = [];
  /** A pair's right side, and its length (an amount may be in the pool only, `b` then empty). */
  readonly b: string[] = [];
  readonly bLen: number[] = [];
  readonly raw: (Uint8Array | null)[] = [];
  /** Raster: dots fed after it; QR: module size; text and pair: leading spaces (indent), when ≥ 2. */
  readonly num: number[] = [];
  /** Where the code-page bytes of `a` and `b` start in `pool` (text and pair items). */
  readonly aAt: number[] = [];
  readonly bAt: number[] = [];
  /**
   * The items' text already in code-page bytes: checking that a string is printable and
   * encoding it is one pass, so the byte writer copies bytes instead of reading strings again.
   */
  pool = new Uint8Array(4096);
  pn = 0;
  /** The lines as on paper; only collected when asked for (EncodedReceipt.lines is lazy). */
  lines: string[] | null = null;
  replaced: Replacement[] = [];
  profile!: PrinterProfile;
  width = 0;
  commands = false;
  ruleChar = '-';
  /** The code page's byte per UTF-16 unit (escpos.ts), looked up once per receipt. */
  private table: Uint16Array = byteTable('cp866');
  private style = 0;

  reset(profile: PrinterProfile, collectLines: boolean): this {
    this.n = 0;
    this.pn = 0;
    this.lines = collectLines ? [] : null;
    this.replaced = [];
    this.profile = profile;
    this.width = profile.columns;
    this.commands = profile.textLayout === 'commands';
    this.ruleChar = ruleCharFor(profile);
    this.table = byteTable(profile.codepage);
    this.style = 0;
    return this;
  }
  private push(kind: number, flags: number, a: string, b: string, raw: Uint8Array | null = null, num = 0, aAt = 0, bAt = 0): void {
    if ((kind === TEXT || kind === PAIR) && this.commands && !(flags & CENTRED) && a.charCodeAt(0) === 0x20 && a.charCodeAt(1) === 0x20) {
      // An indent the printer can make with a tab stop (one HT instead of the spaces).
      let k = 2;
      while (a.charCodeAt(k) === 0x20) k++;
      if (k < a.length) num = k;
    }
    const i = this.n++;
    this.kind[i] = kind;
    this.flags[i] = flags;
    this.a[i] = a;
    this.b[i] = b;
    this.bLen[i] = b.length;
    this.raw[i] = raw;
    this.num[i] = num;
    this.aAt[i] = aAt;
    this.bAt[i] = bAt;
  }
  /** `text`'s bytes appended to the pool, or false (nothing kept) at the first unit the page lacks. */
  private encodeIn(text: string): boolean {
    // See escpos.ts `codeAt`.
    const t = this.table;
    const len = text.length;
    if (this.pn + len > this.pool.length) {
      const next = new Uint8Array(Math.max(this.pool.length * 2, this.pn + len));
      next.set(this.pool.subarray(0, this.pn));
      this.pool = next;
    }
    const pool = this.pool;
    let j = this.pn;
    for (let i = 0; i < len; i++) {
      const b = t[codeAt.call(text, i)]!;
      if (b === 0xff_ff || b < 0x20) return false;
      pool[j++] = b;
    }
    this.pn = j;
    return true;
  }
  /** Where the bytes of `text` (printable by construction) start in the pool. */
  private bytesOf(text: string): number {
    const at = this.pn;
    if (!this.encodeIn(text)) throw new Error(`internal: "${text}" is not printable in ${this.profile.codepage}`);
    return at;
  }
  /**
   * Printable text, its bytes appended to the pool (they start where `pn` was), or null when
   * the text must be printed as an image (nothing appended).
   */
  private printable(text: string): string | null {
    if (this.encodeIn(text)) return text;
    const r = toPrintable(text, this.profile.codepage);
    if (r.unmapped) return null;
    if (r.replaced.length) this.replaced.push(...r.replaced);
    this.bytesOf(r.text);
    return r.text;
  }
  line(text: string): void {
    const at = this.pn;
    const p = this.printable(text);
    if (p === null) return this.image('left', text);
    if (p.length <= this.width && !p.includes('\n')) {
      this.lines?.push(p);
      this.push(TEXT, this.style, p, '', null, 0, at);
      return;
    }
    this.pn = at;
    for (const l of wrap(p, this.width)) {
      this.lines?.push(l);
      this.push(TEXT, this.style, l, '', null, 0, this.bytesOf(l));
    }
  }
  centered(text: string): void {
    const at = this.pn;
    const p = this.printable(text);
    if (p === null) return this.image('centre', text);
    const one = p.length <= this.width && !p.includes('\n');
    this.pn = at;
    for (const l of one ? [p] : wrap(p, this.width)) {
      const shown = this.lines || !this.commands ? center(l, this.width) : l;
      this.lines?.push(shown);
      if (this.commands) this.push(TEXT, this.style | CENTRED, l, '', null, 0, this.bytesOf(l));
      else this.push(TEXT, this.style, shown, '', null, 0, this.bytesOf(shown));
    }
  }
  pair(left: string, right: string): void {
    const at = this.pn;
    const l = this.printable(left);
    const rightAt = this.pn;
    const r = l === null ? null : this.printable(right);
    if (l === null || r === null) {
      this.pn = at;
      return this.image('pair', left, right);
    }
    this.laidPair(l, r, at, rightAt);
  }
  /**
   * `pair(left, amount(minor))`, the amount's bytes written straight into the pool: receipts are
   * mostly amounts, and their strings were a good part of what an encode allocated.
   */
  pairAmount(left: string, minor: number): void {
    if (this.lines || !this.commands || !Number.isSafeInteger(minor)) return this.pair(left, amount(minor));
    const at = this.pn;
    const l = this.printable(left);
    if (l === null) {
      this.pn = at;
      return this.image('pair', left, amount(minor));
    }
    const rightAt = this.pn;
    const len = this.amountBytes(minor);
    if (l.length + len < this.width) {
      this.push(PAIR, this.style, l, '', null, 0, at, rightAt);
      this.bLen[this.n - 1] = len;
      return;
    }
    this.pn = rightAt;
    const r = amount(minor);
    this.bytesOf(r);
    this.laidPair(l, r, at, rightAt);
  }
  /** format.ts `amount(minor)` (2 decimals, grouped by spaces) as bytes appended to the pool; its length. */
  private amountBytes(minor: number): number {
    const t = this.table;
    const neg = minor < 0;
    const abs = neg ? -minor : minor;
    let major = Math.trunc(abs / 100);
    const frac = abs % 100;
    let digits = 1;
    for (let m = major; m >= 10; m = Math.trunc(m / 10)) digits++;
    const len = (neg ? 1 : 0) + digits + Math.trunc((digits - 1) / 3) + 3;
    if (this.pn + len > this.pool.length) {
      const next = new Uint8Array(Math.max(this.pool.length * 2, this.pn + len));
      next.set(this.pool.subarray(0, this.pn));
      this.pool = next;
    }
    const pool = this.pool;
    let p = this.pn + len - 3;
    pool[p] = t[0x2c]!;
    pool[p + 1] = t[0x30 + Math.trunc(frac / 10)]!;
    pool[p + 2] = t[0x30 + (frac % 10)]!;
    for (let k = 0; ; k++) {
      if (k > 0 && k % 3 === 0) pool[--p] = t[0x20]!;
      pool[--p] = t[0x30 + (major % 10)]!;
      major = Math.trunc(major / 10);
      if (major === 0) break;
    }
    if (neg) pool[--p] = t[0x2d]!;
    this.pn += len;
    return len;
  }
  private laidPair(l: string, r: string, at: number, rightAt: number): void {
    if (this.commands && l.length + r.length < this.width) {
      // The common case: the padded line is built only if someone asks for the lines.
      this.lines?.push(l + ' '.repeat(this.width - l.length - r.length) + r);
      this.push(PAIR, this.style, l, r, null, 0, at, rightAt);
      return;
    }
    this.pn = at;
    const laid = pair(l, r, this.width);
    this.lines?.push(...laid);
    if (!this.commands) {
      for (const x of laid) this.push(TEXT, this.style, x, '', null, 0, this.bytesOf(x));
      return;
    }
    // Only the last laid-out line carries the right-hand text; the ones above are the wrapped left side.
    for (let i = 0; i < laid.length - 1; i++) {
      const x = laid[i]!.trimEnd();
      this.push(TEXT, this.style, x, '', null, 0, this.bytesOf(x));
    }
    const last = laid[laid.length - 1]!;
    const leftPart = last.slice(0, last.length - r.length).trimEnd();
    if (last.length > r.length && leftPart.length + r.length < this.width) this.push(PAIR, this.style, leftPart, r, null, 0, this.bytesOf(leftPart), this.bytesOf(r));
    else this.push(TEXT, this.style, last, '', null, 0, this.bytesOf(last));
  }
  bold(on: boolean): void {
    this.style = on ? this.style | BOLD : this.style & ~BOLD;
  }
  tall(on: boolean): void {
    this.style = on ? this.style | TALL : this.style & ~TALL;
  }
  rule(): void {
    if (this.commands) {
      // Keeps the alignment of the text above (a rule narrower than the paper is centred only
      // inside a centred block), so it never costs an ESC a of its own.
      const prev = this.n - 1;
      const centred = prev >= 0 && this.kind[prev] === TEXT && (this.flags[prev]! & CENTRED) !== 0;
      if (this.lines) {
        const rule = this.ruleChar.repeat(Math.floor(this.width / RULE_SCALE) * RULE_SCALE);
        this.lines.push(centred ? center(rule, this.width) : rule);
      }
      this.push(RULE, centred ? CENTRED : 0, '', '');
    } else {
      const rule = '-'.repeat(this.width);
      this.lines?.push(rule);
      this.push(TEXT, this.style, rule, '', null, 0, this.bytesOf(rule));
    }
  }
  blank(): void {
    this.lines?.push('');
    this.push(BLANK, 0, '', '');
  }
  raster(bytes: Uint8Array, label: string, gapAfter = 0): void {
    this.push(RASTER, 0, '', '', bytes, gapAfter);
    this.lines?.push(label);
  }
  qr(data: string, module: number): void {
    this.push(QR, 0, data, '', null, module);
    this.lines?.push(`[qr ${data}]`);
  }
  /**
   * The text as an image, in the printer's font-A cell (12 dots), wrapped to the paper; for a
   * pair, `right` goes to the right edge. Clones ignore ESC a for images, so centring pads the image.
   */
  private image(how: 'left' | 'centre' | 'pair', text: string, right = ''): void {
    const cols = Math.floor(this.profile.dots / TEXT_IMAGE_CELL);
    const cp = this.profile.codepage;
    for (const ch of text + right) {
      const r = toPrintable(ch, cp);
      if (r.replaced.length) this.replaced.push({ char: ch, with: r.unmapped ? '[image]' : r.replaced[0]!.with });
    }
    let rows: (string | null)[][];
    if (how === 'pair') {
      const lc = imageCells(text, cp);
      const rc = imageCells(right, cp);
      rows = wrapCells(lc, Math.max(1, cols - rc.length - 1));
      const last = rows.pop() ?? [];
      rows.push([...last, ...Array<string>(Math.max(1, cols - last.length - rc.length)).fill(' '), ...rc]);
    } else rows = wrapCells(imageCells(text, cp), cols);
    const style = { bold: (this.style & BOLD) !== 0, tall: (this.style & TALL) !== 0 };
    for (const row of rows) {
      let bm = drawCells(row, style);
      if (how === 'centre') bm = padLeft(bm, this.profile.dots);
      // The 24-dot cell has no line spacing of its own: feed the 6 dots a text line would leave.
      this.raster(gsv0(bm), `[image ${row.map((c) => c ?? '□').join('').trimEnd()}]`, LINE_GAP_DOTS);
    }
  }
}

/** Break a run of cells into rows of at most `cols`, at a space where possible. */
function wrapCells(cells: readonly (string | null)[], cols: number): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let rest = cells.slice();
  while (rest.length > cols) {
    let cut = rest.lastIndexOf(' ', cols);
    if (cut <= 0) cut = cols;
    rows.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest.shift();
  }
  rows.push(rest);
  return rows;
}

/**
 * The cheapest way from column `from` to `target` with the first `count` stops, leaving out stop
 * `skip` (−1: none): some HTs then spaces, fewest bytes, fewer HTs on a tie. Packed as
 * tabs·1024 + spaces (both under 256) because this runs for every gap shape for every candidate
 * stop set.
 */
function bestGap(stops: readonly number[], count: number, skip: number, from: number, target: number): number {
  let bestTabs = 0;
  let bestSpaces = target - from;
  let tabs = 0;
  for (let i = 0; i < count; i++) {
    if (i === skip) continue;
    const s = stops[i]!;
    if (s <= from) continue;
    if (s > target) break;
    tabs++;
    if (tabs + target - s < bestTabs + bestSpaces) {
      bestTabs = tabs;
      bestSpaces = target - s;
    }
  }
  return bestTabs * 1024 + bestSpaces;
}
const gapBytes = (g: number) => (g >> 10) + (g & 1023);

/**
 * Tab-stop planning state, reused across receipts: gap shapes (from·256 + target) and right-hand
 * columns are counted through index tables that are cleared entry by entry after each receipt.
 */
const MAX_STOPS = 32;
const gapSlot = new Int32Array(1 << 16).fill(-1);
const gapKey: number[] = [];
const gapCount: number[] = [];
const colSlot = new Int32Array(256).fill(-1);
const colOf: number[] = [];
const colUses: number[] = [];
const stopBuf: number[] = [];
// How many of the above are in use for the receipt being planned (module state, no closures:
// the planner runs for every receipt).
let gaps = 0;
let cols = 0;
let ns = 0;

function countGap(from: number, target: number): void {
  const key = from * 256 + target;
  let g = gapSlot[key]!;
  if (g < 0) {
    gapSlot[key] = g = gaps++;
    gapKey[g] = key;
    gapCount[g] = 0;
  }
  gapCount[g]!++;
  let c = colSlot[target]!;
  if (c < 0) {
    colSlot[target] = c = cols++;
    colOf[c] = target;
    colUses[c] = 0;
  }
  colUses[c]!++;
}

/** A candidate stop, kept ascending by insertion (at most 32). */
function addStop(col: number): void {
  if (col <= 0 || col >= 256) return;
  let j = ns++;
  while (j > 0 && stopBuf[j - 1]! > col) {
    stopBuf[j] = stopBuf[j - 1]!;
    j--;
  }
  stopBuf[j] = col;
}

/** Bytes of every counted gap, and of the ESC D command, with the stops but stop `skip` (−1: all). */
function stopsCost(skip: number): number {
  const k = skip < 0 ? ns : ns - 1;
  let n = k ? k + 3 : 0;
  for (let g = 0; g < gaps; g++) n += gapBytes(bestGap(stopBuf, ns, skip, gapKey[g]! >> 8, gapKey[g]! & 255)) * gapCount[g]!;
  return n;
}

/**
 * Tab stops for the right-hand column and for indents, into `stopBuf` (returns how many):
 * candidates at (width − length) for each length of right-hand text on this receipt and at each
 * indent of two spaces or more (ESC D takes at most 32; the most used first, first seen on a
 * tie), then stops dropped while that makes the receipt shorter (every stop passed costs an HT,
 * so close stops can cost more than they save). An indent stop costs the right-hand column
 * nothing: a pair's left text already runs past it.
 */
function tabStops(w: Writer): number {
  // ESC D takes one byte per column; past that no stops, everything padded.
  if (w.width > 255) return 0;
  gaps = 0;
  cols = 0;
  ns = 0;
  for (let i = 0; i < w.n; i++) {
    const k = w.kind[i];
    if (k === PAIR) countGap(w.a[i]!.length, w.width - w.bLen[i]!);
    if ((k === PAIR || k === TEXT) && w.num[i]) countGap(0, w.num[i]!);
  }
  for (let g = 0; g < gaps; g++) gapSlot[gapKey[g]!] = -1;
  for (let c = 0; c < cols; c++) colSlot[colOf[c]!] = -1;

  if (cols <= MAX_STOPS) for (let c = 0; c < cols; c++) addStop(colOf[c]!);
  else {
    const order = Array.from({ length: cols }, (_, c) => c).sort((x, y) => colUses[y]! - colUses[x]!);
    for (let k = 0; k < MAX_STOPS; k++) addStop(colOf[order[k]!]!);
  }

  let current = stopsCost(-1);
  for (let improved = true; improved && ns; ) {
    improved = false;
    for (let i = 0; i < ns; i++) {
      const c = stopsCost(i);
      if (c < current) {
        // Drop stop i (shifted down in place: splice allocated the removed element's array).
        for (let j = i + 1; j < ns; j++) stopBuf[j - 1] = stopBuf[j]!;
        ns--;
        current = c;
        improved = true;
        break;
      }
    }
  }
  return ns;
}

/** Text bytes from the pool, its first `indent` spaces (0: none to replace) the cheapest way with the stops set. */
function indented(out: EscPos, pool: Uint8Array, at: number, len: number, indent: number, ns: number): EscPos {
  if (!indent) return out.copy(pool, at, len);
  const g = bestGap(stopBuf, ns, -1, 0, indent);
  out.tab(g >> 10);
  if (g & 1023) out.repeat(' ', g & 1023);
  return out.copy(pool, at + indent, len - indent);
}

/** One byte writer for every receipt (see EscPos.reset); the result is a copy of its bytes. */
const shared = new EscPos('cp866');

function encode(w: Writer, tail: Readonly<{ pulse: boolean; cut: boolean }>): Uint8Array {
  const p = w.profile;
  const out = shared.reset(p.codepage).initialize();
  if (p.font === 'B') out.font('B');
  out.selectCodepage(p.codepageNumber);
  const ns = w.commands ? tabStops(w) : 0;
  if (ns) out.tabStops(stopBuf, ns);
  const width = w.width;
  const ruleLen = Math.floor(width / RULE_SCALE);
  for (let i = 0; i < w.n; i++) {
    const f = w.flags[i]!;
    switch (w.kind[i]) {
      case TEXT:
        out.bold((f & BOLD) !== 0).size(1, f & TALL ? 2 : 1).align(f & CENTRED ? 1 : 0);
        indented(out, w.pool, w.aAt[i]!, w.a[i]!.length, w.num[i]!, ns).newline();
        break;
      case PAIR: {
        const leftLen = w.a[i]!.length;
        const rightLen = w.bLen[i]!;
        const g = bestGap(stopBuf, ns, -1, leftLen, width - rightLen);
        out.bold((f & BOLD) !== 0).size(1, f & TALL ? 2 : 1).align(0);
        indented(out, w.pool, w.aAt[i]!, leftLen, w.num[i]!, ns).tab(g >> 10);
        if (g & 1023) out.repeat(' ', g & 1023);
        out.copy(w.pool, w.bAt[i]!, rightLen).newline();
        break;
      }
      case RULE:
        out.align(f & CENTRED ? 1 : 0).bold(false).size(RULE_SCALE, 1).repeat(w.ruleChar, ruleLen).newline();
        break;
      case BLANK:
        out.newline();
        break;
      case RASTER:
        out.align(0).raw(w.raw[i]!);
        if (w.num[i]) out.feedDots(w.num[i]!);
        break;
      case QR:
        out.align(1).qrcode(w.a[i]!, { model: 2, size: w.num[i]!, level: 'm' }).newline();
        break;
      default:
        throw new Error(`internal: item kind ${w.kind[i]}`);
    }
  }
  if (tail.pulse) {
    // ESC p 0 t1 t2 with all five bytes: 50 ms on, 250 ms off (pin 2).
    out.pulse(0, 50, 250);
  }
  if (tail.cut) out.feed(FEED_BEFORE_CUT).cut(true);
  return out.bytes();
}

/** A writer for one layout; the spare is reused (layout is synchronous, so at most one is in use). */
let spare: Writer | null = null;
function withWriter<T>(profile: PrinterProfile, collectLines: boolean, f: (w: Writer) => T): T {
  const w = spare ?? new Writer();
  spare = null;
  try {
    return f(w.reset(profile, collectLines));
  } finally {
    spare = w;
  }
}

/** Lays the model out into `w`; whether the drawer should open. */
function lay(w: Writer, model: ReceiptModel, profile: PrinterProfile, opts: LayoutOptions): boolean {
  if (isReportModel(model)) {
    layoutReport(w, model);
    return false;
  }
  layoutSale(w, model, profile, opts);
  const paidCash = model.payments.some((p) => p.type === 'cash' && p.amount > 0);
  const mode = opts.drawer ?? 'auto';
  // Cash taken in (sale) or handed back (refund) needs the drawer open; a copy never opens it.
  return mode === 'always' || (mode === 'auto' && paidCash && !model.copy);
}

/**
 * `lines` is worked out on first read by laying the model out again: printing (the queue) never
 * reads it, and building every padded line was most of what a receipt allocated.
 */
export function layoutReceipt(model: ReceiptModel, profile: PrinterProfile, opts: LayoutOptions = {}): EncodedReceipt {
  return withWriter(profile, false, (w) => {
    const pulse = lay(w, model, profile, opts) && profile.drawer;
    const bytes = encode(w, { pulse, cut: opts.cut ?? true });
    let lines: readonly string[] | undefined;
    return {
      bytes,
      get lines() {
        return (lines ??= withWriter(profile, true, (lw) => {
          lay(lw, model, profile, opts);
          return lw.lines!;
        }));
      },
      replaced: w.replaced,
      drawerPulse: pulse,
    };
  });
}

function header(w: Writer, shop: ShopHeader): void {
  if (shop.logo) {
    const packed = Uint8Array.from(Buffer.from(shop.logo.base64, 'base64'));
    const bm = unpack(shop.logo.width, shop.logo.height, packed);
    w.raster(gsv0(padLeft(bm, w.profile.dots)), `[logo ${shop.logo.width}x${shop.logo.height}]`);
  }
  w.bold(true);
  w.centered(shop.name);
  w.bold(false);
  for (const a of shop.address) w.centered(a);
  if (shop.taxId) w.centered(`ИНН ${shop.taxId}`);
  for (const l of shop.lines ?? []) w.centered(l);
  w.rule();
}

function layoutSale(w: Writer, m: SaleReceiptModel, profile: PrinterProfile, opts: LayoutOptions): void {
  header(w, m.shop);
  if (m.copy) {
    w.bold(true);
    w.centered('*** КОПИЯ ***');
    w.bold(false);
  }
  w.bold(true);
  w.centered(`${m.kind === 'refund' ? 'ВОЗВРАТ' : 'ЧЕК'} № ${m.number}`);
  w.bold(false);
  w.pair(m.time, m.terminal ? `Касса ${m.terminal}` : '');
  if (m.cashier) w.line(`Кассир: ${m.cashier}`);
  w.rule();
  for (const l of m.lines) {
    const unit = l.unit ?? 'шт';
    if (l.qtyMilli === 1000 && unit === 'шт') {
      w.pairAmount(l.name, l.amount);
    } else {
      w.line(l.name);
      w.pairAmount(`  ${qty(l.qtyMilli)} ${unit} x ${amount(l.unitPrice)}`, l.amount);
    }
    if (l.discount > 0) w.pairAmount('  скидка', -l.discount);
    if (l.pointsPaid > 0) w.pair('  оплачено баллами', `${l.pointsPaid} б.`);
    if (l.note) w.line(`  ${l.note}`);
  }
  w.rule();
  const t = m.totals;
  if (t.discount > 0 || t.subtotal !== t.total) {
    w.pairAmount('Подытог', t.subtotal);
    w.pairAmount('Скидка', -t.discount);
  }
  w.bold(true);
  w.tall(true);
  w.pairAmount('ИТОГО', t.total);
  w.tall(false);
  w.bold(false);
  if (t.paidByPoints > 0) {
    w.pairAmount('Оплачено баллами', -t.paidByPoints);
    w.bold(true);
    w.pairAmount('К оплате', t.toPay);
    w.bold(false);
  }
  for (const p of m.payments) {
    if (p.type === 'points') continue; // already shown as "Оплачено баллами"
    w.pairAmount(PAYMENT_LABEL[p.type] + (p.reference ? ` ${p.reference}` : ''), p.amount);
    if (p.type === 'cash' && p.tendered !== undefined) {
      w.pairAmount('  Внесено', p.tendered);
      w.pairAmount('  Сдача', p.change ?? 0);
    }
  }
  if (m.loyalty) {
    w.rule();
    loyaltyBlock(w, m.loyalty);
  }
  if (m.qr) {
    w.rule();
    const moduleSize = opts.qrModule ?? (profile.paper === 58 ? 5 : 6);
    if (profile.nativeQr) w.qr(m.qr, moduleSize);
    // Raster images ignore text alignment on many clones: centre by padding the image itself.
    else w.raster(gsv0(padLeft(qrBitmap(m.qr, Math.max(3, moduleSize - 1), 'm'), profile.dots)), `[qr ${m.qr}]`);
  }
  if (m.footer.length) {
    w.blank();
    for (const f of m.footer) w.centered(f);
  }
}

function loyaltyBlock(w: Writer, l: LoyaltyBlock): void {
  w.line(`Участник: ${l.memberName}`);
  w.line(`Телефон: ${l.maskedPhone}`);
  if (l.earnedTotal !== 0) {
    w.pair('Начислено баллов', signed(l.earnedTotal));
    for (const r of l.earned) w.pair(`  ${r.label}`, signed(r.points));
  }
  if (l.redeemed > 0) w.pair('Списано баллов', String(-l.redeemed));
  w.bold(true);
  w.pair('Баланс', String(l.balanceAfter));
  w.bold(false);
  if (l.pending) w.pair('Ожидают начисления', String(l.pending));
  if (l.expiring && l.expiring.points > 0) w.pair(`Сгорят ${l.expiring.date}`, String(l.expiring.points));
  if (l.tier) {
    w.line(`Уровень: ${l.tier.name}`);
    if (l.tier.progress) w.line(`  ${l.tier.progress}`);
  }
  for (const s of l.stamps ?? []) {
    const need = Math.max(1, s.need);
    const have = Math.min(s.have, need);
    const bar = need <= 20 ? ' ' + '■'.repeat(have) + '∙'.repeat(need - have) : '';
    w.pair(`${s.label}:`, `${s.have}/${s.need}${bar}`);
  }
}

function reportValue(v: ReportRow['value']): string {
  if ('money' in v) return amount(v.money);
  if ('count' in v) return String(v.count);
  return v.text;
}

function layoutReport(w: Writer, m: ReportReceiptModel): void {
  header(w, m.shop);
  w.bold(true);
  w.tall(true);
  w.centered(m.title);
  w.tall(false);
  w.bold(false);
  if (m.subtitle) w.centered(m.subtitle);
  w.line(m.time);
  if (m.cashier) w.line(`Кассир: ${m.cashier}`);
  switch (m.kind) {
    case 'x_report':
      w.centered('(смена не закрыта)');
      break;
    case 'z_report':
      w.centered('(смена закрыта)');
      break;
    case 'report':
      break;
    default:
      missingCase(m.kind);
  }
  for (const s of m.sections) {
    w.rule();
    if (s.title) {
      w.bold(true);
      w.line(s.title);
      w.bold(false);
    }
    for (const r of s.rows) w.pair(r.label, reportValue(r.value));
  }
  w.rule();
  for (const f of m.footer) w.centered(f);
  w.blank();
}
