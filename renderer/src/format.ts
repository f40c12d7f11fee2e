import { formatMoney, parseAmount } from '../../core/money/money';

/** Locale-aware display only; amounts stay integer minor units everywhere else. */
export type Lang = 'ru' | 'en';
const LOCALES: Readonly<Record<Lang, string>> = { ru: 'ru-RU', en: 'en-GB' };

export function money(minor: number, lang: Lang, currency = 'RUB'): string {
  // English locales print "RUB 240"; the till always shows the rouble sign.
  const s = formatMoney(minor, currency, LOCALES[lang]);
  return currency === 'RUB' ? s.replace(/RUB\s?/, '₽') : s;
}

export function points(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 }).format(n);
}

export function dateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

export function date(iso: string, lang: Lang): string {
  const d = new Date(iso.length === 10 ? iso + 'T12:00:00Z' : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium' }).format(d);
}

/** "250" / "250,50" / "1 500" typed by a cashier → minor units, or null when it is not an amount. */
export function parseMoneyInput(text: string): number | null {
  try {
    return parseAmount(text);
  } catch {
    return null;
  }
}
