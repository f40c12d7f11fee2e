import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSetting } from '../db/settings';
import { seedDemo } from '../db/seed-demo';
import { saveProgram } from '../loyalty/program-store';
import { findMemberByCard } from '../members/members';
import { eraseMember, exportMember, setConsent } from '../privacy/privacy';
import { seedStaff } from '../reports/test-fixtures';
import { commitSale } from '../sales/checkout';
import { refundSale } from '../sales/refund';
import { closeShift } from '../shifts/close';
import { openShift, recordCashMovement } from '../shifts/shift';
import { setSession } from '../staff/staff';
import { createTestStore, dumpDb } from '../testing/store';
import { adjustPoints } from './adjust-points';
import { asActor, listAudit, verifyAuditChain } from './audit';

const AT = (min: number) => new Date(Date.parse('2026-11-25T07:00:00.000Z') + min * 60_000).toISOString();

test('every sensitive action leaves exactly one audit entry naming who, when, what and why', async () => {
  const store = await createTestStore('kopilka-audit-', { openShift: false });
  const db = store.db;
  try {
    const { owner, manager, cashier } = seedStaff(db);
    seedDemo(db, AT(0));
    closeShift(db, manager, { countedCash: 0, at: AT(1) });
    setSetting(db, 'audit.largeRedeemPoints', 100);
    const seqBefore = listAudit(db, { limit: 1 })[0]!.seq;

    openShift(db, cashier, { openingFloat: 100_000, at: AT(2) });
    setSession(db, cashier);
    recordCashMovement(db, cashier, { kind: 'in', amount: 5_000, reason: 'change', at: AT(3) });
    recordCashMovement(db, cashier, { kind: 'out', amount: 1_000, reason: 'courier', at: AT(4) });
    const maria = findMemberByCard(db, 'KP-000003').id; // 1500 welcome points
    const small = commitSale(db, { items: [{ code: 'LATTE', qty: 1 }], member: { id: maria }, redeem: { mode: 'points', points: 99 }, at: AT(5) });
    const big = commitSale(db, { items: [{ code: 'LATTE', qty: 3 }], member: { id: maria }, redeem: { mode: 'points', points: 150 }, at: AT(6) });
    const plain = commitSale(db, { items: [{ code: 'ESPRESSO', qty: 1 }], at: AT(7) });
    // A manager authorises the refund and the void: attributed to them, not the signed-in cashier.
    const refund = asActor(db, manager.staffId, () => refundSale(db, { sale: small.saleId, reason: 'too cold', at: AT(8) }));
    const voided = asActor(db, manager.staffId, () => refundSale(db, { sale: plain.saleId, kind: 'void', reason: 'rang up twice', at: AT(9) }));
    const adj = adjustPoints(db, manager, { memberId: maria, delta: -20, reason: 'double welcome bonus', at: AT(10) });
    assert.throws(() => adjustPoints(db, cashier, { memberId: maria, delta: 500, reason: 'my friend' }), { code: 'FORBIDDEN' });
    const before = dumpDb(db);
    assert.throws(() => adjustPoints(db, manager, { memberId: maria, delta: 0, reason: 'nothing' }), { code: 'VALIDATION' });
    assert.throws(() => adjustPoints(db, manager, { memberId: maria, delta: 10, reason: '' }), { code: 'VALIDATION' });
    assert.throws(() => adjustPoints(db, manager, { memberId: maria, delta: -1_000_000, reason: 'wipe out' }), { code: 'INSUFFICIENT_POINTS' });
    assert.equal(dumpDb(db), before, 'refused adjustments write nothing, not even an audit row');
    const version = asActor(db, manager.staffId, () => saveProgram(db, { name: 'Autumn', earn: { base: { mode: 'percent', bps: 700 } }, redeem: {} }, AT(11), 'autumn promo'));
    setConsent(db, cashier, maria, 'marketing', false, AT(12));
    exportMember(db, owner, maria, AT(13));
    closeShift(db, manager, { countedCash: 0, note: 'drawer empty: test', at: AT(14) });
    eraseMember(db, owner, maria, 'request by e-mail', AT(15));

    const entries = listAudit(db, { sinceSeq: seqBefore, limit: 1000 }).reverse();
    const got = entries.map((e) => [e.action, e.staffId, e.subjectId, e.reason]);
    assert.deepEqual(got, [
      ['shift.open', cashier.staffId, entries[0]!.subjectId, null],
      ['shift.cash_in', cashier.staffId, entries[0]!.subjectId, 'change'],
      ['shift.cash_out', cashier.staffId, entries[0]!.subjectId, 'courier'],
      ['redeem.large', cashier.staffId, maria, null],
      ['refund', manager.staffId, refund.refundId, 'too cold'],
      ['void', manager.staffId, voided.refundId, 'rang up twice'],
      ['points.adjust', manager.staffId, maria, 'double welcome bonus'],
      ['program.change', manager.staffId, String(version), 'autumn promo'],
      ['consent.change', cashier.staffId, maria, null],
      ['member.export', owner.staffId, maria, null],
      ['shift.close', manager.staffId, entries[0]!.subjectId, 'drawer empty: test'],
      ['member.erase', owner.staffId, maria, 'request by e-mail'],
    ]);
    assert.deepEqual(entries[3]!.details, { eventId: big.events.find((e) => e.kind === 'redeem')!.id, seq: big.events.find((e) => e.kind === 'redeem')!.seq, points: 150, saleId: big.saleId });
    assert.equal(entries[6]!.details.delta, -20);
    assert.equal(entries[6]!.details.eventId, adj.event.id);
    // Business time of each fact (the program version's is when it was saved: wall-clock now).
    const t = (e: (typeof entries)[number]) => Date.parse(e.at);
    assert.ok(entries.filter((e) => e.action !== 'program.change').every((e) => t(e) >= Date.parse(AT(2)) && t(e) <= Date.parse(AT(15))), 'business times recorded');
    assert.equal(entries[4]!.staffRole, 'manager');

    // Append-only and tamper-evident.
    assert.equal(verifyAuditChain(db), null);
    assert.throws(() => db.prepare("UPDATE audit_log SET reason = 'nothing to see' WHERE action = 'points.adjust'").run(), /append-only/);
    assert.throws(() => db.prepare("DELETE FROM audit_log WHERE action = 'refund'").run(), /append-only/);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET reason = 'nothing to see' WHERE action = 'points.adjust'").run();
    assert.equal(verifyAuditChain(db), entries[6]!.seq, 'an edited row breaks the chain at that row');
  } finally {
    store.cleanup();
  }
});
