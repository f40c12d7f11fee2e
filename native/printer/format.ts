/**
 * Receipt text helpers: fixed-width columns, amounts as "1 234,50" with plain spaces
 * (thermal code pages have no narrow no-break space), quantities from thousandths.
 */
export function amount(minor: number, digits = 2): string {
  const neg = minor < 0;
  const abs = Math.abs(minor);
  const major = Math.trunc(abs / 10 ** digits);
  const frac = abs % 10 ** digits;
  const fraction = (digits === 2 ? CENTS[frac] : undefined) ?? String(frac).padStart(digits, '0');
  return (neg ? '-' : '') + grouped(String(major)) + (digits > 0 ? ',' + fraction : '');
}

/** "00"…"99": every amount on a receipt has two decimals, and padStart made a string for each. */
const CENTS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** "1234567" → "1 234 567". By slices: the lookahead regex was the dearest part of a receipt line. */
function grouped(digits: string): string {
  const len = digits.length;
  if (len <= 3) return digits;
  let at = len % 3 || 3;
  let out = digits.slice(0, at);
  for (; at < len; at += 3) out += ' ' + digits.slice(at, at + 3);
  return out;
}

export function qty(milli: number): string {
  const whole = Math.trunc(milli / 1000);
  const frac = Math.abs(milli % 1000);
  if (frac === 0) return String(whole);
  return `${milli < 0 && whole === 0 ? '-' : ''}${whole},${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Split text into lines of at most `width` characters, breaking at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  // Fast path: most receipt lines fit (length counts UTF-16 units ≥ characters).
  if (text.length <= width && !text.includes('\n')) return [text];
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let rest = [...para];
    while (rest.length > width) {
      let cut = rest.lastIndexOf(' ', width);
      if (cut <= 0) cut = width;
      out.push(rest.slice(0, cut).join('').trimEnd());
      rest = rest.slice(cut).join('').trimStart().split('');
      rest = [...rest.join('')];
    }
    out.push(rest.join(''));
  }
  return out;
}

/** "left ...... right" in exactly `width` columns; the left side wraps when both don't fit. */
export function pair(left: string, right: string, width: number): string[] {
  if (left.length + right.length < width) return [left + ' '.repeat(width - left.length - right.length) + right];
  const r = [...right].length;
  const room = width - r - 1;
  if (room < 1) return [...wrap(left, width), right.padStart(width)];
  const lines = wrap(left, room);
  const last = lines.pop() ?? '';
  return [...lines, last + ' '.repeat(width - [...last].length - r) + right];
}

export function center(text: string, width: number): string {
  const len = [...text].length;
  if (len >= width) return text;
  return ' '.repeat(Math.floor((width - len) / 2)) + text;
}
