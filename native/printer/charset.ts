import './codepage-cache';
import CodepageEncoder from '@point-of-sale/codepage-encoder';
import type { CyrillicCodepage } from './profiles';

/**
 * The encoder silently prints `?` for any character its code page lacks (even with
 * errors: 'strict'). We catch those characters before encoding: each is replaced by a
 * readable transliteration ("₽" → "руб.", "€" → "EUR", "—" → "-"), and what was replaced is
 * reported so the caller can log it. A character with no transliteration becomes a blank
 * placeholder "_", never "?" (which on a receipt reads like a data error).
 */
const TRANSLIT: Readonly<Record<string, string>> = {
  '₽': 'руб.', '€': 'EUR', '$': '$', '£': 'GBP', '¥': 'JPY', '₸': 'тг', '₴': 'грн',
  '—': '-', '–': '-', '‒': '-', '−': '-', '‐': '-', '‑': '-',
  '«': '"', '»': '"', '„': '"', '“': '"', '”': '"', '‘': "'", '’': "'", '‚': ',',
  '…': '...', '•': '*', '·': '.', '×': 'x', '№': 'N', '™': '(TM)', '©': '(C)', '®': '(R)',
  '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', '\u2007': ' ', '\t': ' ',
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
export function toPrintable(text: string, cp: CyrillicCodepage): { text: string; replaced: Replacement[] } {
  const set = codepoints(cp);
  let all = true;
  for (let i = 0; i < text.length; i++) {
    if (!set.has(text.charCodeAt(i))) {
      all = false;
      break;
    }
  }
  if (all) return { text, replaced: [] };
  let out = '';
  const replaced: Replacement[] = [];
  for (const ch of text) {
    if (canEncode(ch, cp)) {
      out += ch;
      continue;
    }
    const sub = substitute(ch, cp);
    replaced.push({ char: ch, with: sub });
    out += sub;
  }
  return { text: out, replaced };
}

function substitute(ch: string, cp: CyrillicCodepage): string {
  const direct = TRANSLIT[ch];
  if (direct !== undefined && [...direct].every((c) => canEncode(c, cp))) return direct;
  // Accented Latin letters: drop the accent (é → e) when the base letter exists.
  const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (base && base !== ch && [...base].every((c) => canEncode(c, cp))) return base;
  if (direct !== undefined) return [...direct].map((c) => (canEncode(c, cp) ? c : '_')).join('');
  return '_';
}
