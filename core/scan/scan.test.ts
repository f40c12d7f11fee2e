import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aimSymbology, gtinCheckOk, makeScanEvent, splitAim } from './event';
import { routeScan } from './router';

test('AIM identifiers split off and map to symbologies', () => {
  assert.deepEqual(splitAim(']E04601234567893'), { aim: ']E0', data: '4601234567893' });
  assert.deepEqual(splitAim('4601234567893'), { data: '4601234567893' });
  assert.equal(aimSymbology(']E0'), 'ean13');
  assert.equal(aimSymbology(']E4'), 'ean8');
  assert.equal(aimSymbology(']C1'), 'gs1-128');
  assert.equal(aimSymbology(']Q1'), 'qr');
  assert.deepEqual(makeScanEvent('serial', ']C0KP-000003\r\n'), { source: 'serial', symbology: 'code128', data: 'KP-000003', aim: ']C0' });
  assert.deepEqual(makeScanEvent('wedge', '4601234567893\r'), { source: 'wedge', symbology: 'ean13', data: '4601234567893' });
  assert.equal(makeScanEvent('wedge', '\r\n'), null);
});

test('GTIN check digits', () => {
  assert.ok(gtinCheckOk('4601234567893'));
  assert.ok(!gtinCheckOk('4601234567890'));
  assert.ok(gtinCheckOk('96385074'));
  assert.ok(gtinCheckOk('036000291452'));
});

test('router: product, member card/QR, coupon, gift, unknown', () => {
  const r = (data: string, sym = 'unknown' as const) => routeScan({ source: 'wedge', symbology: sym, data });
  assert.deepEqual(r('4601234567893'), { kind: 'product', code: '4601234567893', maybeMember: false });
  assert.deepEqual(r('2000000100012'), { kind: 'product', code: '2000000100012', maybeMember: true });
  assert.deepEqual(r('KOPILKA:CARD:AbC-12345'), { kind: 'member', code: 'AbC-12345' });
  assert.deepEqual(r('KP-000003'), { kind: 'member', code: 'KP-000003' });
  assert.deepEqual(r('GC-1'), { kind: 'gift', code: 'GC-1' });
  assert.deepEqual(r('KOPILKA:GIFT:GC-77'), { kind: 'gift', code: 'GC-77' });
  assert.deepEqual(r('spring10'), { kind: 'coupon', code: 'SPRING10' });
  assert.equal(r('4601234567890').kind, 'unknown');
  assert.equal(routeScan({ source: 'camera', symbology: 'qr', data: 'https://evil.example/x' }).kind, 'unknown');
});
