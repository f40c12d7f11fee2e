/**
 * Default wording of the quote's reason lines, in the program's language. The lines are shown
 * to the cashier and printed on the receipt, so a Russian shop must not get English ones.
 * Owner-written labels (`earn.label`, rule/campaign/birthday labels, tier, card and reward
 * names) are never translated: they print as written.
 *
 * Pure and cheap: plain template functions, Russian plurals by hand (no Intl objects per call).
 * Amounts, percentages and dates arrive already formatted by the caller.
 */
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ru';

export type Messages = Readonly<{
  /** "5% cashback" (base percent rate). */
  cashback: (pct: string) => string;
  /** "1 pt per 100 ₽" (base rate per amount). */
  pointsPerAmount: (points: number, per: string) => string;
  /** "×2 points" (a multiplier rule without a label). */
  multiplier: (mult: string) => string;
  /** "50 pts per item" (a fixed-points rule without a label). */
  pointsPerItem: (points: number) => string;
  /** Suffix for an earn line cut by a cap. */
  capped: string;
  /** A catalog reward paid with points: "Free cake · −300 pts". */
  rewardCost: (name: string, cost: number) => string;
  /** Accumulative-discount tier: "Gold discount 7% · −35,00 ₽". */
  tierDiscount: (tier: string, pct: string, amount: string) => string;
  /** "Promo SUMMER 10% · −50,00 ₽" (pct is '' for a fixed-value code). */
  promo: (code: string, pct: string, amount: string) => string;
  discountsCapped: (pct: string) => string;
  redeemCap: (pct: string, max: number) => string;
  paidWithPoints: (points: number) => string;
  giftTender: (code: string, used: string, left: string) => string;
  minCheck: (amount: string) => string;
  excluded: (names: string) => string;
  giftNoPoints: string;
  birthday: string;
  welcome: string;
  referralNew: string;
  referralReferrer: string;
  tierNow: (tier: string) => string;
  tierProgress: (amount: string, tier: string) => string;
  tierGrace: (date: string) => string;
  pending: (points: number, date: string) => string;
  expiring: (points: number, date: string) => string;
  stampsLapsed: (card: string, count: number, days: number) => string;
  campaignLimit: (label: string, used: number, limit: number) => string;
  /** What a stamp card gives: "free" or "15% off". */
  stampFree: string;
  stampPercentOff: (pct: string) => string;
  /** Short ISO weekday names, index 1 = Monday … 7 = Sunday. */
  weekdays: readonly string[];
  /** Decimal separator in percentages ("5.5%" / "5,5%"). */
  decimal: string;
}>;

/** Russian plural form: 1 балл, 2 балла, 5 баллов (and 11–14 → баллов). */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const a = Math.abs(n) % 100;
  const b = a % 10;
  if (a >= 11 && a <= 14) return many;
  if (b === 1) return one;
  if (b >= 2 && b <= 4) return few;
  return many;
}

const ball = (n: number) => ruPlural(n, 'балл', 'балла', 'баллов');

