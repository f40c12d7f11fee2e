import { DateTime } from 'luxon';
import type { ReportReceiptModel, ReportRow, ReportSection, ShopHeader } from '../../core/receipt/model';
import type { ShiftReport } from './shift-report';

/**
 * Lays a shift report out as the printer-independent report model (core/receipt/model.ts), in
 * Russian as printed in the shop. Dates are formatted here in the shop's time zone so every
 * terminal prints the same paper.
 */
export type PrintContext = Readonly<{
  shop: ShopHeader;
  timezone: string;
  /** Staff names by id, for "opened by" / "closed by" and the per-cashier section. */
  staffNames: Readonly<Record<string, string>>;
  unsyncedEvents?: number;
}>;

const money = (label: string, amount: number): ReportRow => ({ label, value: { money: amount } });
const count = (label: string, c: number): ReportRow => ({ label, value: { count: c } });
const text = (label: string, t: string): ReportRow => ({ label, value: { text: t } });

export function formatBusinessTime(iso: string, timezone: string): string {
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone);
  return dt.isValid ? dt.toFormat('dd.LL.yyyy HH:mm') : iso;
}

export function shiftReportModel(r: ShiftReport, kind: 'x_report' | 'z_report', ctx: PrintContext): ReportReceiptModel {
  const name = (id: string | null) => (id === 'demo' ? 'демо' : id ? ctx.staffNames[id] ?? id.slice(0, 8) : '—');
  const l = r.loyalty;
  const sections: ReportSection[] = [
    {
      rows: [
        text('Открыта', `${formatBusinessTime(r.openedAt, ctx.timezone)} (${name(r.openedBy)})`),
        ...(r.closedAt ? [text('Закрыта', `${formatBusinessTime(r.closedAt, ctx.timezone)} (${name(r.closedBy)})`)] : []),
      ],
    },
    {
      title: 'Продажи',
      rows: [
        count('Чеков', r.sales.count),
        money('Сумма без скидок', r.sales.subtotal),
        money('Скидки', r.sales.discount),
        money('Итого', r.sales.total),
        money('Наличные', r.sales.byMethod.cash),
        money('Карта', r.sales.byMethod.card),
        money('Сертификаты', r.sales.byMethod.gift),
        money('Баллами', r.sales.paidByPoints),
      ],
    },
    {
      title: 'Возвраты и аннулирования',
      rows: [
        count('Возвратов', r.refunds.count),
        money('Сумма возвратов', r.refunds.amount),
        count('Аннулировано чеков', r.voids.count),
        money('Сумма аннулирований', r.voids.amount),
        money('Выручка (нетто)', r.netTakings),
      ],
    },
    {
      title: 'Касса',
      rows: [
        money('Размен на начало', r.cash.openingFloat),
        money('Наличные продажи', r.cash.sales),
        money('Наличные возвраты', r.cash.refunds),
        money('Внесения', r.cash.paidIn),
        money('Изъятия', r.cash.paidOut),
        money('Ожидается в кассе', r.cash.expected),
        ...(r.cash.counted === null
          ? []
          : [money('Пересчитано', r.cash.counted), money(r.cash.overShort! >= 0 ? 'Излишек' : 'Недостача', Math.abs(r.cash.overShort!))]),
      ],
    },
    {
      title: 'Программа лояльности',
      rows: [
        count('Начислено баллов', l.pointsIssued),
        money('  на сумму', l.pointsIssuedValue),
        count('Списано баллов', l.pointsRedeemed),
        money('  на сумму', l.pointsRedeemedValue),
        count('Выдано штампов', l.stampsGiven),
        count('Бесплатных позиций', l.freeItems),
        count('Новых участников', l.newMembers),
        count('Ручных корректировок', l.adjustments.count),
        text('  баллы +/−', `+${l.adjustments.added} / −${l.adjustments.removed}`),
        count('Отозвано при возвратах', l.pointsClawedBack),
        count('Возвращено при возвратах', l.pointsRestored),
      ],
    },
    ...r.perCashier.map(
      (c): ReportSection => ({
        title: `Кассир: ${c.staffId ? ctx.staffNames[c.staffId] ?? c.name : 'без входа в систему'}`,
        rows: [
          count('Чеков', c.sales),
          money('Итого', c.salesTotal),
          count('Возвратов', c.refunds),
          money('Сумма возвратов', c.refundsAmount),
          count('Начислено баллов', c.pointsIssued),
          count('Списано баллов', c.pointsRedeemed),
          count('Корректировок', c.adjustments),
          count('Новых участников', c.newMembers),
        ],
      }),
    ),
  ];
  const footer: string[] = [];
  if (ctx.unsyncedEvents) footer.push(`Не отправлено на сервер: ${ctx.unsyncedEvents} событий`);
  if (kind === 'x_report') footer.push('Смена не закрыта');
  return {
    kind,
    shop: ctx.shop,
    title: kind === 'z_report' ? 'Z-ОТЧЁТ' : 'X-ОТЧЁТ',
    subtitle: `Смена №${r.shiftNumber}`,
    time: formatBusinessTime(r.at, ctx.timezone),
    ...(r.closedBy ? { cashier: name(r.closedBy) } : {}),
    sections,
    footer,
    currency: r.currency,
  };
}
