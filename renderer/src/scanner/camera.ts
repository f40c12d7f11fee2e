import { BarcodeFormat, BrowserMultiFormatReader, DecodeHintType, type Result } from '@zxing/library';
import type { ScanEvent, Symbology } from '../../../core/scan/event';

/**
 * Camera scanning for codes shown on a phone (member QR) or printed labels: QR, EAN-13,
 * EAN-8 and Code 128 through @zxing/library from a getUserMedia stream. The same code held
 * in front of the camera is reported once, not thirty times a second.
 */
export type CameraOptions = Readonly<{
  video: HTMLVideoElement;
  onScan: (e: ScanEvent) => void;
  onError?: (message: string) => void;
  /** A specific camera (from listCameras); default = the first one. */
  deviceId?: string;
  /** Ignore the same code again within this many ms. Default 2000. */
  repeatMs?: number;
}>;

export type CameraScanner = Readonly<{ stop(): void }>;

const FORMATS: ReadonlyMap<BarcodeFormat, Symbology> = new Map([
  [BarcodeFormat.QR_CODE, 'qr'],
  [BarcodeFormat.EAN_13, 'ean13'],
  [BarcodeFormat.EAN_8, 'ean8'],
  [BarcodeFormat.CODE_128, 'code128'],
]);

export async function listCameras(): Promise<{ deviceId: string; label: string }[]> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return all.filter((d) => d.kind === 'videoinput').map((d) => ({ deviceId: d.deviceId, label: d.label }));
}

export async function startCameraScanner(opts: CameraOptions): Promise<CameraScanner> {
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, [...FORMATS.keys()]]]);
  const reader = new BrowserMultiFormatReader(hints, 150);
  const repeatMs = opts.repeatMs ?? 2000;
  let last = { text: '', at: 0 };
  try {
    await reader.decodeFromVideoDevice(opts.deviceId ?? null, opts.video, (result: Result | undefined) => {
      if (!result) return; // NotFoundException on frames without a code is normal
      const text = result.getText();
      const now = Date.now();
      if (text === last.text && now - last.at < repeatMs) return;
      last = { text, at: now };
      opts.onScan({ source: 'camera', symbology: FORMATS.get(result.getBarcodeFormat()) ?? 'unknown', data: text });
    });
  } catch (e) {
    const name = (e as { name?: string }).name;
    const msg =
      name === 'NotAllowedError'
        ? 'Camera access was refused: allow the camera for Kopilka in the system settings'
        : name === 'NotFoundError' || name === 'OverconstrainedError'
          ? 'No camera found: connect a webcam or use a barcode scanner'
          : `The camera could not start: ${(e as Error).message}`;
    reader.reset();
    opts.onError?.(msg);
    throw new Error(msg);
  }
  return {
    stop() {
      reader.reset();
    },
  };
}
