import './codepage-cache';
import CodepageEncoder from '@point-of-sale/codepage-encoder';
import { codeAt, encodable, printableUnit } from './escpos';
import type { CyrillicCodepage } from './profiles';

/**
 * A code page lacks many characters, and encoders silently print `?` for them. We catch those
 * characters before encoding: each is replaced by a readable transliteration ("₽" → "руб.",
 * "€" → "EUR", "—" → "-"), and what was replaced is reported so the caller can log it. A
 * character with no transliteration (emoji, CJK, "ł") sets `unmapped`: the layout then prints
 * that line as an image (text-image.ts). The "_" left in `text` for it is only a fallback for
 * callers that want plain text; never "?" (which on a receipt reads like a data error).
 */
const TRANSLIT: Readonly<Record<string, string>> = {
  '₽': 'руб.', '€': 'EUR', '$': '$', '£': 'GBP', '¥': 'JPY', '₸': 'тг', '₴': 'грн',
  '—': '-', '–': '-', '‒': '-', '−': '-', '‐': '-', '‑': '-',
  '«': '"', '»': '"', '„': '"', '“': '"', '”': '"', '‘': "'", '’': "'", '‚': ',',
  '…': '...', '•': '*', '·': '.', '×': 'x', '№': 'N', '™': '(TM)', '©': '(C)', '®': '(R)',
  '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', '\u2007': ' ', '\t': ' ', '\n': ' ', '\r': ' ',
  '█': '#', '░': '.', '∙': '.', '▓': '#', '■': '#', '□': '.', '●': '*', '○': 'o', '★': '*', '☆': '*',
  'Ё': 'Е', 'ё': 'е', 'Є': 'Е', 'є': 'е', 'Ї': 'I', 'ї': 'i', 'І': 'I', 'і': 'i', 'Ў': 'У', 'ў': 'у',
  '½': '1/2', '¼': '1/4', '¾': '3/4', '°': 'o', '²': '2', '³': '3', '±': '+/-',
};

const cache = new Map<CyrillicCodepage, ReadonlySet<number>>();
function codepoints(cp: CyrillicCodepage): ReadonlySet<number> {
  let set = cache.get(cp);
  if (!set) {
    const def = CodepageEncoder.getEncoding(cp) as { codepoints: number[] };
    // Control characters are never printable text, even where the table maps them.
    set = new Set(def.codepoints.filter((c, i) => i >= 0x20 && c !== 0xfffd && c !== undefined));
    cache.set(cp, set);
  }
  return set;
}

export function canEncode(ch: string, cp: CyrillicCodepage): boolean {
  const code = ch.codePointAt(0);
  return code !== undefined && codepoints(cp).has(code);
}

export type Replacement = Readonly<{ char: string; with: string }>;

/** Replace every character `cp` lacks; returns the printable text and what was replaced. */
export type Printable = { text: string; replaced: Replacement[]; unmapped: boolean };

export function toPrintable(text: string, cp: CyrillicCodepage): Printable {
  if (encodable(text, cp)) return { text, replaced: [], unmapped: false };
  // Runs of printable text are copied as slices; only the characters the page lacks are rebuilt.
  let out = '';
  let unmapped = false;
  const replaced: Replacement[] = [];
  let start = 0;
  for (let i = 0, len = text.length; i < len; ) {
    // Printable units are skipped by their code alone: `text[i]` makes a new string for every
    // Cyrillic letter, which was most of what a receipt allocated.
    if (printableUnit(codeAt.call(text, i), cp)) {
      i++;
      continue;
    }
    const code = text.codePointAt(i)!;
    const step = code > 0xffff ? 2 : 1;
    const r = replacementOf(text, i, step, code, cp);
    if (r !== null) {
      if (r.unmapped) unmapped = true;
      replaced.push(r.replacement);
      out += text.slice(start, i) + r.replacement.with;
      start = i + step;
    }
    i += step;
  }
  out += text.slice(start);
  return { text: out, replaced, unmapped };
}

type Known = Readonly<{ replacement: Replacement; unmapped: boolean }>;
// What became of each character a page lacks (null: the page has it after all), by code point,
// so a repeated «, ₽ or — costs neither its one-character string nor a new Replacement.
const known = new Map<CyrillicCodepage, Map<number, Known | null>>();
function replacementOf(text: string, i: number, step: number, code: number, cp: CyrillicCodepage): Known | null {
  let m = known.get(cp);
  if (!m) known.set(cp, (m = new Map()));
  let k = m.get(code);
  if (k === undefined) {
    const ch = step === 1 ? text[i]! : text.slice(i, i + 2);
    if (canEncode(ch, cp)) k = null;
    else {
      const sub = substituteCached(ch, cp);
      k = Object.freeze({ replacement: Object.freeze({ char: ch, with: sub ?? '_' }), unmapped: sub === null });
    }
    m.set(code, k);
  }
  return k;
}

// Every amount carries "₽", which most code pages lack: remember each character's spelling per page
// instead of normalising and re-checking it for every line of every receipt.
const spellings = new Map<CyrillicCodepage, Map<string, string | null>>();
function substituteCached(ch: string, cp: CyrillicCodepage): string | null {
  let m = spellings.get(cp);
  if (!m) spellings.set(cp, (m = new Map()));
  let sub = m.get(ch);
  if (sub === undefined) m.set(ch, (sub = substitute(ch, cp)));
  return sub;
}

/** The printable spelling of `ch` in `cp`, or null when it has none. */
export function substitute(ch: string, cp: CyrillicCodepage): string | null {
  const direct = TRANSLIT[ch];
  if (direct !== undefined && [...direct].every((c) => canEncode(c, cp))) return direct;
  // Accented Latin letters: drop the accent (é → e) when the base letter exists.
  const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (base && base !== ch && [...base].every((c) => canEncode(c, cp))) return base;
  return null;
}
