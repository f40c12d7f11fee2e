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
import { EscPos, encodable } from './escpos';
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

type Style = Readonly<{ bold: boolean; tall: boolean }>;
type Item =
  | Readonly<{ k: 'text'; text: string; centred: boolean; style: Style }>
  | Readonly<{ k: 'pair'; left: string; right: string; style: Style }>
  | Readonly<{ k: 'rule'; centred: boolean }>
  | Readonly<{ k: 'blank' }>
  | Readonly<{ k: 'raster'; bytes: Uint8Array; gapAfter: number }>
  | Readonly<{ k: 'qr'; data: string; module: number }>;

class Writer {
  readonly items: Item[] = [];
  readonly lines: string[] = [];
  readonly replaced: Replacement[] = [];
  readonly width: number;
  readonly commands: boolean;
  readonly ruleChar: string;
  private style: Style = { bold: false, tall: false };
  constructor(readonly profile: PrinterProfile) {
    this.width = profile.columns;
    this.commands = profile.textLayout === 'commands';
    // A rule should join up across cells: CP866 has the box-drawing line, WPC1251 the em dash.
    this.ruleChar = !this.commands ? '-' : (['─', '—', '-'].find((c) => encodable(c, profile.codepage)) ?? '-');
  }
  /** Printable text, or null when the text must be printed as an image. */
  private printable(text: string): string | null {
    if (encodable(text, this.profile.codepage)) return text;
    const r = toPrintable(text, this.profile.codepage);
    if (r.unmapped) return null;
    if (r.replaced.length) this.replaced.push(...r.replaced);
    return r.text;
  }
  line(text: string): void {
    const p = this.printable(text);
    if (p === null) return this.image('left', text);
    for (const l of wrap(p, this.width)) {
      this.lines.push(l);
      this.items.push({ k: 'text', text: l, centred: false, style: this.style });
    }
  }
  centered(text: string): void {
    const p = this.printable(text);
    if (p === null) return this.image('centre', text);
    for (const l of wrap(p, this.width)) {
      const shown = center(l, this.width);
      this.lines.push(shown);
      this.items.push({ k: 'text', text: this.commands ? l : shown, centred: this.commands, style: this.style });
    }
  }
  pair(left: string, right: string): void {
    const l = this.printable(left);
    const r = l === null ? null : this.printable(right);
    if (l === null || r === null) return this.image('pair', left, right);
    if (this.commands && l.length + r.length < this.width) {
      // The common case, without building the padded line twice.
      this.lines.push(l + ' '.repeat(this.width - l.length - r.length) + r);
      this.items.push({ k: 'pair', left: l, right: r, style: this.style });
      return;
    }
    const laid = pair(l, r, this.width);
    this.lines.push(...laid);
    if (!this.commands) {
      for (const x of laid) this.items.push({ k: 'text', text: x, centred: false, style: this.style });
      return;
    }
    // Only the last laid-out line carries the right-hand text; the ones above are the wrapped left side.
    for (let i = 0; i < laid.length - 1; i++) this.items.push({ k: 'text', text: laid[i]!.trimEnd(), centred: false, style: this.style });
    const last = laid[laid.length - 1]!;
    const leftPart = last.slice(0, last.length - r.length).trimEnd();
    if (last.length > r.length && leftPart.length + r.length < this.width) this.items.push({ k: 'pair', left: leftPart, right: r, style: this.style });
    else this.items.push({ k: 'text', text: last, centred: false, style: this.style });
  }
  bold(on: boolean): void {
    this.style = { ...this.style, bold: on };
  }
  tall(on: boolean): void {
    this.style = { ...this.style, tall: on };
  }
  rule(): void {
    if (this.commands) {
      // Keeps the alignment of the text above (a rule narrower than the paper is centred only
      // inside a centred block), so it never costs an ESC a of its own.
      const prev = this.items[this.items.length - 1];
      const centred = prev?.k === 'text' && prev.centred;
      const rule = this.ruleChar.repeat(Math.floor(this.width / RULE_SCALE) * RULE_SCALE);
      this.lines.push(centred ? center(rule, this.width) : rule);
      this.items.push({ k: 'rule', centred });
    } else {
      this.lines.push('-'.repeat(this.width));
      this.items.push({ k: 'text', text: '-'.repeat(this.width), centred: false, style: this.style });
    }
  }
  blank(): void {
    this.lines.push('');
    this.items.push({ k: 'blank' });
  }
  raster(bytes: Uint8Array, label: string, gapAfter = 0): void {
    this.items.push({ k: 'raster', bytes, gapAfter });
    this.lines.push(label);
  }
  qr(data: string, module: number): void {
    this.items.push({ k: 'qr', data, module });
    this.lines.push(`[qr ${data}]`);
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
    for (const row of rows) {
      let bm = drawCells(row, this.style);
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

/** Bytes from column `from` to column `target`: HTs to some stop then spaces, or spaces only. */
/**
 * The cheapest way from column `from` to `target`: some HTs then spaces, fewest bytes, fewer HTs on
 * a tie. Packed as tabs·1024 + spaces (both under 256) because this runs for every gap shape for
 * every candidate stop set, and an object per call was most of a receipt's garbage.
 */
function bestGap(stops: readonly number[], from: number, target: number): number {
  let bestTabs = 0;
  let bestSpaces = target - from;
  let tabs = 0;
  for (let i = 0; i < stops.length; i++) {
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
 * Tab stops for the right-hand column: candidates at (width − length) for each length of
 * right-hand text on this receipt (ESC D takes at most 32), then stops dropped while that makes
 * the receipt shorter (every stop passed costs an HT, so close stops can cost more than they save).
 */
function tabStops(items: readonly Item[], width: number): number[] {
  // Gaps keyed by from·256 + target, counted: receipts repeat the same few shapes.
  const gaps = new Map<number, number>();
  const uses = new Map<number, number>();
  for (const it of items) {
    if (it.k !== 'pair') continue;
    const target = width - it.right.length;
    const key = it.left.length * 256 + target;
    gaps.set(key, (gaps.get(key) ?? 0) + 1);
    uses.set(target, (uses.get(target) ?? 0) + 1);
  }
  let stops = [...uses].sort((a, b) => b[1] - a[1]).slice(0, 32).map(([col]) => col).filter((c) => c > 0 && c < 256).sort((a, b) => a - b);
  const keys = [...gaps.keys()];
  const counts = [...gaps.values()];
  const cost = (st: readonly number[]) => {
    let n = st.length ? st.length + 3 : 0; // the ESC D command itself
    for (let i = 0; i < keys.length; i++) n += gapBytes(bestGap(st, keys[i]! >> 8, keys[i]! & 255)) * counts[i]!;
    return n;
  };
  let current = cost(stops);
  for (let improved = true; improved && stops.length; ) {
    improved = false;
    for (let i = 0; i < stops.length; i++) {
      const fewer = stops.filter((_, j) => j !== i);
      const c = cost(fewer);
      if (c < current) {
        stops = fewer;
        current = c;
        improved = true;
        break;
      }
    }
  }
  return stops;
}

function encode(w: Writer, tail: Readonly<{ pulse: boolean; cut: boolean }>): Uint8Array {
  const p = w.profile;
  const out = new EscPos(p.codepage).initialize();
  if (p.font === 'B') out.font('B');
  out.selectCodepage(p.codepageNumber);
  const stops = w.commands ? tabStops(w.items, w.width) : [];
  if (stops.length) out.tabStops(stops);
  const styled = (s: Style) => out.bold(s.bold).size(1, s.tall ? 2 : 1);
  for (const it of w.items) {
    switch (it.k) {
      case 'text':
        styled(it.style).align(it.centred ? 1 : 0).text(it.text).newline();
        break;
      case 'pair': {
        const g = bestGap(stops, it.left.length, w.width - it.right.length);
        styled(it.style).align(0).text(it.left).tab(g >> 10);
        if (g & 1023) out.text(' '.repeat(g & 1023));
        out.text(it.right).newline();
        break;
      }
      case 'rule':
        out.align(it.centred ? 1 : 0).bold(false).size(RULE_SCALE, 1).text(w.ruleChar.repeat(Math.floor(w.width / RULE_SCALE))).newline();
        break;
      case 'blank':
        out.newline();
        break;
      case 'raster':
        out.align(0).raw(it.bytes);
        if (it.gapAfter) out.feedDots(it.gapAfter);
        break;
      case 'qr':
        out.align(1).qrcode(it.data, { model: 2, size: it.module, level: 'm' }).newline();
        break;
      default:
        missingCase(it);
    }
  }
  if (tail.pulse) {
    // ESC p 0 t1 t2 with all five bytes: 50 ms on, 250 ms off (pin 2).
    out.pulse(0, 50, 250);
  }
  if (tail.cut) out.feed(FEED_BEFORE_CUT).cut(true);
  return out.bytes();
}

export function layoutReceipt(model: ReceiptModel, profile: PrinterProfile, opts: LayoutOptions = {}): EncodedReceipt {
  const w = new Writer(profile);
  let drawerPulse = false;
  if (isReportModel(model)) {
    layoutReport(w, model);
  } else {
    layoutSale(w, model, profile, opts);
    const paidCash = model.payments.some((p) => p.type === 'cash' && p.amount > 0);
    const mode = opts.drawer ?? 'auto';
    // Cash taken in (sale) or handed back (refund) needs the drawer open; a copy never opens it.
    drawerPulse = mode === 'always' || (mode === 'auto' && paidCash && !model.copy);
  }
  const pulse = drawerPulse && profile.drawer;
  return { bytes: encode(w, { pulse, cut: opts.cut ?? true }), lines: w.lines, replaced: w.replaced, drawerPulse: pulse };
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
      w.pair(l.name, amount(l.amount));
    } else {
      w.line(l.name);
      w.pair(`  ${qty(l.qtyMilli)} ${unit} x ${amount(l.unitPrice)}`, amount(l.amount));
    }
    if (l.discount > 0) w.pair('  скидка', amount(-l.discount));
    if (l.pointsPaid > 0) w.pair('  оплачено баллами', `${l.pointsPaid} б.`);
    if (l.note) w.line(`  ${l.note}`);
  }
  w.rule();
  const t = m.totals;
  if (t.discount > 0 || t.subtotal !== t.total) {
    w.pair('Подытог', amount(t.subtotal));
    w.pair('Скидка', amount(-t.discount));
  }
  w.bold(true);
  w.tall(true);
  w.pair('ИТОГО', amount(t.total));
  w.tall(false);
  w.bold(false);
  if (t.paidByPoints > 0) {
    w.pair('Оплачено баллами', amount(-t.paidByPoints));
    w.bold(true);
    w.pair('К оплате', amount(t.toPay));
    w.bold(false);
  }
  for (const p of m.payments) {
    if (p.type === 'points') continue; // already shown as "Оплачено баллами"
    w.pair(PAYMENT_LABEL[p.type] + (p.reference ? ` ${p.reference}` : ''), amount(p.amount));
    if (p.type === 'cash' && p.tendered !== undefined) {
      w.pair('  Внесено', amount(p.tendered));
      w.pair('  Сдача', amount(p.change ?? 0));
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
