/**
 * Every scanner — keyboard wedge, serial, USB HID POS, camera, virtual — produces the same
 * event. `symbology` comes from the scanner when it says (AIM identifier, HID POS report,
 * camera decoder) and is otherwise inferred from the data.
 */
export type ScanSource = 'wedge' | 'serial' | 'hid' | 'camera' | 'virtual';
export type Symbology =
  | 'ean13'
  | 'ean8'
  | 'upca'
  | 'upce'
  | 'code128'
  | 'gs1-128'
  | 'code39'
  | 'itf'
  | 'qr'
  | 'datamatrix'
  | 'pdf417'
  | 'databar'
  | 'unknown';

export type ScanEvent = Readonly<{
  source: ScanSource;
  symbology: Symbology;
  data: string;
  /** The AIM symbology identifier as sent (e.g. "]E0"), when there was one. */
  aim?: string;
}>;

/** AIM ISO/IEC 15424 code character (+ modifier where it matters) → symbology. */
export function aimSymbology(aim: string): Symbology {
  const c = aim[1];
  const m = aim[2];
  switch (c) {
    case 'E':
      return m === '4' ? 'ean8' : 'ean13'; // ]E0 EAN-13/UPC-A, ]E4 EAN-8
    case 'C':
      return m === '1' ? 'gs1-128' : 'code128';
    case 'A':
      return 'code39';
    case 'I':
      return 'itf';
    case 'Q':
      return 'qr';
    case 'd':
      return 'datamatrix';
    case 'L':
      return 'pdf417';
    case 'e':
      return 'databar';
    default:
      return 'unknown';
  }
}

const AIM_RE = /^\][A-Za-z][0-9A-Za-z]/;

/** Split a leading AIM identifier off raw scanner data. */
export function splitAim(raw: string): { aim?: string; data: string } {
  if (AIM_RE.test(raw)) return { aim: raw.slice(0, 3), data: raw.slice(3) };
  return { data: raw };
}

export function gtinCheckOk(digits: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(digits)) return false;
  let sum = 0;
  const n = digits.length;
  for (let i = 0; i < n - 1; i++) sum += Number(digits[n - 2 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits[n - 1]);
}

/** A best guess when the scanner sent no identifier. */
export function inferSymbology(data: string): Symbology {
  if (/^\d{13}$/.test(data) && gtinCheckOk(data)) return 'ean13';
  if (/^\d{8}$/.test(data) && gtinCheckOk(data)) return 'ean8';
  if (/^\d{12}$/.test(data) && gtinCheckOk(data)) return 'upca';
  if (/^[\x20-\x7e]{1,80}$/.test(data) && !/:\/\//.test(data) && !/^KOPILKA:/i.test(data)) return 'code128';
  return data.length > 0 ? 'qr' : 'unknown';
}

/** Build the event from raw scanner text: strips CR/LF/Tab, splits AIM, fills in symbology. */
export function makeScanEvent(source: ScanSource, raw: string, symbology?: Symbology): ScanEvent | null {
  const clean = raw.replace(/[\r\n\t]+$/g, '').replace(/^[\r\n\t]+/g, '');
  const { aim, data } = splitAim(clean);
  if (!data) return null;
  const sym = symbology ?? (aim ? aimSymbology(aim) : inferSymbology(data));
  return aim ? { source, symbology: sym, data, aim } : { source, symbology: sym, data };
}
