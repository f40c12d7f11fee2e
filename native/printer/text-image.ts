import { substitute } from './charset';
import { GLYPH_BITS, GLYPH_CHARS, GLYPH_H, GLYPH_W } from './font/glyphs';
import type { CyrillicCodepage } from './profiles';
import type { Bitmap } from './raster';

/**
 * A text line drawn as a 1-bit image with the bundled 12×24 font (the printer's font A cell),
 * for lines holding a character the printer's code page cannot print and nothing can stand in
 * for (emoji, CJK, "ł"). Characters the font lacks too are drawn as an empty box ("tofu"), the
 * usual sign of a missing glyph: visible, and not mistaken for a "?" in the data.
 */
const glyphIndex = new Map<string, number>([...GLYPH_CHARS].map((c, i) => [c, i]));
const glyphBits = Buffer.from(GLYPH_BITS, 'base64');
const GLYPH_BYTES = (GLYPH_W * GLYPH_H) / 8;

export const TEXT_IMAGE_CELL = GLYPH_W;

/** One drawable cell per entry: a font glyph, or null for the missing-glyph box. */
export function imageCells(text: string, cp: CyrillicCodepage): (string | null)[] {
  const cells: (string | null)[] = [];
  for (const ch of text) {
    if (glyphIndex.has(ch)) cells.push(ch);
    else {
      // The font covers both code pages, so a transliteration it can draw is preferred to a box.
      const sub = substitute(ch, cp) ?? substitute(ch, cp === 'cp866' ? 'windows1251' : 'cp866');
      if (sub !== null && [...sub].every((c) => glyphIndex.has(c))) cells.push(...sub);
      else cells.push(null);
    }
  }
  return cells;
}

export type TextImageStyle = Readonly<{ bold: boolean; tall: boolean }>;

/** Draw `cells` left to right, one 12-dot cell each; the width is rounded up to whole bytes. */
export function drawCells(cells: readonly (string | null)[], style: TextImageStyle): Bitmap {
  const scaleY = style.tall ? 2 : 1;
  const width = Math.max(8, Math.ceil((cells.length * GLYPH_W) / 8) * 8);
  const height = GLYPH_H * scaleY;
  const pixels = new Uint8Array(width * height);
  cells.forEach((ch, k) => {
    const x0 = k * GLYPH_W;
    const gi = ch === null ? -1 : glyphIndex.get(ch)!;
    for (let y = 0; y < GLYPH_H; y++) {
      for (let x = 0; x < GLYPH_W; x++) {
        let on: number;
        if (gi < 0) {
          // Missing glyph: a box from the cap height to the baseline.
          const inY = y >= 5 && y <= 19;
          const inX = x >= 2 && x <= 9;
          on = inY && inX && (y === 5 || y === 19 || x === 2 || x === 9) ? 1 : 0;
        } else {
          const bit = y * GLYPH_W + x;
          on = (glyphBits[gi * GLYPH_BYTES + (bit >> 3)]! >> (7 - (bit & 7))) & 1;
          if (!on && style.bold && x > 0) {
            const b2 = bit - 1;
            on = (glyphBits[gi * GLYPH_BYTES + (b2 >> 3)]! >> (7 - (b2 & 7))) & 1;
          }
        }
        if (!on) continue;
        for (let s = 0; s < scaleY; s++) pixels[(y * scaleY + s) * width + x0 + x] = 1;
      }
    }
  });
  return { width, height, pixels };
}
