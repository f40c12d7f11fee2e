import { z } from 'zod';
import { fail } from '../../core/util/errors';
import { stmt } from './statements';
import type { Db } from './types';

/**
 * Terminal settings a manager can change. Each has a schema and a default, so reading never
 * returns garbage and writing refuses it. Other areas may register more keys with `defineSetting`.
 */
const registry = new Map<string, { schema: z.ZodType; def: unknown; doc: string }>();

export function defineSetting<T>(key: string, schema: z.ZodType<T>, def: T, doc: string): void {
  registry.set(key, { schema, def, doc });
}

defineSetting('shop.name', z.string().min(1).max(120), 'Копилка', 'Shop name printed on receipts');
defineSetting('shop.currency', z.string().regex(/^[A-Z]{3}$/), 'RUB', 'ISO 4217 currency of prices and payments');
defineSetting('shop.timezone', z.string().min(1).max(64), 'Europe/Moscow', 'IANA time zone for business time');
defineSetting('shop.locale', z.string().min(2).max(20), 'ru-RU', 'Locale for money and dates');
defineSetting('shop.address', z.array(z.string().max(120)).max(4), [], 'Address lines printed under the shop name');
defineSetting('shop.taxId', z.string().max(20), '', 'INN printed on receipts');
defineSetting('receipt.footer', z.array(z.string().max(120)).max(6), ['Спасибо за покупку!'], 'Lines printed at the bottom of each receipt');
defineSetting('phone.defaultRegion', z.string().regex(/^[A-Z]{2}$/), 'RU', 'Region assumed for phones typed without a country code');
defineSetting(
  'loyalty.refundDebt',
  z.enum(['allow', 'refuse']),
  'allow',
  'When a refund claws back points the member already spent: allow a negative balance (debt) or refuse the refund',
);

export type SettingsSnapshot = Readonly<{
  shopName: string;
  currency: string;
  timezone: string;
  locale: string;
  phoneRegion: string;
  refundDebt: 'allow' | 'refuse';
}>;

export function knownSettings(): readonly { key: string; def: unknown; doc: string }[] {
  return [...registry].map(([key, v]) => ({ key, def: v.def, doc: v.doc }));
}

export function getSetting<T = unknown>(db: Db, key: string): T {
  const def = registry.get(key);
  const row = stmt(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) {
    if (!def) fail('NOT_FOUND', `No setting named ${key}`);
    return def.def as T;
  }
  const value = JSON.parse(row.value) as unknown;
  if (def) {
    const parsed = def.schema.safeParse(value);
    if (!parsed.success) return def.def as T;
    return parsed.data as T;
  }
  return value as T;
}

export function setSetting(db: Db, key: string, value: unknown, at = new Date().toISOString()): void {
  const def = registry.get(key);
  if (!def) fail('NOT_FOUND', `No setting named ${key}. Known: ${[...registry.keys()].join(', ')}`);
  const parsed = def.schema.safeParse(value);
  if (!parsed.success) fail('VALIDATION', `Setting ${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
  stmt(db,
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, JSON.stringify(parsed.data), at);
}

export function readSettings(db: Db): SettingsSnapshot {
  return {
    shopName: getSetting(db, 'shop.name'),
    currency: getSetting(db, 'shop.currency'),
    timezone: getSetting(db, 'shop.timezone'),
    locale: getSetting(db, 'shop.locale'),
    phoneRegion: getSetting(db, 'phone.defaultRegion'),
    refundDebt: getSetting(db, 'loyalty.refundDebt'),
  };
}
