import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { PNG } from 'pngjs';

/** Decode a QR code from 1-bit pixels (1 = black) with @zxing/library, adding a white quiet zone. */
export function decodeQrPixels(width: number, height: number, pixels: ArrayLike<number>): string {
  const pad = 16;
  const w = width + 2 * pad;
  const h = height + 2 * pad;
  const lum = new Uint8ClampedArray(w * h).fill(255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (pixels[y * width + x]) lum[(y + pad) * w + x + pad] = 0;
  const reader = new MultiFormatReader();
  reader.setHints(new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]], [DecodeHintType.TRY_HARDER, true]]));
  return reader.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, w, h)))).getText();
}

/** GS v 0 raster data (rows MSB-first) → decoded QR text. */
export function decodeQrRaster(widthBytes: number, height: number, data: Uint8Array): string {
  const width = widthBytes * 8;
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px[y * width + x] = (data[y * widthBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
  return decodeQrPixels(width, height, px);
}

/** Decode the QR in a region of a greyscale/RGB PNG. */
export function decodeQrPng(png: Buffer, region?: { y0: number; y1: number }): string {
  const img = PNG.sync.read(png);
  const y0 = region?.y0 ?? 0;
  const y1 = region?.y1 ?? img.height;
  const h = y1 - y0;
  const px = new Uint8Array(img.width * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < img.width; x++) px[y * img.width + x] = img.data[((y + y0) * img.width + x) * 4]! < 128 ? 1 : 0;
  return decodeQrPixels(img.width, h, px);
}