const en: Messages = {
  cashback: (pct) => `${pct} cashback`,
  pointsPerAmount: (points, per) => `${points} pts per ${per}`,
  multiplier: (mult) => `${mult} points`,
  pointsPerItem: (points) => `${points} pts per item`,
  capped: '(capped)',
  rewardCost: (name, cost) => `${name} · −${cost} pts`,
  tierDiscount: (tier, pct, amount) => `${tier} discount ${pct} · −${amount}`,
  promo: (code, pct, amount) => `Promo ${code}${pct ? ' ' + pct : ''} · −${amount}`,
  discountsCapped: (pct) => `Discounts capped at ${pct} of the check`,
  redeemCap: (pct, max) => `Up to ${pct} of eligible items payable with points: max ${max} pts`,
  paidWithPoints: (points) => `Paid with points · −${points}`,
  giftTender: (code, used, left) => `Gift certificate ${code} · −${used} (left ${left})`,
  minCheck: (amount) => `No points below a check of ${amount}`,
  excluded: (names) => `No points on: ${names}`,
  giftNoPoints: 'Gift certificates earn no points and cannot be paid with points',
  birthday: 'Happy birthday!',
  welcome: 'Welcome bonus',
  referralNew: 'Referral: first purchase',
  referralReferrer: 'Referral: for inviting a friend',
  tierNow: (tier) => `Now ${tier}!`,
  tierProgress: (amount, tier) => `${amount} to ${tier}`,
  tierGrace: (date) => `keeps the level until ${date}`,
  pending: (points, date) => `+${points} pts spendable from ${date}`,
  expiring: (points, date) => `${points} pts expire on ${date}`,
  stampsLapsed: (card, count, days) => `${card}: ${count} stamps lapsed after ${days} days`,
  campaignLimit: (label, used, limit) => `${label}: already used ${used} of ${limit} times`,
  stampFree: 'free',
  stampPercentOff: (pct) => `${pct} off`,
  weekdays: ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  decimal: '.',
};

const ru: Messages = {
  cashback: (pct) => `Кешбэк ${pct}`,
  pointsPerAmount: (points, per) => `${points} ${ball(points)} за каждые ${per}`,
  multiplier: (mult) => `Баллы ${mult}`,
  pointsPerItem: (points) => `${points} ${ball(points)} за штуку`,
  capped: '(с ограничением)',
  rewardCost: (name, cost) => `${name} · −${cost} ${ball(cost)}`,
  tierDiscount: (tier, pct, amount) => `Скидка ${tier} ${pct} · −${amount}`,
  promo: (code, pct, amount) => `Промокод ${code}${pct ? ' ' + pct : ''} · −${amount}`,
  discountsCapped: (pct) => `Скидки ограничены: не более ${pct} чека`,
  redeemCap: (pct, max) => `Баллами можно оплатить до ${pct} подходящих товаров: максимум ${max} ${ball(max)}`,
  paidWithPoints: (points) => `Оплачено баллами · −${points}`,
  giftTender: (code, used, left) => `Подарочный сертификат ${code} · −${used} (остаток ${left})`,
  minCheck: (amount) => `Баллы начисляются с чека от ${amount}`,
  excluded: (names) => `Без баллов: ${names}`,
  giftNoPoints: 'Подарочные сертификаты не дают баллов и не оплачиваются баллами',
  birthday: 'С днём рождения!',
  welcome: 'Приветственный бонус',
  referralNew: 'По приглашению: первая покупка',
  referralReferrer: 'За приглашённого друга',
  tierNow: (tier) => `Теперь ${tier}!`,
  tierProgress: (amount, tier) => `${amount} до ${tier}`,
  tierGrace: (date) => `уровень сохраняется до ${date}`,
  pending: (points, date) => `+${points} ${ball(points)} ${ruPlural(points, 'доступен', 'доступны', 'доступны')} с ${date}`,
  expiring: (points, date) => `${points} ${ball(points)} ${ruPlural(points, 'сгорит', 'сгорят', 'сгорят')} ${date}`,
  stampsLapsed: (card, count, days) => `${card}: ${count} ${ruPlural(count, 'штамп сгорел', 'штампа сгорели', 'штампов сгорели')} (срок ${days} дн.)`,
  campaignLimit: (label, used, limit) => `${label}: использовано ${used} из ${limit}`,
  stampFree: 'бесплатно',
  stampPercentOff: (pct) => `скидка ${pct}`,
  weekdays: ['', 'Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'],
  decimal: ',',
};

const TABLE: Readonly<Record<Locale, Messages>> = { ru, en };

/** The message table of a program's locale; programs without one are Russian (the shop's language). */
export function messagesFor(locale: Locale | undefined): Messages {
  return TABLE[locale ?? DEFAULT_LOCALE];
}
