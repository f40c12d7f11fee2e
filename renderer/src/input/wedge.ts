/**
 * Keyboard-wedge scanners type a code in a burst of keystrokes and press Enter. A person
 * types far slower, so a run of ≥ MIN_LENGTH characters with every gap under MAX_GAP_MS,
 * ended by Enter, is a scan. Keystrokes inside text fields are left alone (the cashier may be
 * typing a phone number), except when the field opted in with data-scan="accept".
 */
export const MAX_GAP_MS = 35;
export const MIN_LENGTH = 4;

export type WedgeOptions = Readonly<{ onScan: (code: string, lastKeyAt: number) => void; now?: () => number }>;

function isTextField(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.dataset?.scan === 'accept') return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable;
}

export function attachWedge(target: Pick<Document, 'addEventListener' | 'removeEventListener'>, opts: WedgeOptions): () => void {
  const now = opts.now ?? (() => performance.now());
  let buf = '';
  let last = 0;
  const onKey = (e: KeyboardEvent) => {
    if (isTextField(e.target)) return;
    const t = now();
    if (t - last > MAX_GAP_MS) buf = '';
    last = t;
    if (e.key === 'Enter') {
      if (buf.length >= MIN_LENGTH) {
        e.preventDefault();
        e.stopPropagation();
        const code = buf;
        buf = '';
        opts.onScan(code, t);
      }
      buf = '';
      return;
    }
    if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) buf += e.key;
  };
  target.addEventListener('keydown', onKey as EventListener, true);
  return () => target.removeEventListener('keydown', onKey as EventListener, true);
}
