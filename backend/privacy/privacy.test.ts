import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setSetting } from '../db/settings';
import { seedDemo } from '../db/seed-demo';
import { verifyLedger } from '../db/ledger';
import { findMemberByCard } from '../members/members';
import { loyaltyAnalytics } from '../reports/loyalty-analytics';
import { seedStaff } from '../reports/test-fixtures';
import { commitSale } from '../sales/checkout';
import { buildSaleReceipt } from '../sales/receipt';
import { enqueue } from '../printing/queue';
import { refundSale } from '../sales/refund';
import { xReport } from '../shifts/close';
import { createTestStore, dumpDb } from '../testing/store';
import { consentHistory, eraseMember, exportMember, isErased, phoneFor, setConsent } from './privacy';

const AT = (min: number) => new Date(Date.parse('2026-11-25T07:00:00.000Z') + min * 60_000).toISOString();

/** Every text cell of every table, for a whole-database search. */
function everyText(db: import('../db/types').Db): string {
  return dumpDb(db);
}

test('erasure: no personal field survives anywhere in the database file, while balances and reports add up as before', async () => {
  const store = await createTestStore('kopilka-privacy-', { openShift: false });
  const db = store.db;
  try {
    const { owner, manager, cashier } = seedStaff(db);
    seedDemo(db, AT(0));
    const anna = findMemberByCard(db, '2000000100012'); // Анна Иванова, +79161234567, born 1990-04-12
    const other = findMemberByCard(db, 'KP-000003');
    const s1 = commitSale(db, { items: [{ code: 'LATTE', qty: 2 }], member: { id: anna.id }, redeem: { mode: 'points', points: 50 }, at: AT(5) });
    commitSale(db, { items: [{ code: 'CROISSANT', qty: 1 }], member: { id: anna.id }, at: AT(6) });
    commitSale(db, { items: [{ code: 'ESPRESSO', qty: 1 }], member: { id: other.id }, at: AT(7) });
    refundSale(db, { sale: s1.saleId, lines: [{ lineNo: 1, qty: 1 }], reason: 'spilled', at: AT(8) });
    // Her receipt waits in the print queue (printer offline): the model and bytes carry her name.
    const job = enqueue(db, { kind: 'sale', ref: s1.saleId, model: buildSaleReceipt(db, s1.saleId), at: AT(8) });
    assert.match(db.prepare('SELECT model FROM print_job WHERE id = ?').pluck().get(job.id) as string, /Анна Иванова/);

    // Cashiers see masked phones, managers the number.
    assert.equal(phoneFor('cashier', anna.phone), '+7 *** ***-45-67');
    assert.equal(phoneFor('manager', anna.phone), '+79161234567');

    // Consent history is versioned and timed.
    setSetting(db, 'privacy.marketingTextVersion', 'mk-2026-11');
    setConsent(db, cashier, anna.id, 'marketing', false, AT(9));
    assert.deepEqual(consentHistory(db, anna.id).map((c) => [c.kind, c.granted, c.textVersion, c.at]), [
      ['processing', true, '1', AT(0)],
      ['marketing', true, '1', AT(0)],
      ['marketing', false, 'mk-2026-11', AT(9)],
    ]);

    // Export: everything about Anna, nothing about the other member.
    assert.throws(() => exportMember(db, manager, anna.id), { code: 'FORBIDDEN' });
    const exp = exportMember(db, owner, anna.id, AT(10));
    assert.equal(exp.member.phone, '+79161234567');
    assert.equal(exp.member.name, 'Анна Иванова');
    assert.equal(exp.sales.length, 2);
    assert.equal(exp.refunds.length, 1);
    assert.equal(exp.consents.length, 3);
    assert.equal(exp.balance, db.prepare('SELECT balance FROM member_balance WHERE member_id = ?').pluck().get(anna.id));
    assert.equal(exp.ledger.reduce((a, e) => a + (e.delta as number), 0), exp.balance);
    assert.ok(!JSON.stringify(exp).includes(other.id));

    const balancesBefore = db.prepare('SELECT member_id, balance FROM member_balance ORDER BY member_id').all();
    const xBefore = xReport(db, AT(20));
    const aBefore = loyaltyAnalytics(db, { from: '2026-11-01', to: '2026-11-30' }, AT(20));
    const ledgerBefore = db.prepare('SELECT * FROM ledger_event ORDER BY seq').all();

    // Only an owner, with a reason; refusals change nothing.
    const dump = dumpDb(db);
    assert.throws(() => eraseMember(db, manager, anna.id, 'request'), { code: 'FORBIDDEN' });
    assert.throws(() => eraseMember(db, owner, anna.id, '  '), { code: 'VALIDATION' });
    assert.throws(() => eraseMember(db, owner, 'no-such-member', 'request'), { code: 'NOT_FOUND' });
    assert.equal(dumpDb(db), dump);

    const r = eraseMember(db, owner, anna.id, 'request of 25.11.2026', AT(21));
    assert.equal(r.cardsRemoved, 1);
    assert.equal(r.jobsScrubbed, 1);
    assert.deepEqual(db.prepare('SELECT state, model, length(bytes) AS n FROM print_job WHERE id = ?').get(job.id), { state: 'cancelled', model: null, n: 0 });
    assert.ok(isErased(db, anna.id));
    assert.throws(() => eraseMember(db, owner, anna.id, 'again'), { code: 'CONFLICT' });

    // Balances, the ledger (and its hash chain) and the reports are exactly as before.
    assert.deepEqual(db.prepare('SELECT member_id, balance FROM member_balance ORDER BY member_id').all(), balancesBefore);
    assert.deepEqual(db.prepare('SELECT * FROM ledger_event ORDER BY seq').all(), ledgerBefore);
    assert.equal(verifyLedger(db).ok, true);
    assert.deepEqual(xReport(db, AT(20)), xBefore);
    const aAfter = loyaltyAnalytics(db, { from: '2026-11-01', to: '2026-11-30' }, AT(20));
    assert.deepEqual({ ...aAfter, members: { ...aAfter.members, erased: 0 } }, aBefore);
    assert.equal(aAfter.members.erased, 1);

    // No personal field survives: not in any table (SQL), not in the database or WAL bytes on disk.
    const needles = ['+79161234567', '79161234567', '9161234567', 'Анна Иванова', 'Иванова', '1990-04-12', '2000000100012'];
    const text = everyText(db);
    for (const n of needles) assert.ok(!text.includes(n), `"${n}" still in a table`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The scan is not vacuous: the other member's name is found in the file bytes.
    assert.notEqual(readFileSync(store.path).indexOf(Buffer.from('Мария Кузнецова', 'utf8')), -1);
    for (const file of [store.path, store.path + '-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      for (const n of needles) assert.equal(bytes.indexOf(Buffer.from(n, 'utf8')), -1, `"${n}" still in ${file.endsWith('-wal') ? 'the WAL' : 'the database file'}`);
    }
    // The other member is untouched.
    assert.equal(findMemberByCard(db, 'KP-000003').name, 'Мария Кузнецова');
  } finally {
    store.cleanup();
  }
});
