import type { ReceiptLine, ReportReceiptModel, SaleReceiptModel } from '../../core/receipt/model';

/**
 * The test-print receipt (`kopilka print test`): exercises every block of the layout —
 * Cyrillic, a ruble sign the code pages lack, weighed goods, discounts, points, cash change,
 * the loyalty block and a QR code — so one printout shows whether a printer is set up right.
 */
export const SAMPLE_SHOP = {
  name: 'Кофейня «Копилка»',
  address: ['г. Москва, ул. Ленина, д. 1'],
  taxId: '7700000000',
  lines: ['+7 (495) 000-00-00'],
} as const;

export function sampleSaleReceipt(lineCount = 4): SaleReceiptModel {
  const base: ReceiptLine[] = [
    { name: 'Капучино 0,3 л', qtyMilli: 2000, unitPrice: 18000, amount: 36000, discount: 3600, pointsPaid: 0 },
    { name: 'Круассан с миндалём', qtyMilli: 1000, unitPrice: 15000, amount: 15000, discount: 0, pointsPaid: 50 },
    { name: 'Сыр «Российский» весовой', qtyMilli: 250, unit: 'кг', unitPrice: 89000, amount: 22250, discount: 0, pointsPaid: 0 },
    { name: 'Вода 0,5 л', qtyMilli: 1000, unitPrice: 6000, amount: 6000, discount: 0, pointsPaid: 0, note: 'акция 2+1' },
  ];
  const lines: ReceiptLine[] = [];
  for (let i = 0; i < lineCount; i++) {
    const b = base[i % base.length]!;
    lines.push(i < base.length ? b : { ...b, name: `${b.name} #${i + 1}` });
  }
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const discount = lines.reduce((s, l) => s + l.discount, 0);
  const total = subtotal - discount;
  const paidByPoints = 5000;
  const toPay = total - paidByPoints;
  const tendered = Math.ceil(toPay / 10000) * 10000;
  return {
    kind: 'sale',
    shop: SAMPLE_SHOP,
    number: '42',
    time: '25.11.2026 14:05',
    cashier: 'Анна С.',
    terminal: 'T1',
    lines,
    totals: { subtotal, discount, total, paidByPoints, toPay },
    payments: [
      { type: 'points', amount: paidByPoints },
      { type: 'cash', amount: toPay, tendered, change: tendered - toPay },
    ],
    loyalty: {
      memberName: 'Иван П.',
      maskedPhone: '+7 *** ***-12-34',
      earned: [
        { label: 'База 5%', points: 37 },
        { label: 'Акция: двойные баллы', points: 20 },
      ],
      earnedTotal: 57,
      redeemed: 50,
      balanceAfter: 1207,
      pending: 57,
      expiring: { points: 120, date: '01.12.2026' },
      tier: { name: 'Серебро', progress: 'до «Золото» осталось 1 250,00 ₽' },
      stamps: [{ label: 'Кофе', have: 7, need: 10 }],
    },
    qr: 'https://kopilka.example/r/T1-42?s=68650',
    footer: ['Спасибо за покупку!', 'Баллы — в приложении'],
    currency: 'RUB',
  };
}

export function sampleZReport(): ReportReceiptModel {
  return {
    kind: 'z_report',
    shop: SAMPLE_SHOP,
    title: 'Z-ОТЧЁТ',
    subtitle: 'Смена № 12, касса T1',
    time: '25.11.2026 22:01',
    cashier: 'Анна С.',
    sections: [
      { title: 'Продажи', rows: [
        { label: 'Чеков', value: { count: 37 } },
        { label: 'Выручка', value: { money: 1_234_550 } },
        { label: 'Наличные', value: { money: 456_700 } },
        { label: 'Карта', value: { money: 777_850 } },
      ] },
      { title: 'Возвраты', rows: [
        { label: 'Чеков', value: { count: 1 } },
        { label: 'Сумма', value: { money: 18_000 } },
      ] },
      { title: 'Лояльность', rows: [
        { label: 'Начислено баллов', value: { count: 2_310 } },
        { label: 'Списано баллов', value: { count: 900 } },
        { label: 'Новых участников', value: { count: 4 } },
      ] },
      { title: 'Касса', rows: [
        { label: 'В кассе на начало', value: { money: 500_000 } },
        { label: 'В кассе на конец', value: { money: 956_700 } },
      ] },
    ],
    footer: ['Смена закрыта'],
    currency: 'RUB',
  };
}
