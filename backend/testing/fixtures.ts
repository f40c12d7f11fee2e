import { appendEvents } from '../db/ledger';
import type { Db } from '../db/types';
import { upsertProduct } from '../catalog/catalog';
import { addMember } from '../members/members';
import { saveProgram } from '../loyalty/index';

export const T0 = '2026-03-01T09:00:00+03:00';

/** A small catalog with round prices so expected points can be worked out by hand. */
export function seedTestCatalog(db: Db): void {
  upsertProduct(db, { sku: 'A', name: 'Товар A', category: 'Кофе', price: 10000, barcodes: ['4006381333931'] });
  upsertProduct(db, { sku: 'C', name: 'Товар C', category: 'Выпечка', price: 333 });
  upsertProduct(db, { sku: 'D', name: 'Товар D', category: 'Выпечка', price: 1000 });
  upsertProduct(db, { sku: 'BEER', name: 'Пиво', category: 'Алкоголь', price: 25000, earnsPoints: false, payableWithPoints: false });
}

let phoneSeq = 1000;
/** A member with a fresh phone, a card and `balance` points given as a `bonus` event (so Σ ledger holds). */
export function seedMember(db: Db, balance = 0, at = T0): { id: string; card: string; phone: string } {
  const n = phoneSeq++;
  const phone = `+7916${String(n).padStart(7, '0')}`;
  const card = `KP-${n}`;
  const m = addMember(db, { name: `Гость ${n}`, phone, card, consentPd: true }, at);
  if (balance !== 0) db.transaction(() => appendEvents(db, [{ kind: 'bonus', memberId: m.id, delta: balance, occurredAt: at, payload: { reason: 'test' } }]))();
  return { id: m.id, card, phone };
}

/** Store a program version active from long ago, so it applies to every test sale. */
export function useProgram(db: Db, program: unknown): number {
  return saveProgram(db, program, '2000-01-01T00:00:00Z', 'test');
}
