import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './security';

/**
 * `app://pos/<path>` → a file inside the built renderer folder, or null. Decoding happens
 * before normalisation so `%2e%2e/` and `..%5c` cannot climb out; the result must stay under
 * `root`. Unknown paths without an extension fall back to index.html (client-side routes).
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  // Encoded slashes (%2f) survive URL normalisation: refuse any '..' segment after decoding.
  if (pathname.split('/').includes('..')) return null;
  const rootAbs = resolve(root);
  const rel = pathname.replace(/^\/+/, '');
  if (rel === '' || extname(rel) === '') return resolve(rootAbs, 'index.html');
  const abs = resolve(rootAbs, rel);
  if (abs !== rootAbs && !abs.startsWith(rootAbs + sep)) return null;
  return abs;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
