import 'global-jsdom/register';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanEvent } from '../../../core/scan/event';
import { charForCode } from './keymap';
import { startWedgeScanner, type WedgeOptions } from './wedge';

/**
 * The wedge detector's rules with a controlled clock (the Chromium tests in test/hardware use
 * real key timing): keys are dispatched as KeyboardEvents with `code`, `key` and `shiftKey`.
 */
function rig(opts: Partial<WedgeOptions> = {}) {
  let now = 0;
  const scans: ScanEvent[] = [];
  const s = startWedgeScanner({ onScan: (e) => scans.push(e), now: () => now, ...opts });
  const key = (code: string, key: string, shift = false, target: EventTarget = document.body) => {
    const ev = new KeyboardEvent('keydown', { code, key, shiftKey: shift, bubbles: true, cancelable: true });
    target.dispatchEvent(ev);
    return ev;
  };
  const type = (text: string, gap: number, target?: EventTarget) => {
    for (const ch of text) {
      const upper = /[A-Z]/.test(ch);
      const code = /[0-9]/.test(ch) ? `Digit${ch}` : /[a-z]/i.test(ch) ? `Key${ch.toUpperCase()}` : ch === '-' ? 'Minus' : ch === ']' ? 'BracketRight' : ch === '~' ? 'Backquote' : 'Space';
      key(code, ch, upper || ch === '~', target);
      now += gap;
    }
  };
  return { scans, key, type, advance: (ms: number) => (now += ms), stop: () => s.stop() };
}

test('keymap: physical keys → US characters', () => {
  assert.equal(charForCode('KeyP', false), 'p');
  assert.equal(charForCode('KeyP', true), 'P');
  assert.equal(charForCode('Digit2', true), '@');
  assert.equal(charForCode('BracketRight', false), ']');
  assert.equal(charForCode('Numpad7', false), '7');
  assert.equal(charForCode('ArrowLeft', false), null);
});

test('fast burst + Enter is one scan; Enter is swallowed', () => {
  const r = rig();
  r.type('4601234567893', 8);
  const enter = r.key('Enter', 'Enter');
  assert.equal(enter.defaultPrevented, true);
  assert.deepEqual(r.scans, [{ source: 'wedge', symbology: 'ean13', data: '4601234567893' }]);
  r.stop();
});

test('human speed, too short, Escape in the middle: no scan; Enter passes through', () => {
  const r = rig();
  r.type('4601234567893', 120);
  assert.equal(r.key('Enter', 'Enter').defaultPrevented, false);
  r.type('123', 5);
  r.key('Enter', 'Enter');
  r.type('460123', 5);
  r.key('Escape', 'Escape');
  r.type('4567893', 5);
  r.key('Enter', 'Enter');
  assert.deepEqual(r.scans, [{ source: 'wedge', symbology: 'code128', data: '4567893' }]);
  r.stop();
});

test('one late key (busy machine) does not break a scan; a long pause splits bursts', () => {
  const r = rig();
  r.type('46012', 6);
  r.advance(200); // jitter: under maxGapMs (300), and the median gap stays small
  r.type('34567893', 6);
  r.key('Enter', 'Enter');
  assert.deepEqual(r.scans.map((s) => s.data), ['4601234567893']);
  r.type('hello', 130);
  r.advance(400);
  r.type('2000000100012', 5);
  r.key('Tab', 'Tab');
  assert.deepEqual(r.scans.map((s) => s.data), ['4601234567893', '2000000100012']);
  r.stop();
});

test('scan into a text field: the field gets its text back and no input is lost', () => {
  const r = rig();
  const input = document.createElement('input');
  document.body.append(input);
  input.value = 'Ива';
  r.type('4601234567893', 5, input);
  input.value = 'Ива4601234567893'; // what the browser would have inserted
  r.key('Enter', 'Enter', false, input);
  assert.equal(input.value, 'Ива');
  assert.equal(r.scans.length, 1);
  input.remove();
  r.stop();
});

test('prefix: slow scanner accepted after the prefix; idle commit without suffix when enabled', () => {
  const r = rig({ prefix: '~~' });
  r.type('~~GC-77', 80);
  r.key('Enter', 'Enter');
  assert.deepEqual(r.scans, [{ source: 'wedge', symbology: 'code128', data: 'GC-77' }]);
  r.stop();
});
