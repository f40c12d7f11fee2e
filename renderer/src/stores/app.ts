import { createStore } from 'zustand/vanilla';
import type { PosApi, Product, Status } from '../../../core/contract';

export type Session = Readonly<{ session: string; name: string; role: string; expiresAt: string }>;
export type Screen = 'cashier' | 'manager';
export type ScanEntry = Readonly<{ code: string; source: string; at: string; result: string }>;

export type AppState = Readonly<{
  lang: 'ru' | 'en';
  screen: Screen;
  /** Which manager tab (a route id from routes.ts). */
  managerTab: string;
  session: Session | null;
  status: Status | null;
  catalog: Readonly<{ categories: readonly string[]; products: readonly Product[] }>;
  info: Awaited<ReturnType<PosApi['app.info']>> | null;
  scans: readonly ScanEntry[];
  toast: Readonly<{ kind: 'ok' | 'error'; text: string }> | null;
}>;

/** App-wide state: language, screen, manager session, status bar, catalog, scan log. */
export function createAppStore(api: PosApi, lang: 'ru' | 'en' = 'ru') {
  return createStore<AppState & {
    load(): Promise<void>;
    refreshStatus(): Promise<void>;
    setLang(l: 'ru' | 'en'): void;
    go(s: Screen, tab?: string): void;
    login(pin: string): Promise<Session>;
    logout(): Promise<void>;
    logScan(e: ScanEntry): void;
    notify(kind: 'ok' | 'error', text: string): void;
  }>()((set, get) => ({
    lang,
    screen: 'cashier',
    managerTab: 'program',
    session: null,
    status: null,
    catalog: { categories: [], products: [] },
    info: null,
    scans: [],
    toast: null,
    async load() {
      const [info, catalog, status] = await Promise.all([api['app.info']({}), api['catalog.list']({}), api['status.get']({})]);
      set({ info, catalog, status });
    },
    async refreshStatus() {
      try {
        set({ status: await api['status.get']({}) });
      } catch (e) {
        // The backend itself is unreachable (browser mode, host stopped): show it in the status bar.
        const s = get().status;
        if (s) set({ status: { ...s, online: false, printer: { ...s.printer, state: 'offline' }, sync: { ...s.sync, state: 'offline' } } });
        throw e;
      }
    },
    setLang(l) {
      set({ lang: l });
    },
    go(screen, tab) {
      set({ screen, managerTab: tab ?? get().managerTab });
    },
    async login(pin) {
      const s = await api['auth.login']({ pin });
      set({ session: s });
      return s;
    },
    async logout() {
      const s = get().session;
      set({ session: null, screen: 'cashier' });
      if (s) await api['auth.logout']({ session: s.session }).catch(() => {});
    },
    logScan(e) {
      set((st) => ({ scans: [e, ...st.scans].slice(0, 50) }));
    },
    notify(kind, text) {
      set({ toast: { kind, text } });
    },
  }));
}
export type AppStore = ReturnType<typeof createAppStore>;
