import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore, dumpDb } from '../testing/store';
import { verifyLedger } from '../db/ledger';
import { addMember, findMemberByCard, findMemberByPhone, findMembersByLast4, addCard, getMember, warmMemberLookups, warmMemberLookupsGradually } from './members';

const AT = '2026-03-01T10:00:00+03:00';

test('add and find members by card, phone and last four digits', async () => {
  const s = await createTestStore();
  try {
    const a = addMember(s.db, { name: 'Анна', phone: '8 916 123-12-34', card: '2000000100012', consentPd: true }, AT);
    assert.equal(a.phone, '+79161231234');
    assert.equal(a.maskedPhone, '+7 *** ***-12-34');
    assert.equal(a.consentPdAt, AT);
    assert.equal(a.consentMarketingAt, null);
    const b = addMember(s.db, { name: 'Борис', phone: '+7 925 000-12-34', card: 'kopilka:card:boris-01' }, AT);
    assert.equal(findMemberByCard(s.db, '2000000100012').id, a.id);
    assert.equal(findMemberByCard(s.db, 'KOPILKA:CARD:boris-01').id, b.id);
    assert.equal(findMemberByCard(s.db, 'boris-01').id, b.id, 'the QR payload and the Code 128 print are the same card');
    assert.equal(findMemberByPhone(s.db, '+79161231234').id, a.id);
    const c = findMembersByLast4(s.db, '1234');
    assert.deepEqual(c.map((x) => x.maskedPhone), ['+7 *** ***-12-34', '+7 *** ***-12-34']);
    assert.ok(c.every((x) => !JSON.stringify(x).includes('916')), 'candidates never reveal the full phone');
    addCard(s.db, a.id, 'KP-77777', AT);
    assert.equal(findMemberByCard(s.db, 'KP-77777').id, a.id);
    assert.equal(s.db.prepare("SELECT count(*) FROM ledger_event WHERE kind = 'member_create'").pluck().get(), 2);
    assert.equal(verifyLedger(s.db).ok, true);
  } finally {
    s.cleanup();
  }
});

test('bad member input is refused and changes nothing', async () => {
  const s = await createTestStore();
  try {
    addMember(s.db, { name: 'Анна', phone: '+79161231234', card: '2000000100012' }, AT);
    const before = dumpDb(s.db);
    const bad: [object, RegExp][] = [
      [{ name: 'X', phone: '12345' }, /not a valid phone|not a phone/],
      [{ name: 'X', phone: 'телефон' }, /not a phone/],
      [{ name: 'X', card: '2000000100013' }, /check digit/],
      [{ name: 'X' }, /phone number or a card/],
      [{ name: 'X', phone: '+7 916 123-12-34' }, /already exists/],
      [{ name: 'X', card: '2000000100012' }, /already issued/],
      [{ name: 'X', phone: '+79250000000', birthday: '2026-02-30' }, /not a real date/],
    ];
    for (const [input, re] of bad) assert.throws(() => addMember(s.db, input as never, AT), re, JSON.stringify(input));
    assert.throws(() => findMemberByCard(s.db, '4006381333931'), /not registered/);
    assert.throws(() => findMemberByPhone(s.db, '+79990001122'), /No member/);
    assert.throws(() => findMembersByLast4(s.db, '12a4'), /last 4/);
    assert.equal(dumpDb(s.db), before);
  } finally {
    s.cleanup();
  }
});

test('one-statement lookup: cards in issue order, balance, no card or balance yet, blocked card refused; warm-up changes nothing', async () => {
  const s = await createTestStore();
  try {
    const a = addMember(s.db, { name: 'Вера', phone: '+7 916 555-00-01', card: 'KP-3', consentPd: true }, '2026-03-01T10:00:00+03:00');
    addCard(s.db, a.id, 'KP-1', '2026-03-02T10:00:00+03:00');
    addCard(s.db, a.id, 'KP-2', '2026-03-02T10:00:00+03:00');
    const expected = [{ code: 'KP-3', kind: 'code128', status: 'active' }, { code: 'KP-1', kind: 'code128', status: 'active' }, { code: 'KP-2', kind: 'code128', status: 'active' }];
    assert.deepEqual(findMemberByCard(s.db, 'KP-2').cards, expected);
    assert.deepEqual(findMemberByPhone(s.db, '89165550001').cards, expected);
    assert.equal(getMember(s.db, a.id).balance, 0, 'no balance row yet reads as 0');
    s.db.prepare("INSERT INTO member_balance (member_id, balance, updated_seq) VALUES (?, 42, 1) ON CONFLICT (member_id) DO UPDATE SET balance = 42").run(a.id);
    assert.equal(findMemberByCard(s.db, 'KP-1').balance, 42);
    const noCard = addMember(s.db, { name: 'Глеб', phone: '+7 916 555-00-02' }, AT);
    assert.deepEqual(findMemberByPhone(s.db, '+79165550002').cards, []);
    assert.equal(findMemberByPhone(s.db, '+79165550002').id, noCard.id);
    s.db.prepare("UPDATE member_card SET status = 'blocked' WHERE code = 'KP-1'").run();
    assert.throws(() => findMemberByCard(s.db, 'KP-1'), (e: Error & { code?: string }) => e.code === 'FORBIDDEN' && /blocked/.test(e.message));
    assert.throws(() => findMemberByCard(s.db, 'KP-404'), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
    assert.equal(findMemberByCard(s.db, 'KP-3').cards[1]!.status, 'blocked');
    const before = dumpDb(s.db);
    assert.equal(warmMemberLookups(s.db), 6);
    assert.deepEqual(dumpDb(s.db), before);
  } finally {
    s.cleanup();
  }
});

test('gradual warm-up walks every lookup B-tree in slices, yields between them, changes nothing, and stops on request', async () => {
  const s = await createTestStore();
  try {
    for (let i = 0; i < 25; i++) addMember(s.db, { name: `M${i}`, phone: `+7 916 555-10-${String(i).padStart(2, '0')}`, card: `KP-W${i}` }, AT);
    const before = dumpDb(s.db);
    let turns = 0;
    const beat = setInterval(() => turns++, 0);
    const w = warmMemberLookupsGradually(s.db, { sliceKeys: 4 });
    const p = await w.done;
    clearInterval(beat);
    assert.equal(p.trees, warmMemberLookups(s.db));
    assert.equal(p.stopped, false);
    // 25 members: their rows, id and phone keys; 25 cards (code, card list); their balance rows.
    const balances = s.db.prepare('SELECT count(*) FROM member_balance').pluck().get() as number;
    assert.equal(p.keys, 25 * 5 + balances);
    assert.ok(p.slices >= Math.ceil(p.keys / 4), `${p.slices} slices`);
    assert.ok(turns > 0, 'other work ran between slices');
    assert.deepEqual(dumpDb(s.db), before);
    const early = warmMemberLookupsGradually(s.db, { sliceKeys: 4 });
    early.stop();
    const q = await early.done;
    assert.equal(q.stopped, true);
    assert.ok(q.slices <= 1);
  } finally {
    s.cleanup();
  }
});
