import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importCatalog } from '../catalog/catalog';
import { addMember, findMemberByCard } from '../members/members';
import { saveProgram } from '../loyalty/index';
import { appendEvents } from './ledger';
import { setSetting } from './settings';
import type { Db } from './types';
import { openUnattendedShift } from '../shifts/shift';

const DEMO_DIR = fileURLToPath(new URL('../../resources/demo/', import.meta.url));
/** The loyalty program written for this menu (loyalty-rules area); loaded when it is there. */
const DEMO_PROGRAM = fileURLToPath(new URL('../../resources/programs/demo-cafe.json', import.meta.url));

type DemoMember = { name: string; phone: string; card: string; birthday?: string; consentPd: boolean; consentMarketing: boolean; welcomePoints: number };

/**
 * Load the demo café: the Russian menu, its loyalty program, a few members with cards and some points.
 * Safe to run twice: products are upserted by SKU, members already present are skipped.
 */
export function seedDemo(db: Db, at = new Date().toISOString()): { products: number; members: number; programVersion: number | null } {
  const menu = JSON.parse(readFileSync(DEMO_DIR + 'menu.json', 'utf8')) as unknown;
  const { members } = JSON.parse(readFileSync(DEMO_DIR + 'members.json', 'utf8')) as { members: DemoMember[] };
  return db.transaction(() => {
    setSetting(db, 'shop.name', 'Кофейня «Копилка»', at);
    setSetting(db, 'shop.address', ['г. Москва, ул. Пример, д. 1'], at);
    const products = importCatalog(db, menu);
    const hasProgram = (db.prepare('SELECT count(*) FROM program').pluck().get() as number) > 0;
    const programVersion = !hasProgram && existsSync(DEMO_PROGRAM) ? saveProgram(db, JSON.parse(readFileSync(DEMO_PROGRAM, 'utf8')), at, 'demo café') : null;
    let added = 0;
    for (const m of members) {
      try {
        findMemberByCard(db, m.card);
        continue;
      } catch {
        /* not there yet */
      }
      const { welcomePoints, ...input } = m;
      const created = addMember(db, input, at);
      added++;
      if (welcomePoints > 0) appendEvents(db, [{ kind: 'bonus', memberId: created.id, delta: welcomePoints, occurredAt: at, payload: { reason: 'Приветственные баллы (демо)' } }]);
    }
    // The demo till is ready to sell: a shift is open (float 0) unless one already is (shifts area, issue 6).
    openUnattendedShift(db, 'demo', at);
    return { products, members: added, programVersion };
  })();
}
