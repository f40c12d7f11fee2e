import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAudit, verifyAuditChain } from '../audit/audit';
import { openStore } from '../db/connection';
import { createTestStore, dumpDb } from '../testing/store';
import { ANY_STAFF, authorize, LOCKOUT } from './authorize';
import { hashPin, verifyPin } from './pin';
import { addStaff, currentSession, deactivateStaff, listStaff, setSession } from './staff';

const T0 = '2026-11-25T09:00:00.000Z';
const plus = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();

test('PINs are scrypt hashes that verify only the right PIN; weak or malformed PINs are refused', () => {
  const h = hashPin('4821');
  assert.match(h, /^scrypt\$16384\$8\$1\$/);
  assert.ok(!h.includes('4821'));
  assert.equal(verifyPin('4821', h), true);
  assert.equal(verifyPin('4822', h), false);
  assert.notEqual(hashPin('4821'), h, 'salted: the same PIN hashes differently');
  for (const bad of ['123', '123456789', '12a4', '7777', '']) assert.throws(() => hashPin(bad), { code: 'VALIDATION' });
});

test('staff: the first member must be an owner, then only owners add staff, and PINs are unique', async () => {
  const store = await createTestStore('kopilka-test-', { openShift: false });
  try {
    const db = store.db;
    assert.throws(() => addStaff(db, null, { name: 'Kate', role: 'cashier', pin: '2468' }), /first staff member must be an owner/);
    const o = addStaff(db, null, { name: 'Olga', role: 'owner', pin: '2580', at: T0 });
    const owner = { staffId: o.id, name: o.name, role: o.role };
    assert.throws(() => addStaff(db, null, { name: 'Eve', role: 'owner', pin: '9713' }), { code: 'UNAUTHENTICATED' });
    const c = addStaff(db, owner, { name: 'Kate', role: 'cashier', pin: '2468', at: T0 });
    const cashier = { staffId: c.id, name: c.name, role: c.role };
    const before = dumpDb(db);
    assert.throws(() => addStaff(db, cashier, { name: 'Bob', role: 'manager', pin: '9713' }), { code: 'FORBIDDEN' });
    assert.throws(() => addStaff(db, owner, { name: 'Bob', role: 'manager', pin: '2468' }), { code: 'CONFLICT' });
    assert.throws(() => addStaff(db, owner, { name: 'Bob', role: 'boss', pin: '9713' }), { code: 'VALIDATION' });
    assert.equal(dumpDb(db), before, 'refused additions change nothing');
    assert.deepEqual(listStaff(db).map((s) => [s.name, s.role, s.active]), [['Kate', 'cashier', true], ['Olga', 'owner', true]]);
    assert.ok(!JSON.stringify(listStaff(db)).includes('scrypt'), 'hashes never leave the staff module');
    setSession(db, cashier);
    assert.equal(currentSession(db)?.name, 'Kate');
    deactivateStaff(db, owner, c.id, 'left the company');
    assert.equal(currentSession(db), null);
    assert.throws(() => authorize(db, '2468', 'sale'), { code: 'UNAUTHENTICATED' }, 'a deactivated PIN no longer works');
    assert.deepEqual(listAudit(db).map((a) => a.action).reverse(), ['staff.add', 'staff.add', 'staff.deactivate', 'auth.failed']);
    assert.equal(verifyAuditChain(db), null);
  } finally {
    store.cleanup();
  }
});

test('authorize: role checks, and lockout after repeated wrong PINs that survives a restart', async () => {
  const store = await createTestStore('kopilka-test-', { openShift: false });
  try {
    let db = store.db;
    const o = addStaff(db, null, { name: 'Olga', role: 'owner', pin: '2580' });
    const owner = { staffId: o.id, name: o.name, role: o.role };
    const c = addStaff(db, owner, { name: 'Kate', role: 'cashier', pin: '2468' });
    const m = addStaff(db, owner, { name: 'Misha', role: 'manager', pin: '1357' });

    assert.deepEqual(authorize(db, '2468', 'sale', { at: T0 }), { staffId: c.id, name: 'Kate', role: 'cashier' });
    assert.throws(() => authorize(db, '2468', 'refund', { at: T0 }), (e: Error & { code?: string }) => e.code === 'FORBIDDEN' && /needs a manager PIN/.test(e.message));
    assert.equal(authorize(db, '1357', 'refund', { at: T0 }).name, 'Misha');
    assert.throws(() => authorize(db, '1357', 'member.erase', { at: T0 }), { code: 'FORBIDDEN' });

    // PIN-only entry: the keypad locks after LOCKOUT.threshold wrong PINs in a row.
    for (let i = 1; i < LOCKOUT.threshold; i++) assert.throws(() => authorize(db, '0000', 'sale', { at: plus(0) }), { code: 'UNAUTHENTICATED' });
    // The message names the time on the shop's clock (Moscow by default): 09:05 UTC is 12:05.
    assert.throws(() => authorize(db, '9999', 'sale', { at: plus(0) }), (e: Error & { code?: string }) => e.code === 'LOCKED' && /after 12:05 /.test(e.message));
    // While locked even the right PIN is refused, and nothing about that attempt is written.
    const before = dumpDb(db);
    assert.throws(() => authorize(db, '2468', 'sale', { at: plus(4) }), (e: Error & { code?: string }) => e.code === 'LOCKED' && /locked/.test(e.message));
    assert.equal(dumpDb(db), before);

    // The lock is in the database: reopening the app does not lift it.
    db.close();
    db = await openStore(store.path);
    assert.throws(() => authorize(db, '2468', 'sale', { at: plus(4) }), { code: 'LOCKED' });
    // After the lock expires the right PIN works and the counter starts again.
    assert.equal(authorize(db, '2468', 'sale', { at: plus(6) }).name, 'Kate');
    assert.equal(db.prepare('SELECT count(*) FROM pin_attempt').pluck().get(), 0);

    // Wrong PINs keep counting after a lock expires: the next lock is longer (10 min), escalating.
    const series = (at: string) => {
      for (let i = 1; i <= LOCKOUT.threshold; i++) assert.throws(() => authorize(db, '0001', 'sale', { at }));
    };
    series(plus(7));
    assert.equal(db.prepare('SELECT locked_until FROM pin_attempt WHERE scope = ?').pluck().get(ANY_STAFF), plus(7 + LOCKOUT.baseMinutes));
    series(plus(13));
    assert.equal(db.prepare('SELECT locked_until FROM pin_attempt WHERE scope = ?').pluck().get(ANY_STAFF), plus(13 + 2 * LOCKOUT.baseMinutes));

    // Picking a name first scopes the lockout to that person: others can still sign in.
    const mine = { staffId: m.id, at: plus(40) };
    for (let i = 1; i <= LOCKOUT.threshold; i++) assert.throws(() => authorize(db, '1111', 'refund', mine));
    assert.throws(() => authorize(db, '1357', 'refund', mine), { code: 'LOCKED' });
    assert.equal(authorize(db, '2580', 'staff.manage', { staffId: o.id, at: plus(40) }).role, 'owner');

    const actions = listAudit(db, { limit: 1000 }).map((a) => a.action);
    assert.ok(actions.filter((a) => a === 'auth.locked').length >= 3, 'every lockout is audited');
    assert.ok(actions.includes('auth.denied'));
    assert.equal(verifyAuditChain(db), null);
    db.close();
  } finally {
    store.cleanup();
  }
});
