import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { usePos } from '../../context';
import { handleScan } from '../../scan-handler';
import { startCameraScanner, type CameraScanner } from '../../scanner';

/** Scan a member's QR from their phone (or any barcode) with the webcam; closes on the first code. */
export function CameraDialog({ onClose }: Readonly<{ onClose(): void }>) {
  const { t } = useTranslation();
  const pos = usePos();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let scanner: CameraScanner | null = null;
    let live = true;
    startCameraScanner({
      video: video.current!,
      onScan: (ev) => {
        if (!live) return;
        live = false;
        void handleScan(pos, ev.data, ev.source);
        onClose();
      },
      onError: (m) => live && setError(m),
    }).then(
      (s) => (live ? (scanner = s) : s.stop()),
      () => {},
    );
    return () => {
      live = false;
      scanner?.stop();
    };
  }, [pos, onClose]);
  return (
    <Dialog title={t('camera.title')} testId="camera-dialog" onClose={onClose} error={error} actions={<button type="button" onClick={onClose}>{t('pay.cancel')}</button>}>
      <video ref={video} className="camera" muted playsInline />
      <p className="muted">{t('camera.hint')}</p>
    </Dialog>
  );
}
