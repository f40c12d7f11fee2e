import { listCameras, startCameraScanner } from '../../../renderer/src/scanner/camera';
import type { ScanEvent } from '../../../core/scan/event';

const w = window as unknown as { scans: ScanEvent[]; errors: string[]; cameras: unknown; t0: number; firstMs: number | null };
w.scans = [];
w.errors = [];
w.t0 = performance.now();
w.firstMs = null;
void startCameraScanner({
  video: document.getElementById('v') as HTMLVideoElement,
  onScan: (e) => {
    if (w.firstMs === null) w.firstMs = Math.round(performance.now() - w.t0);
    w.scans.push(e);
  },
  onError: (m) => w.errors.push(m),
}).then(async () => {
  w.cameras = await listCameras();
}).catch((e: Error) => w.errors.push(e.message));
