import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_NAMES, CHANNELS, CONTRACT_VERSION, EVENT_NAMES, type PosApi } from '../../core/contract';
import { setLogSink } from '../../core/util/logger';
import { createApi, createSessionRegistry } from '../../backend/api/index';
import { openStore } from '../../backend/db/connection';
import { seedDemo } from '../../backend/db/seed-demo';
import { registerContract } from '../../electron/main/ipc';
import { createBridge } from '../../electron/preload/bridge';
import { createElectronApi } from '../../renderer/src/api/electron';
import { createLocalApi } from '../../renderer/src/api/local';
import { createMemoryBackend, type MemorySeed } from '../../renderer/src/api/memory';
import { createWebApi } from '../../renderer/src/api/web';
import { seedDemoStaff, startWebHost } from '../../scripts/web-host';
import { createIpcPair } from '../stubs/electron';
import { PINS, type Impl } from './suite';

// Handlers log refusals (wrong PINs etc.) by design; keep test output readable.
setLogSink(() => {});

const DEMO = fileURLToPath(new URL('../../resources/demo/', import.meta.url));

export function demoSeed(): MemorySeed {
  const menu = JSON.parse(readFileSync(join(DEMO, 'menu.json'), 'utf8')) as { products: MemorySeed['products'] };
  const { members } = JSON.parse(readFileSync(join(DEMO, 'members.json'), 'utf8')) as { members: MemorySeed['members'] };
  return { products: menu.products, members, staff: [{ name: 'Мария (менеджер)', pin: PINS.manager, role: 'manager' }, { name: 'Иван (кассир)', pin: PINS.cashier, role: 'cashier' }] };
}

export async function memoryImpl(): Promise<Impl> {
  return { api: createLocalApi(createMemoryBackend(demoSeed()).handlers), cleanup() {} };
}

async function demoStore() {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-contract-'));
  const db = await openStore(join(dir, 'kopilka.db'));
  seedDemo(db);
  seedDemoStaff(db);
  return { db, dir, cleanup: () => { if (db.open) db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function backendImpl(): Promise<Impl> {
  const s = await demoStore();
  const handlers = createApi({ db: s.db, sessions: createSessionRegistry(), emit: () => {} });
  return { api: createLocalApi(handlers), cleanup: s.cleanup };
}

/** registerContract (main) ↔ createBridge (preload) ↔ createElectronApi (renderer), through the stub. */
export async function electronImpl(): Promise<Impl> {
  const s = await demoStore();
  const pair = createIpcPair('app://pos/index.html');
  const off = registerContract(pair.ipcMain, CHANNELS, createApi({ db: s.db, sessions: createSessionRegistry(), emit: () => {} }));
  const bridge = createBridge(pair.ipcRenderer, CHANNEL_NAMES, EVENT_NAMES, CONTRACT_VERSION);
  const api: PosApi = createElectronApi(bridge as unknown as Parameters<typeof createElectronApi>[0]);
  return { api, cleanup: () => { off(); s.cleanup(); } };
}

/** The browser host (scripts/web-host.ts) over real TCP on 127.0.0.1. */
export async function webImpl(): Promise<Impl> {
  const dir = mkdtempSync(join(tmpdir(), 'kopilka-contract-web-'));
  const host = await startWebHost({ dbPath: join(dir, 'kopilka.db'), port: 0, autoPrint: false, staticDir: dir });
  const api = createWebApi(host.origin, host.token);
  return { api, async cleanup() { api.close(); await host.close(); rmSync(dir, { recursive: true, force: true }); } };
}
