/**
 * The sandboxed preload: exposes `window.pos` with one function per channel. Bundled to a
 * single CJS file by scripts/build-electron.mjs (a sandboxed preload cannot require local files).
 * The channel list comes from core/contract so it never drifts; zod is bundled along but the
 * preload validates nothing — main does.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, CONTRACT_VERSION, EVENT_NAMES } from '../../core/contract';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('pos', createBridge(ipcRenderer, CHANNEL_NAMES, EVENT_NAMES, CONTRACT_VERSION));
