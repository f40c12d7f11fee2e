/**
 * Security policies as pure functions, so they are tested in plain Node without Electron.
 * index.ts only wires them to Electron's hooks. Origins are compared after parsing with URL,
 * never with startsWith (Electron security checklist items 13 and 17).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'pos';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Strict CSP: only our own files; camera streams arrive as blob:/mediastream:. No eval, no inline script. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function isAppUrl(raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}

/** The webPreferences every window gets. Tested to keep the safe values. */
export function secureWebPreferences(preloadPath: string): Readonly<Record<string, unknown>> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export type FrameLike = Readonly<{ url: string; parent: unknown }> | null | undefined;
export type IpcEventLike = Readonly<{ senderFrame?: FrameLike }>;

/** IPC is accepted only from our own origin, and only from the top frame (no iframes). */
export function isTrustedSender(event: IpcEventLike): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/** will-navigate: staying inside the app is fine (hash routes, reload); anything else is refused. */
export function isNavigationAllowed(targetUrl: string): boolean {
  return isAppUrl(targetUrl);
}

/** setWindowOpenHandler: the till never opens windows. */
export function windowOpenPolicy(): { action: 'deny' } {
  return { action: 'deny' };
}

export type PermissionDetails = Readonly<{ mediaTypes?: readonly string[]; requestingUrl?: string; isMainFrame?: boolean }>;

/**
 * Permission requests: the camera (for QR/barcode scanning) for our own origin, nothing else —
 * no microphone, geolocation, notifications, USB/HID/serial pickers from web content.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, details: PermissionDetails = {}): boolean {
  if (!isAppUrl(requestingUrl)) return false;
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

/** Permission checks (synchronous queries): same rule, media type unknown here so video-capable only. */
export function isPermissionCheckAllowed(permission: string, requestingOrigin: string): boolean {
  return isAppUrl(requestingOrigin) && permission === 'media';
}

/** shell.openExternal: nothing the renderer asks for is opened outside; kept as a policy for clarity. */
export function isExternalUrlAllowed(_url: string): boolean {
  return false;
}

/** will-attach-webview: never. */
export function isWebviewAllowed(): boolean {
  return false;
}
