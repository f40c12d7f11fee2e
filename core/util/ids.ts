/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then randomness. Sortable by creation time,
 * generated on the terminal without a server. Uses Web Crypto, present in Node 20, browsers
 * and Electron alike, so this stays inside the pure core.
 */
let lastMs = -1;
let lastRand = new Uint8Array(10);

export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  let ms = nowMs;
  if (ms <= lastMs) {
    // Same or earlier millisecond (clock step back): keep monotonic by bumping the random tail.
    ms = lastMs;
    const r = lastRand.slice();
    for (let i = r.length - 1; i >= 0; i--) {
      r[i] = (r[i]! + 1) & 0xff;
      if (r[i] !== 0) break;
    }
    lastRand = r;
  } else {
    globalThis.crypto.getRandomValues(lastRand);
  }
  lastMs = ms;
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes.set(lastRand, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}
