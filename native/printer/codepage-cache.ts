import CodepageEncoder from '@point-of-sale/codepage-encoder';

/**
 * @point-of-sale/codepage-encoder 3.x deep-copies its whole code-page definition
 * (structuredClone) on every `getEncoding` call, and `encode` looks each character up with a
 * linear search — together ~95 % of receipt encoding time (≈ 15 ms for a 25-line receipt)
 * when the layout still went through @point-of-sale/receipt-printer-encoder. We memoise the
 * definitions (frozen, so an accidental mutation throws instead of leaking) and give `encode` a
 * reverse lookup table. Same inputs, same bytes. The preview, charset.ts and escpos.ts read
 * their tables through here; test/hardware/escpos-writer.test.ts still runs the encoder.
 */
type Definition = { codepoints: number[] };
type Patched = typeof CodepageEncoder & { __kopilkaCached?: boolean };

const enc = CodepageEncoder as Patched;
if (!enc.__kopilkaCached) {
  const original = CodepageEncoder.getEncoding.bind(CodepageEncoder);
  const defs = new Map<string, Definition>();
  const reverse = new Map<string, Map<number, number>>();
  let building = 0;
  const getEncoding = (codepage: string): Definition => {
    // While the library builds a definition it calls getEncoding for the page it extends and
    // writes into the result: those nested calls must get a fresh copy, as before.
    if (building > 0) return original(codepage as never) as unknown as Definition;
    let d = defs.get(codepage);
    if (!d) {
      building++;
      try {
        d = original(codepage as never) as unknown as Definition;
      } finally {
        building--;
      }
      Object.freeze(d.codepoints);
      defs.set(codepage, Object.freeze(d));
    }
    return d;
  };
  const encode = (input: string, codepage: string): Uint8Array => {
    let rev = reverse.get(codepage);
    if (!rev) {
      rev = new Map();
      const cps = getEncoding(codepage).codepoints;
      // First position wins, like the original findIndex.
      for (let i = cps.length - 1; i >= 0; i--) if (cps[i] !== undefined) rev.set(cps[i]!, i);
      reverse.set(codepage, rev);
    }
    const out = new Uint8Array(input.length);
    for (let c = 0; c < input.length; c++) out[c] = rev.get(input.codePointAt(c)!) ?? 0x3f;
    return out;
  };
  Object.assign(enc, { getEncoding, encode, __kopilkaCached: true });
}

export {};
