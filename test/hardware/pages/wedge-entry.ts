import { startWedgeScanner } from '../../../renderer/src/scanner/wedge';
import type { ScanEvent } from '../../../core/scan/event';

const w = window as unknown as { scans: ScanEvent[]; submits: number; restart(prefix?: string): void };
w.scans = [];
w.submits = 0;
document.getElementById('form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  w.submits++;
});
let s = startWedgeScanner({ onScan: (e) => w.scans.push(e) });
w.restart = (prefix?: string) => {
  s.stop();
  s = startWedgeScanner({ onScan: (e) => w.scans.push(e), ...(prefix ? { prefix } : {}) });
};
