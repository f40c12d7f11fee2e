import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText, useApp } from '../../context';
import type { Lang } from '../../format';

/**
 * Strings and small pieces shared by the shifts, reports, staff and privacy screens. The strings
 * are added to the app's i18next instance as their own namespace (`features`) the first time a
 * screen renders, so the shell's i18n setup needs no edits.
 */
export const FEATURE_STRINGS = {
  ru: {
    shifts: {
      title: 'Смена', none: 'Смена закрыта. Откройте смену, чтобы продавать.', open: 'Открыть смену', float: 'Размен в кассе (₽)',
      number: 'Смена №{{n}}', openedAt: 'Открыта {{at}}', x: 'X-отчёт', printX: 'Печать X-отчёта', printZ: 'Печать Z-отчёта',
      cashIn: 'Внесение', cashOut: 'Изъятие', amount: 'Сумма (₽)', reason: 'Причина', record: 'Провести',
      close: 'Закрыть смену', counted: 'Пересчитано наличных (₽)', note: 'Комментарий', syncFirst: 'Сначала отправить события на сервер',
      unsynced: 'Не отправлено на сервер: {{n}} событий. Отправить сейчас?', syncNow: 'Синхронизировать', synced: 'Отправлено: {{n}}',
      expected: 'Ожидается в кассе', over: 'Излишек', short: 'Недостача', exact: 'Сходится', closed: 'Смена №{{n}} закрыта',
      history: 'Прошлые смены', show: 'Z-отчёт', sales: 'Продажи', checks: 'Чеков', total: 'Итого', cash: 'Наличные', card: 'Карта',
      points: 'Баллами', gift: 'Сертификаты', discount: 'Скидки', refunds: 'Возвраты', voids: 'Аннулирования', net: 'Выручка (нетто)',
      drawer: 'Касса', floatStart: 'Размен', paidIn: 'Внесения', paidOut: 'Изъятия', loyalty: 'Лояльность', issued: 'Начислено баллов',
      redeemed: 'Списано баллов', stamps: 'Штампов', free: 'Бесплатных позиций', newMembers: 'Новых участников', adjustments: 'Ручных корректировок',
      clawed: 'Отозвано при возвратах', restored: 'Возвращено при возвратах', perCashier: 'По кассирам', nobody: 'Без входа в систему', cashier: 'Кассир', value: 'на сумму',
    },
    reports: {
      title: 'Аналитика лояльности', from: 'С', to: 'По', refresh: 'Показать', members: 'Участников', active: 'Активных', newMembers: 'Новых',
      repeat: 'Повторные покупки', frequency: 'Покупок на активного', avgMember: 'Средний чек участника', avgOther: 'Средний чек без карты',
      liability: 'Обязательства по баллам', pending: 'ожидают', revenue: 'Выручка по месяцам', memberRevenue: 'Участники', otherRevenue: 'Без карты',
      pointsFlow: 'Баллы: начислено и списано', issued: 'Начислено', redeemed: 'Списано', expiry: 'Сгорание баллов по месяцам', never: 'без срока',
      tiers: 'Уровни', cohorts: 'Удержание по когортам (месяц первой покупки)', cohort: 'Когорта', size: 'Размер', campaigns: 'Акции',
      campaign: 'Акция', sales: 'Продаж', revenueCol: 'Выручка', pointsCol: 'Баллы', discountCol: 'Скидка', csv: 'CSV', download: 'Скачать CSV:',
      noTier: 'без уровня', empty: 'Нет данных за период',
    },
    staff: {
      title: 'Сотрудники', name: 'Имя', role: 'Роль', pin: 'PIN (4–8 цифр)', add: 'Добавить', cashier: 'Кассир', manager: 'Менеджер', owner: 'Владелец',
      active: 'Активен', inactive: 'Отключён', deactivate: 'Отключить', reason: 'Причина', audit: 'Журнал действий', action: 'Действие', all: 'Все',
      who: 'Кто', when: 'Когда', what: 'Что', why: 'Почему', chainOk: 'Цепочка журнала цела', chainBroken: 'ЖУРНАЛ ИЗМЕНЁН: цепочка нарушена',
      added: 'Добавлен: {{name}}',
    },
    privacy: {
      title: 'Персональные данные', search: 'Имя, телефон или карта', find: 'Найти', consents: 'Согласия', processing: 'Обработка ПДн', marketing: 'Рассылки',
      given: 'дано', withdrawn: 'отозвано', version: 'версия текста {{v}}', give: 'Дать', withdraw: 'Отозвать', export: 'Выгрузить данные (JSON)',
      erase: 'Удалить персональные данные', eraseReason: 'Основание (например, заявление от 25.11.2026)', eraseConfirm: 'Удалить безвозвратно',
      erased: 'Данные удалены. Баланс {{points}} баллов сохранён в журнале.', adjust: 'Ручная корректировка баллов', delta: 'Баллы (+/−)',
      adjustReason: 'Причина корректировки', apply: 'Провести', balance: 'Баланс: {{points}}', choose: 'Выберите клиента', none: 'Никого не нашли',
    },
  },
  en: {
    shifts: {
      title: 'Shift', none: 'The shift is closed. Open a shift to sell.', open: 'Open shift', float: 'Cash float (₽)',
      number: 'Shift #{{n}}', openedAt: 'Opened {{at}}', x: 'X report', printX: 'Print X report', printZ: 'Print Z report',
      cashIn: 'Pay in', cashOut: 'Pay out', amount: 'Amount (₽)', reason: 'Reason', record: 'Record',
      close: 'Close shift', counted: 'Cash counted (₽)', note: 'Note', syncFirst: 'Send events to the server first',
      unsynced: '{{n}} events are not on the server yet. Sync now?', syncNow: 'Sync now', synced: 'Sent: {{n}}',
      expected: 'Expected in drawer', over: 'Over', short: 'Short', exact: 'Exact', closed: 'Shift #{{n}} closed',
      history: 'Past shifts', show: 'Z report', sales: 'Sales', checks: 'Checks', total: 'Total', cash: 'Cash', card: 'Card',
      points: 'Points', gift: 'Gift certificates', discount: 'Discounts', refunds: 'Refunds', voids: 'Voids', net: 'Net takings',
      drawer: 'Drawer', floatStart: 'Float', paidIn: 'Paid in', paidOut: 'Paid out', loyalty: 'Loyalty', issued: 'Points issued',
      redeemed: 'Points redeemed', stamps: 'Stamps', free: 'Free items', newMembers: 'New members', adjustments: 'Manual adjustments',
      clawed: 'Clawed back on refunds', restored: 'Restored on refunds', perCashier: 'Per cashier', nobody: 'Not signed in', cashier: 'Cashier', value: 'worth',
    },
    reports: {
      title: 'Loyalty analytics', from: 'From', to: 'To', refresh: 'Show', members: 'Members', active: 'Active', newMembers: 'New',
      repeat: 'Repeat purchases', frequency: 'Purchases per active', avgMember: 'Average check, members', avgOther: 'Average check, others',
      liability: 'Points liability', pending: 'pending', revenue: 'Revenue by month', memberRevenue: 'Members', otherRevenue: 'Others',
      pointsFlow: 'Points issued and redeemed', issued: 'Issued', redeemed: 'Redeemed', expiry: 'Points expiring by month', never: 'no expiry',
      tiers: 'Tiers', cohorts: 'Retention by cohort (month of first purchase)', cohort: 'Cohort', size: 'Size', campaigns: 'Campaigns',
      campaign: 'Campaign', sales: 'Sales', revenueCol: 'Revenue', pointsCol: 'Points', discountCol: 'Discount', csv: 'CSV', download: 'Download CSV:',
      noTier: 'no tier', empty: 'No data for the period',
    },
    staff: {
      title: 'Staff', name: 'Name', role: 'Role', pin: 'PIN (4–8 digits)', add: 'Add', cashier: 'Cashier', manager: 'Manager', owner: 'Owner',
      active: 'Active', inactive: 'Off', deactivate: 'Switch off', reason: 'Reason', audit: 'Audit log', action: 'Action', all: 'All',
      who: 'Who', when: 'When', what: 'What', why: 'Why', chainOk: 'Audit chain intact', chainBroken: 'AUDIT LOG ALTERED: chain broken',
      added: 'Added: {{name}}',
    },
    privacy: {
      title: 'Personal data', search: 'Name, phone or card', find: 'Find', consents: 'Consents', processing: 'Data processing', marketing: 'Marketing',
      given: 'given', withdrawn: 'withdrawn', version: 'text version {{v}}', give: 'Give', withdraw: 'Withdraw', export: 'Export data (JSON)',
      erase: 'Erase personal data', eraseReason: 'Grounds (e.g. request of 25.11.2026)', eraseConfirm: 'Erase for good',
      erased: 'Erased. The balance of {{points}} points stays in the ledger.', adjust: 'Manual point adjustment', delta: 'Points (+/−)',
      adjustReason: 'Reason for the adjustment', apply: 'Apply', balance: 'Balance: {{points}}', choose: 'Pick a member', none: 'Nobody found',
    },
  },
} as const;

