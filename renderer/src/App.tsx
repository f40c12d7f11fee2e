import { useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { PosApi } from '../../core/contract';
import { StatusBar } from './components/StatusBar';
import { PosContext, useErrorText, useApp, usePos, type Pos } from './context';
import { handleScan } from './scan-handler';
import { createI18n } from './i18n';
import { startWedgeScanner } from './scanner';
import { markScan } from './perf';
import { CashierScreen } from './screens/cashier/CashierScreen';
import { ManagerScreen } from './screens/manager/ManagerScreen';
import { createAppStore } from './stores/app';
import { createSaleStore } from './stores/sale';

export { handleScan };

export type AppOptions = Readonly<{ lang?: 'ru' | 'en'; statusPollMs?: number }>;

export function createPos(api: PosApi, lang: 'ru' | 'en' = 'ru'): Pos {
  return { api, app: createAppStore(api, lang), sale: createSaleStore(api) };
}

export function App({ pos, options = {} }: Readonly<{ pos: Pos; options?: AppOptions }>) {
  const i18n = useMemo(() => createI18n(pos.app.getState().lang), [pos]);
  useEffect(() => pos.app.subscribe((s, prev) => void (s.lang !== prev.lang && i18n.changeLanguage(s.lang))), [pos, i18n]);
  return (
    <I18nextProvider i18n={i18n}>
      <PosContext.Provider value={pos}>
        <Shell statusPollMs={options.statusPollMs ?? 5000} />
      </PosContext.Provider>
    </I18nextProvider>
  );
}

function Shell({ statusPollMs }: Readonly<{ statusPollMs: number }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const pos = usePos();
  const { app, api } = pos;
  const screen = useApp((s) => s.screen);
  const lang = useApp((s) => s.lang);
  const info = useApp((s) => s.info);
  const toast = useApp((s) => s.toast);
  const [fatal, setFatal] = useState<string | null>(null);

  useEffect(() => {
    app.getState().load().catch((e) => setFatal(errorText(e)));
    const timer = statusPollMs > 0 ? setInterval(() => void app.getState().refreshStatus().catch(() => {}), statusPollMs) : null;
    const offs = [
      api.on('device.scanned', (p) => void handleScan(pos, p.code, p.source)),
      // Serial/HID scanners from the hardware area arrive typed and routed.
      api.on('scan.event', (e) => {
        if (app.getState().screen === 'cashier') void handleScan(pos, e.data, e.source);
        else app.getState().logScan({ code: e.data, source: e.source, at: e.at, result: e.route.kind });
      }),
      api.on('printer.queue', (q) => app.setState((st) => ({ status: st.status ? { ...st.status, queuedReceipts: q.pending.length } : st.status }))),
      api.on('status.changed', (s) => app.setState({ status: s })),
      api.on('sync.status', (s) => app.setState((st) => ({ status: st.status ? { ...st.status, sync: s } : st.status }))),
      api.on('printer.status', (p) => app.setState((st) => ({ status: st.status ? { ...st.status, printer: { state: p.state, detail: p.detail }, queuedReceipts: p.queuedReceipts } : st.status }))),
    ];
    // The hardware area's wedge detector (renderer/src/scanner): reads physical keys, so a
    // Russian keyboard layout does not garble codes, and undoes a scan typed into a field.
    const wedge = startWedgeScanner({
      onScan: (ev) => {
        markScan(performance.now());
        if (app.getState().screen !== 'cashier') {
          app.getState().logScan({ code: ev.data, source: ev.source, at: new Date().toISOString(), result: ev.symbology });
          return;
        }
        void handleScan(pos, ev.data, ev.source);
      },
    });
    return () => {
      if (timer) clearInterval(timer);
      offs.forEach((o) => o());
      wedge.stop();
    };
  }, [pos, app, api, statusPollMs]);

  useEffect(() => {
    if (!toast) return;
    const id = setTimeout(() => app.setState({ toast: null }), 4000);
    return () => clearTimeout(id);
  }, [toast, app]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F10') {
        e.preventDefault();
        app.getState().go(app.getState().screen === 'cashier' ? 'manager' : 'cashier');
      } else if (e.key === 'Escape' && app.getState().screen === 'manager' && !document.querySelector('[role=dialog]')) {
        app.getState().go('cashier');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app]);

  if (fatal) return <div className="fatal" role="alert" data-testid="fatal">{fatal}</div>;
  return (
    <div className="app" lang={lang} data-testid="app" data-ready={info ? 'yes' : 'no'}>
      <header className="topbar">
        <strong className="brand">{t('app.title')}</strong>
        <span className="muted">{info?.shopName}</span>
        <span className="spacer" />
        <button type="button" aria-pressed={screen === 'cashier'} onClick={() => app.getState().go('cashier')} data-testid="nav-cashier">{t('nav.cashier')}</button>
        <button type="button" aria-pressed={screen === 'manager'} onClick={() => app.getState().go('manager')} data-testid="nav-manager">{t('keys.manager')}</button>
        <button type="button" onClick={() => app.getState().setLang(lang === 'ru' ? 'en' : 'ru')} data-testid="lang-toggle">{t('nav.lang')}</button>
      </header>
      {screen === 'cashier' ? <CashierScreen /> : <ManagerScreen />}
      {toast ? <div className={'toast ' + toast.kind} role="status" data-testid="toast">{toast.text}</div> : null}
      <StatusBar />
    </div>
  );
}
