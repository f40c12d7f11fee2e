import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPhone, normalizePhone, parseLast4 } from './phone';
import { isValidEan13, makeEan13, parseCardCode } from './card';

test('phones normalise to E.164 with RU as the default region', () => {
  const cases: [string, string][] = [
    ['8 (916) 123-45-67', '+79161234567'],
    ['+7 916 123 45 67', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['+7-495-123-45-67', '+74951234567'],
    ['+375 29 123-45-67', '+375291234567'],
  ];
  for (const [input, e164] of cases) assert.equal(normalizePhone(input), e164, input);
});

test('malformed phones are refused with a message', () => {
  for (const bad of ['', '123', 'abc', '8 916 123', '+7 916 123 45 67 89 01', '++79161234567x', '0000000000']) {
    assert.throws(() => normalizePhone(bad), (e: Error & { code?: string }) => e.code === 'VALIDATION' && /phone/.test(e.message), bad);
  }
});

test('masking shows only the country code and the last four digits', () => {
  assert.equal(maskPhone('+79161231234'), '+7 *** ***-12-34');
  assert.equal(maskPhone('+375291234567'), '+375 *****-45-67');
  assert.equal(parseLast4('1234'), '1234');
  assert.throws(() => parseLast4('123'), /last 4 digits/);
});

test('card codes: EAN-13 with check digit, Code 128, QR payload', () => {
  assert.equal(isValidEan13('4006381333931'), true);
  assert.deepEqual(parseCardCode('4006381333931'), { kind: 'ean13', code: '4006381333931' });
  assert.throws(() => parseCardCode('4006381333932'), /check digit/);
  assert.deepEqual(parseCardCode('KP-000123'), { kind: 'code128', code: 'KP-000123' });
  assert.deepEqual(parseCardCode('kopilka:card:AbC-12345'), { kind: 'qr', code: 'AbC-12345' });
  assert.throws(() => parseCardCode('KOPILKA:CARD:<script>'), /not a Kopilka card/);
  assert.throws(() => parseCardCode(''), /empty/);
  assert.throws(() => parseCardCode('ab'), /not a card code/);
  assert.throws(() => parseCardCode('Ж'.repeat(10)), /not a card code/);
  const made = makeEan13('00000000001');
  assert.equal(made.length, 13);
  assert.equal(isValidEan13(made), true);
});
