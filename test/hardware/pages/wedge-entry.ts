import { startWedgeScanner } from '../../../renderer/src/scanner/wedge';
import type { ScanEvent } from '../../../core/scan/event';

const w = window as unknown as { scans: ScanEvent[]; submits: number; keys: { code: string; t: number }[]; restart(prefix?: string): void };
w.scans = [];
w.submits = 0;
// Every keydown as Chromium delivered it, with Chromium's own timestamp, so a test can tell whether
// the machine delivered the burst it meant to send (registered before the scanner, which may stop Enter).
w.keys = [];
window.addEventListener('keydown', (e) => w.keys.push({ code: e.code, t: e.timeStamp }), true);
document.getElementById('form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  w.submits++;
});
let s = startWedgeScanner({ onScan: (e) => w.scans.push(e) });
w.restart = (prefix?: string) => {
  s.stop();
  s = startWedgeScanner({ onScan: (e) => w.scans.push(e), ...(prefix ? { prefix } : {}) });
};
