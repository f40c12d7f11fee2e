/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then randomness. Sortable by creation time,
 * generated on the terminal without a server. Uses Web Crypto, present in Node 20, browsers
 * and Electron alike, so this stays inside the pure core.
 */
let lastMs = -1;
let lastRand = new Uint8Array(10);

// Random bytes drawn 4 KB at a time: one Web Crypto call per ~400 ids instead of one per id
// (the call costs more than the id; a sale makes four). Same generator, same bytes per id.
const pool = new Uint8Array(4096);
let poolPos = pool.length;
function fillRandom(dst: Uint8Array): void {
  if (poolPos + dst.length > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolPos = 0;
  }
  dst.set(pool.subarray(poolPos, poolPos + dst.length));
  poolPos += dst.length;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const bytes = new Uint8Array(16);

export function uuidv7(nowMs: number = Date.now()): string {
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
    fillRandom(lastRand);
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
  const h = (i: number): string => HEX[bytes[i]!]!;
  return (
    h(0) + h(1) + h(2) + h(3) + '-' + h(4) + h(5) + '-' + h(6) + h(7) + '-' + h(8) + h(9) + '-' +
    h(10) + h(11) + h(12) + h(13) + h(14) + h(15)
  );
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}
