import QRCode from 'qrcode';

/**
 * Test videos for Chromium's fake camera (--use-file-for-fake-video-capture): a still image
 * of a code centred on white, as YUV4MPEG2 4:2:0 frames.
 */
export type Gray = { width: number; height: number; dark: (x: number, y: number) => boolean };

export function y4m(img: Gray, frames = 5, W = 640, H = 480): Buffer {
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`);
  const y = Buffer.alloc(W * H, 235);
  const ox = Math.floor((W - img.width) / 2);
  const oy = Math.floor((H - img.height) / 2);
  for (let j = 0; j < img.height; j++) for (let i = 0; i < img.width; i++) if (img.dark(i, j)) y[(oy + j) * W + ox + i] = 16;
  const uv = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, uv, uv]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

export function qrImage(text: string, scale = 6): Gray {
  const q = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = q.modules.size;
  return { width: n * scale, height: n * scale, dark: (x, y) => q.modules.data[Math.floor(y / scale) * n + Math.floor(x / scale)] === 1 };
}

/** EAN-13 bars drawn from the GS1 encoding tables (L/G/R codes and the first-digit parity). */
export function ean13Image(code: string, scale = 3, height = 120): Gray {
  const L = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];
  const G = L.map((p) => [...p].map((b) => (b === '1' ? '0' : '1')).reverse().join(''));
  const R = L.map((p) => [...p].map((b) => (b === '1' ? '0' : '1')).join(''));
  const PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];
  const d = [...code].map(Number);
  let bits = '101';
  for (let i = 1; i <= 6; i++) bits += PARITY[d[0]!]![i - 1] === 'L' ? L[d[i]!] : G[d[i]!];
  bits += '01010';
  for (let i = 7; i <= 12; i++) bits += R[d[i]!];
  bits += '101';
  return { width: bits.length * scale, height, dark: (x) => bits[Math.floor(x / scale)] === '1' };
}
