/**
 * Physical key (KeyboardEvent.code) → the character a US-layout keyboard produces. A wedge
 * scanner sends scancodes, so with a Russian layout active `event.key` says "з" for what the
 * scanner meant as "p"; `event.code` ("KeyP") is layout-independent and is what we read.
 */
const SHIFTED: Readonly<Record<string, string>> = {
  Digit1: '!', Digit2: '@', Digit3: '#', Digit4: '$', Digit5: '%', Digit6: '^', Digit7: '&', Digit8: '*', Digit9: '(', Digit0: ')',
  Minus: '_', Equal: '+', BracketLeft: '{', BracketRight: '}', Backslash: '|', Semicolon: ':', Quote: '"', Comma: '<', Period: '>', Slash: '?', Backquote: '~',
};
const PLAIN: Readonly<Record<string, string>> = {
  Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Backslash: '\\', Semicolon: ';', Quote: "'", Comma: ',', Period: '.', Slash: '/', Backquote: '`', Space: ' ',
  NumpadDivide: '/', NumpadMultiply: '*', NumpadSubtract: '-', NumpadAdd: '+', NumpadDecimal: '.',
};

export function charForCode(code: string, shift: boolean): string | null {
  if (/^Key[A-Z]$/.test(code)) {
    const c = code.slice(3);
    return shift ? c : c.toLowerCase();
  }
  if (/^Digit\d$/.test(code)) return shift ? SHIFTED[code]! : code.slice(5);
  if (/^Numpad\d$/.test(code)) return code.slice(6);
  if (shift && SHIFTED[code]) return SHIFTED[code]!;
  return PLAIN[code] ?? null;
}
