import { fail } from '../../core/util/errors';

/**
 * A printer profile says everything the layout and encoder need to know about one printer:
 * paper width (columns), which font, which command language, which ESC t number selects
 * the Cyrillic code page on *this vendor's* firmware (the numbers differ: Epson WPC1251 = 46,
 * Xprinter WPC1251 = 23, Citizen CP866 = 7), and whether it runs printer-native QR (GS ( k).
 */
export type PaperWidth = 58 | 80;
export type CyrillicCodepage = 'cp866' | 'windows1251';
export type CodepageMapping = 'epson' | 'xprinter' | 'star' | 'citizen' | 'pos-5890' | 'pos-8360';

export type PrinterProfile = Readonly<{
  name: string;
  description: string;
  paper: PaperWidth;
  /** Characters per line in the chosen font. */
  columns: number;
  /** Font B packs more characters per line (9×17 dots instead of 12×24). */
  font: 'A' | 'B';
  /** Printable width in dots (203 dpi heads: 384 on 58 mm, 576 or 512 on 80 mm). */
  dots: number;
  language: 'esc-pos' | 'star-prnt';
  codepageMapping: CodepageMapping;
  codepage: CyrillicCodepage;
  /** The ESC t (or ESC GS t on Star) number the firmware expects for `codepage`. */
  codepageNumber: number;
  /** Printer-native QR (GS ( k); when false the QR is sent as a raster image. */
  nativeQr: boolean;
  /** Has a cash drawer port (ESC p). */
  drawer: boolean;
  /**
   * How text is positioned. 'commands': centring by ESC a, the amount column by tab stops
   * (ESC D + HT), rules at 4× width (GS !) — all in the basic command set of Epson TM, Xprinter,
   * Star's ESC/POS emulation and Citizen, and 3–4× fewer bytes. 'spaces': every line padded
   * with spaces to full width, for a printer that ignores those commands.
   */
  textLayout: 'commands' | 'spaces';
}>;

function profile(p: PrinterProfile): PrinterProfile {
  return Object.freeze(p);
}

const LIST: readonly PrinterProfile[] = [
  profile({ name: 'epson-58', description: 'Epson TM-T20/T82 class, 58 mm, CP866 (ESC t 17)', paper: 58, columns: 32, font: 'A', dots: 384, language: 'esc-pos', codepageMapping: 'epson', codepage: 'cp866', codepageNumber: 17, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'epson-58-fontb', description: 'Epson 58 mm, font B (42 columns), CP866', paper: 58, columns: 42, font: 'B', dots: 384, language: 'esc-pos', codepageMapping: 'epson', codepage: 'cp866', codepageNumber: 17, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'epson-80', description: 'Epson TM-T20III class, 80 mm, 48 columns, CP866 (ESC t 17)', paper: 80, columns: 48, font: 'A', dots: 576, language: 'esc-pos', codepageMapping: 'epson', codepage: 'cp866', codepageNumber: 17, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'epson-80-1251', description: 'Epson 80 mm, 48 columns, WPC1251 (ESC t 46)', paper: 80, columns: 48, font: 'A', dots: 576, language: 'esc-pos', codepageMapping: 'epson', codepage: 'windows1251', codepageNumber: 46, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'epson-80-42', description: 'Epson TM-T88 class, 80 mm, 42 columns, CP866', paper: 80, columns: 42, font: 'A', dots: 512, language: 'esc-pos', codepageMapping: 'epson', codepage: 'cp866', codepageNumber: 17, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'xprinter-58', description: 'Xprinter XP-58 and POS-5890 clones, 58 mm, CP866 (ESC t 17)', paper: 58, columns: 32, font: 'A', dots: 384, language: 'esc-pos', codepageMapping: 'xprinter', codepage: 'cp866', codepageNumber: 17, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'xprinter-80', description: 'Xprinter XP-80 class, 80 mm, 48 columns, CP866 (ESC t 17)', paper: 80, columns: 48, font: 'A', dots: 576, language: 'esc-pos', codepageMapping: 'xprinter', codepage: 'cp866', codepageNumber: 17, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'xprinter-80-1251', description: 'Xprinter XP-80 class, 80 mm, WPC1251 (ESC t 23)', paper: 80, columns: 48, font: 'A', dots: 576, language: 'esc-pos', codepageMapping: 'xprinter', codepage: 'windows1251', codepageNumber: 23, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'star-80', description: 'Star TSP100/TSP650 in ESC/POS emulation, 80 mm, CP866 (ESC t 17)', paper: 80, columns: 48, font: 'A', dots: 576, language: 'esc-pos', codepageMapping: 'star', codepage: 'cp866', codepageNumber: 17, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'citizen-80', description: 'Citizen CT-S310II, 80 mm, CP866 (ESC t 7)', paper: 80, columns: 48, font: 'A', dots: 576, language: 'esc-pos', codepageMapping: 'citizen', codepage: 'cp866', codepageNumber: 7, nativeQr: true, drawer: true, textLayout: 'commands' }),
  profile({ name: 'generic-58-raster-qr', description: 'Unknown 58 mm ESC/POS printer without GS ( k: QR printed as an image, text padded with spaces', paper: 58, columns: 32, font: 'A', dots: 384, language: 'esc-pos', codepageMapping: 'pos-5890', codepage: 'cp866', codepageNumber: 17, nativeQr: false, drawer: true, textLayout: 'spaces' }),
];

export const PROFILES: ReadonlyMap<string, PrinterProfile> = new Map(LIST.map((p) => [p.name, p]));
export const DEFAULT_PROFILE = 'epson-80';

export function getProfile(name: string): PrinterProfile {
  const p = PROFILES.get(name);
  if (!p) fail('VALIDATION', `Unknown printer profile "${name}". Choose one of: ${[...PROFILES.keys()].join(', ')}`);
  return p;
}

export function listProfiles(): readonly PrinterProfile[] {
  return LIST;
}
