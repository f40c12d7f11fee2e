import QRCode from 'qrcode';

/**
 * 1-bit rasters for printers that lack a feature (GS ( k QR) and for logos:
 * `GS v 0 m xL xH yL yH d…`, rows packed MSB-first, 1 = black (a PBM P4 body).
 */
export type Bitmap = Readonly<{ width: number; height: number; /** row-major, 1 byte per pixel, 1 = black */ pixels: Uint8Array }>;

export function gsv0(bm: Bitmap): Uint8Array {
  const bytesPerRow = Math.ceil(bm.width / 8);
  const out = new Uint8Array(8 + bytesPerRow * bm.height);
  out.set([0x1d, 0x76, 0x30, 0x00, bytesPerRow & 0xff, bytesPerRow >> 8, bm.height & 0xff, bm.height >> 8]);
  for (let y = 0; y < bm.height; y++) {
    for (let x = 0; x < bm.width; x++) {
      if (bm.pixels[y * bm.width + x]) out[8 + y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** Unpack packed 1-bit rows (MSB-first) into a Bitmap. */
export function unpack(width: number, height: number, packed: Uint8Array): Bitmap {
  const bytesPerRow = Math.ceil(width / 8);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels[y * width + x] = (packed[y * bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
    }
  }
  return { width, height, pixels };
}

export type QrLevel = 'l' | 'm' | 'q' | 'h';

/** QR modules scaled by `moduleSize` dots, with a 4-module quiet zone. */
export function qrBitmap(text: string, moduleSize: number, level: QrLevel = 'm'): Bitmap {
  const qr = QRCode.create(text, { errorCorrectionLevel: level.toUpperCase() as 'L' | 'M' | 'Q' | 'H' });
  const n = qr.modules.size;
  const quiet = 4;
  const size = (n + 2 * quiet) * moduleSize;
  const pixels = new Uint8Array(size * size);
  for (let my = 0; my < n; my++) {
    for (let mx = 0; mx < n; mx++) {
      if (!qr.modules.data[my * n + mx]) continue;
      for (let dy = 0; dy < moduleSize; dy++) {
        const row = ((my + quiet) * moduleSize + dy) * size;
        for (let dx = 0; dx < moduleSize; dx++) pixels[row + (mx + quiet) * moduleSize + dx] = 1;
      }
    }
  }
  return { width: size, height: size, pixels };
}

/** Centre a bitmap on a line `dots` wide by adding white columns on the left (whole bytes). */
export function padLeft(bm: Bitmap, dots: number): Bitmap {
  const pad = Math.max(0, Math.floor((dots - bm.width) / 16) * 8);
  if (pad === 0) return bm;
  const width = bm.width + pad;
  const pixels = new Uint8Array(width * bm.height);
  for (let y = 0; y < bm.height; y++) pixels.set(bm.pixels.subarray(y * bm.width, (y + 1) * bm.width), y * width + pad);
  return { width, height: bm.height, pixels };
}