export const NS = 'features';

/** `t` for the feature strings (namespace added on first use) and the current UI language. */
export function useFeatureT(): { t: (key: string, opts?: Record<string, unknown>) => string; lang: Lang } {
  const { i18n } = useTranslation();
  const lang = useApp((s) => s.lang);
  return useMemo(() => {
    for (const l of ['ru', 'en'] as const) if (!i18n.hasResourceBundle(l, NS)) i18n.addResourceBundle(l, NS, FEATURE_STRINGS[l], true, true);
    const fixed = i18n.getFixedT(lang, NS);
    return { t: (key: string, opts?: Record<string, unknown>) => String(fixed(key, opts ?? {})), lang };
  }, [i18n, lang]);
}

/**
 * The manager screens' action pattern: clear the messages, run the call, reload what the screen
 * shows (if given), and turn a refusal into the error line the manager reads.
 */
export function useScreenAction(reload?: () => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const errorText = useErrorText();
  const [info, setInfo] = useState<string | null>(null);
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    setInfo(null);
    try {
      await f();
      if (reload) await reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return { error, setError, info, setInfo, run };
}

/** Offer text as a file download (works in the browser host and in Electron). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const styles = {
  charts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(460px, 1fr))', gap: 12, alignItems: 'start' } satisfies CSSProperties,
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: 12, alignItems: 'start' } satisfies CSSProperties,
  kpis: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: 10, margin: '10px 0' } satisfies CSSProperties,
  kpi: { background: '#fff', border: '1px solid #dde1e6', borderRadius: 10, padding: '10px 12px' } satisfies CSSProperties,
  form: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'flex-end', margin: '8px 0' } satisfies CSSProperties,
  table: { width: '100%', borderCollapse: 'collapse', fontVariantNumeric: 'tabular-nums', fontSize: 14 } satisfies CSSProperties,
  cell: { borderBottom: '1px solid #dde1e6', padding: '4px 6px', textAlign: 'left' } satisfies CSSProperties,
  num: { borderBottom: '1px solid #dde1e6', padding: '4px 6px', textAlign: 'right' } satisfies CSSProperties,
};

export function Kpi(props: Readonly<{ label: string; value: ReactNode; sub?: ReactNode; testId?: string }>) {
  return (
    <div style={styles.kpi} data-testid={props.testId}>
      <div className="muted small">{props.label}</div>
      <div className="big" style={{ margin: '4px 0 0' }}>{props.value}</div>
      {props.sub ? <div className="muted small">{props.sub}</div> : null}
    </div>
  );
}

export function Labelled(props: Readonly<{ label: string; children: ReactNode; width?: number }>) {
  return (
    <label style={{ display: 'flex', flexDirection: 'column', gap: 2, width: props.width ?? 180 }}>
      <span className="muted small">{props.label}</span>
      {props.children}
    </label>
  );
}
