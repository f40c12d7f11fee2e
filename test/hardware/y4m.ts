import QRCode from 'qrcode';

/**
 * Test videos for Chromium's fake camera (--use-file-for-fake-video-capture): a still image
 * of a code centred on white, as YUV4MPEG2 4:2:0 frames.
 */
export type Gray = { width: number; height: number; dark: (x: number, y: number) => boolean };

export function y4m(img: Gray, frames = 5, W = 640, H = 480): Buffer {
  return y4mSequence([[img, frames]], W, H);
}

/** Several stills one after another (Chromium loops the file): [image, frame count] pairs. */
export function y4mSequence(parts: [Gray, number][], W = 640, H = 480): Buffer {
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...parts.flatMap(([img, n]) => Array.from({ length: n }, () => frameOf(img, W, H)))]);
}

function frameOf(img: Gray, W: number, H: number): Buffer {
  const y = Buffer.alloc(W * H, 235);
  const ox = Math.floor((W - img.width) / 2);
  const oy = Math.floor((H - img.height) / 2);
  for (let j = 0; j < img.height; j++) for (let i = 0; i < img.width; i++) if (img.dark(i, j)) y[(oy + j) * W + ox + i] = 16;
  const uv = Buffer.alloc((W / 2) * (H / 2), 128);
  return Buffer.concat([Buffer.from('FRAME\n'), y, uv, uv]);
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

/** Code 128 bars from receiptline's SVG rendering (an encoder independent of zxing and of our code). */
export async function code128Image(text: string, height = 120): Promise<Gray> {
  const { default: receiptline } = await import('receiptline');
  const svg = receiptline.transform(`{code:${text}; option:code128,3,${height},nohri}`, { command: 'svg', cpl: 48 });
  const bars: [number, number][] = [];
  for (const m of svg.matchAll(/M(\d+),0h(\d+)v/g)) bars.push([Number(m[1]), Number(m[2])]);
  if (!bars.length) throw new Error('receiptline drew no bars');
  const end = Math.max(...bars.map(([x, w]) => x + w));
  return { width: end, height, dark: (x) => bars.some(([b, w]) => x >= b && x < b + w) };
}
