import './codepage-cache';
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
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
import { amount, center, pair, qty, signed, wrap } from './format';
import type { PrinterProfile } from './profiles';
import { gsv0, padLeft, qrBitmap, unpack } from './raster';

/**
 * Lays a ReceiptModel out for one printer profile and encodes it as ESC/POS bytes with
 * @point-of-sale/receipt-printer-encoder. Text is made printable for the profile's code
 * page *before* it reaches the encoder (which would print `?` for anything it lacks).
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
  /** The text lines as laid out (after transliteration), for logs and tests. */
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

class Writer {
  readonly enc: ReceiptPrinterEncoder;
  readonly lines: string[] = [];
  readonly replaced: Replacement[] = [];
  readonly width: number;
  /** Text lines not yet handed to the encoder: one text() call per run is much cheaper than a line() per line. */
  private pending: string[] = [];
  constructor(readonly profile: PrinterProfile) {
    this.enc = new ReceiptPrinterEncoder({
      language: profile.language,
      // The profile, not the encoder's model table, is the source of truth for ESC t numbers.
      codepageMapping: { [profile.codepage]: profile.codepageNumber },
      columns: profile.font === 'B' ? Math.round((profile.columns * 3) / 4) : profile.columns,
      feedBeforeCut: 4,
      newline: '\n',
      errors: 'strict',
      imageMode: 'raster',
    });
    this.enc.initialize().codepage(profile.codepage);
    if (profile.font === 'B') this.enc.font('B');
    this.width = profile.columns;
  }
  private printable(text: string): string {
    const r = toPrintable(text, this.profile.codepage);
    if (r.replaced.length) this.replaced.push(...r.replaced);
    return r.text;
  }
  private emit(l: string): void {
    this.lines.push(l);
    this.pending.push(l);
  }
  /** Hand buffered text to the encoder; called before any command that must come after it. */
  flush(): ReceiptPrinterEncoder {
    if (this.pending.length) {
      this.enc.text(this.pending.join('\n') + '\n');
      this.pending = [];
    }
    return this.enc;
  }
  line(text: string): void {
    for (const l of wrap(this.printable(text), this.width)) this.emit(l);
  }
  centered(text: string): void {
    for (const l of wrap(this.printable(text), this.width)) this.emit(center(l, this.width));
  }
  pair(left: string, right: string): void {
    for (const l of pair(this.printable(left), this.printable(right), this.width)) this.emit(l);
  }
  bold(on: boolean): void {
    this.flush().bold(on);
  }
  tall(on: boolean): void {
    this.flush().height(on ? 2 : 1);
  }
  rule(): void {
    this.emit('-'.repeat(this.width));
  }
  blank(): void {
    this.emit('');
  }
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
  w.flush();
  if (drawerPulse && profile.drawer) {
    // ESC p 0 t1 t2 with all five bytes: 50 ms on, 250 ms off (pin 2).
    w.enc.pulse(0, 50, 250);
  }
  if (opts.cut ?? true) w.enc.cut('partial');
  return { bytes: w.enc.encode(), lines: w.lines, replaced: w.replaced, drawerPulse: drawerPulse && profile.drawer };
}

function header(w: Writer, shop: ShopHeader): void {
  if (shop.logo) {
    const packed = Uint8Array.from(Buffer.from(shop.logo.base64, 'base64'));
    const bm = unpack(shop.logo.width, shop.logo.height, packed);
    w.flush().raw(gsv0(padLeft(bm, w.profile.dots)));
    w.lines.push(`[logo ${shop.logo.width}x${shop.logo.height}]`);
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
    w.flush();
    if (profile.nativeQr) {
      w.enc.align('center').qrcode(m.qr, { model: 2, size: moduleSize, errorlevel: 'm' }).align('left');
    } else {
      // Raster images ignore text alignment on many clones: centre by padding the image itself.
      w.enc.raw(gsv0(padLeft(qrBitmap(m.qr, Math.max(3, moduleSize - 1), 'm'), profile.dots)));
    }
    w.lines.push(`[qr ${m.qr}]`);
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
