/**
 * Renderer entry. Under Electron the preload put `window.pos` (one function per channel);
 * in browser mode the page URL carries the host's token (#token=…) and talks HTTP to it.
 */
import { createRoot } from 'react-dom/client';
import { App, createPos } from './App';
import { createElectronApi } from './api/electron';
import { createWebApi } from './api/web';
import './styles.css';

function chooseApi() {
  const w = window as unknown as { pos?: Parameters<typeof createElectronApi>[0] };
  if (w.pos) return createElectronApi(w.pos);
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token') ?? sessionStorage.getItem('kopilka.token') ?? '';
  if (token) sessionStorage.setItem('kopilka.token', token);
  // Keep the token out of the address bar once read (screenshots, shoulder surfing).
  if (params.has('token')) history.replaceState(null, '', location.pathname + location.search);
  return createWebApi(location.origin, token);
}

const params = new URLSearchParams(location.search);
const lang = params.get('lang') === 'en' ? 'en' : 'ru';
const root = document.getElementById('root')!;
try {
  createRoot(root).render(<App pos={createPos(chooseApi(), lang)} />);
} catch (e) {
  root.textContent = e instanceof Error ? e.message : String(e);
}
