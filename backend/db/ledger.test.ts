import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createTestStore, dumpDb } from '../testing/store';
import { chainPreimage } from '../../core/ledger/event';
import { canonicalJson } from '../../core/util/canonical-json';
import { appendEvents, balanceOf, preimageWithPayload, verifyLedger } from './ledger';

const AT = '2026-03-01T10:00:00+03:00';

function addMember(db: Database.Database, id: string): void {
  db.prepare("INSERT INTO member (id, phone, name, created_at, updated_at) VALUES (?, NULL, 'x', 't', 't')").run(id);
}

test('appendEvents chains hashes, numbers seqs, writes outbox and balance in one transaction', async () => {
  const s = await createTestStore();
  try {
    addMember(s.db, 'm1');
    const evs = s.db.transaction(() =>
      appendEvents(s.db, [
        { kind: 'earn', memberId: 'm1', delta: 50, occurredAt: AT, payload: { why: 'test' } },
        { kind: 'redeem', memberId: 'm1', delta: -20, occurredAt: AT },
      ]),
    )();
    assert.deepEqual(evs.map((e) => e.seq), [1, 2]);
    assert.equal(evs[0]!.prevHash, '');
    assert.equal(evs[1]!.prevHash, evs[0]!.hash);
    assert.match(evs[0]!.hash, /^[0-9a-f]{64}$/);
    assert.equal(balanceOf(s.db, 'm1'), 30);
    assert.equal(s.db.prepare('SELECT count(*) FROM outbox').pluck().get(), 2);
    const r = verifyLedger(s.db);
    assert.equal(r.ok, true);
    assert.equal(r.headHash, evs[1]!.hash);
  } finally {
    s.cleanup();
  }
});

test('appendEvents refuses to run outside a transaction and leaves nothing behind', async () => {
  const s = await createTestStore();
  try {
    const before = dumpDb(s.db);
    assert.throws(() => appendEvents(s.db, [{ kind: 'bonus', memberId: null, delta: 0, occurredAt: AT }]), /inside the transaction/);
    assert.throws(() => s.db.transaction(() => appendEvents(s.db, [{ kind: 'bonus', memberId: null, delta: 0.5, occurredAt: AT }]))(), /whole number/);
    assert.equal(dumpDb(s.db), before);
  } finally {
    s.cleanup();
  }
});

test('verifyLedger reports a row altered behind the triggers and a broken balance cache', async () => {
  const s = await createTestStore();
  try {
    addMember(s.db, 'm1');
    s.db.transaction(() => {
      for (let i = 0; i < 5; i++) appendEvents(s.db, [{ kind: 'earn', memberId: 'm1', delta: 10, occurredAt: AT }]);
    })();
    s.db.close();
    const raw = new Database(s.path);
    raw.exec('DROP TRIGGER ledger_event_no_update');
    raw.prepare('UPDATE ledger_event SET delta = 1000 WHERE seq = 3').run();
    raw.prepare('UPDATE member_balance SET balance = balance + 990').run();
    const r = verifyLedger(raw);
    assert.equal(r.ok, false);
    assert.equal(r.problem?.code, 'hash_mismatch');
    assert.equal(r.problem?.seq, 3);
    raw.close();
  } finally {
    s.cleanup();
  }
});

test('the commit path\'s preimage (payload serialised once) is byte-for-byte chainPreimage', () => {
  const base = { id: '0190f0e4-1b2c-7d3e-8f40-123456789abc', terminalId: 'Т-1 "till"', seq: 42, kind: 'earn' as const, delta: -7, occurredAt: '2026-03-01T10:00:00+03:00', prevHash: 'ab'.repeat(32) };
  const variants = [
    { ...base, memberId: 'm1', saleId: 's1', refEventId: null, programVersion: 3, payload: { reason: 'Кофе \u2028 "5%"', lines: [{ qty: 2, sku: 'A\\B' }], z: null, a: true } },
    { ...base, memberId: null, saleId: null, refEventId: 'e0', programVersion: null, payload: {} },
    { ...base, seq: 1, delta: 0, prevHash: '', memberId: 'm\u0000x', saleId: null, refEventId: null, programVersion: 0, payload: { b: [1, [2, { d: 'é', c: 'e\u0301' }]] } },
  ];
  for (const e of variants) assert.equal(preimageWithPayload(e, canonicalJson(e.payload)), chainPreimage(e));
  assert.throws(() => preimageWithPayload({ ...variants[1]!, programVersion: 1.5 }, '{}'), /non-integer/);
});
