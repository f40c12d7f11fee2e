import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds the renderer into dist/renderer. Relative asset paths so the same bundle works from
 * app://pos/ (Electron) and http://127.0.0.1:PORT/ (browser mode). No inline scripts, so the
 * strict CSP (script-src 'self') holds.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
