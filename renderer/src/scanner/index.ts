/** Scanner modules the UI imports: keyboard wedge and camera. Both emit core/scan ScanEvents. */
export { startWedgeScanner } from './wedge';
export type { WedgeOptions, WedgeScanner } from './wedge';
export { startCameraScanner, listCameras } from './camera';
export type { CameraOptions, CameraScanner } from './camera';
export { charForCode } from './keymap';
export { routeScan, DEFAULT_ROUTER } from '../../../core/scan/router';
export type { ScanRoute, RouterConfig } from '../../../core/scan/router';
export type { ScanEvent, Symbology, ScanSource } from '../../../core/scan/event';
