import { makeScanEvent, type ScanEvent } from '../../../core/scan/event';
import { charForCode } from './keymap';

/**
 * Keyboard-wedge scanner detection. A scanner "types" a whole code in a burst — a few ms per
 * character, ending in Enter or Tab — while a person types at ~100+ ms per key. We watch key
 * presses on the window (capture phase) and read the physical key (`event.code`), so a Russian
 * layout does not garble codes. A burst that is fast enough becomes one ScanEvent; anything
 * slower is left alone. When a scan lands in a text field, the field's text is put back as it
 * was and the Enter is swallowed, so scanning never garbles a form or submits it; normal
 * typing in fields is never taken as a scan.
 */
export type WedgeOptions = Readonly<{
  onScan: (e: ScanEvent) => void;
  /**
   * Longest typical (median) gap between keys in a scan burst (ms). Default 70 (scanners: 2–25 ms; people: 100 ms and more). The median,
   * not the mean, so one late key event on a busy machine does not turn a scan into typing.
   */
  maxMedianGapMs?: number;
  /** A pause longer than this (ms) ends a burst and starts a new one. Default 300. */
  maxGapMs?: number;
  /** Shortest code accepted. Default 4. */
  minLength?: number;
  /** Keys that end a scan. Default Enter, NumpadEnter, Tab. */
  suffixKeys?: readonly string[];
  /** Characters the scanner is programmed to send first (e.g. "~~"); with a prefix, timing is not needed. */
  prefix?: string;
  /** Accept a fast burst without a suffix once input goes idle for this long (ms). 0 = suffix required. Default 0. */
  idleCommitMs?: number;
  target?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  now?: () => number;
}>;

type Key = { ch: string; t: number };

export type WedgeScanner = Readonly<{ stop(): void }>;

function isEditable(el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (!el || typeof (el as HTMLElement).tagName !== 'string') return false;
  const tag = (el as HTMLElement).tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA';
}

export function startWedgeScanner(opts: WedgeOptions): WedgeScanner {
  const maxMedian = opts.maxMedianGapMs ?? 70;
  const maxGap = opts.maxGapMs ?? 300;
  const minLength = opts.minLength ?? 4;
  const suffixKeys = opts.suffixKeys ?? ['Enter', 'NumpadEnter', 'Tab'];
  const prefix = opts.prefix ?? '';
  const target = opts.target ?? window;
  let keys: Key[] = [];
  // Field state captured at the first key of a burst, to undo a scan typed into a field.
  let field: { el: HTMLInputElement | HTMLTextAreaElement; value: string; start: number | null; end: number | null } | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  const reset = () => {
    keys = [];
    field = null;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
  };

  const looksScanned = (): boolean => {
    const text = keys.map((k) => k.ch).join('');
    if (prefix && text.startsWith(prefix)) return text.length - prefix.length >= 1;
    if (keys.length < minLength) return false;
    const gaps = keys.slice(1).map((k, i) => k.t - keys[i]!.t).sort((a, b) => a - b);
    return gaps[Math.floor((gaps.length - 1) / 2)]! <= maxMedian;
  };

  const commit = (): boolean => {
    if (!looksScanned()) return false;
    let text = keys.map((k) => k.ch).join('');
    if (prefix && text.startsWith(prefix)) text = text.slice(prefix.length);
    const ev = makeScanEvent('wedge', text);
    if (field) {
      const f = field;
      // The characters already landed in the field; put it back as it was.
      f.el.value = f.value;
      if (f.start !== null && f.end !== null) f.el.setSelectionRange(f.start, f.end);
      // The element's own window's Event (jsdom and iframes have their own).
      const EventCtor = (f.el.ownerDocument.defaultView as (Window & typeof globalThis) | null)?.Event ?? Event;
      f.el.dispatchEvent(new EventCtor('input', { bubbles: true }));
    }
    reset();
    if (ev) opts.onScan(ev);
    return Boolean(ev);
  };

  const onKeyDown = (e: Event) => {
    const k = e as KeyboardEvent;
    if (k.isComposing || k.ctrlKey || k.metaKey || k.altKey) return;
    const t = opts.now ? opts.now() : k.timeStamp || performance.now();
    const last = keys[keys.length - 1];
    // After the programmed prefix the scanner may be slow (configured inter-character delay).
    const inPrefixed = prefix !== '' && keys.length >= prefix.length && keys.slice(0, prefix.length).map((x) => x.ch).join('') === prefix;
    if (last && t - last.t > (inPrefixed ? 1000 : maxGap)) reset();
    if (suffixKeys.includes(k.code) || suffixKeys.includes(k.key)) {
      if (keys.length && commit()) {
        k.preventDefault();
        k.stopImmediatePropagation();
      } else reset();
      return;
    }
    // Scanners hold Shift for capitals; synthetic input (and some scanners) only set `key`.
    // Read Shift from either, then the character from the physical key.
    const shifted = k.shiftKey || (k.key.length === 1 && (k.key !== k.key.toLowerCase() || k.key === charForCode(k.code, true)));
    const ch = charForCode(k.code, shifted);
    if (ch === null) {
      // Modifiers come with scanned capitals; any other non-character key (Escape, arrows,
      // Backspace, F-keys) means a person is at the keyboard: drop the burst.
      if (!['Shift', 'CapsLock', 'Control', 'Alt', 'Meta', 'AltGraph'].includes(k.key)) reset();
      return;
    }
    if (keys.length === 0) {
      const el = k.target ?? null;
      field = isEditable(el) ? { el, value: el.value, start: el.selectionStart, end: el.selectionEnd } : null;
    }
    keys.push({ ch, t });
    if (opts.idleCommitMs) {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        if (!commit()) reset();
      }, opts.idleCommitMs);
    }
  };

  target.addEventListener('keydown', onKeyDown, true);
  return {
    stop() {
      target.removeEventListener('keydown', onKeyDown, true);
      reset();
    },
  };
}
