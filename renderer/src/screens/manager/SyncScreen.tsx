import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosApi } from '../../../../core/contract';
import { Field } from '../../components/Dialog';
import { useErrorText, useApp, usePos } from '../../context';
import { dateTime } from '../../format';

type SyncState = Awaited<ReturnType<PosApi['sync.state']>>;

/** Last sync, queued events, errors; "sync now"; registering the till with a chain server. */
export function SyncScreen({ session }: Readonly<{ session: string }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api, app } = usePos();
  const lang = useApp((s) => s.lang);
  const [st, setSt] = useState<SyncState | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reg, setReg] = useState({ server: '', code: '', name: '' });
  const reload = () => void api['sync.state']({}).then(setSt, (e) => setMsg({ kind: 'error', text: errorText(e) }));
  useEffect(reload, [api]);
  const when = (iso: string | null) => (iso ? dateTime(iso, lang) : t('sync.never'));
  const syncNow = async () => {
    setBusy(true);
    setMsg(null);
    try {
      const r = await api['sync.now']({});
      setMsg({ kind: 'ok', text: t('sync.done', { pushed: r.pushed, pulled: r.pulled }) });
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
      reload();
      void app.getState().refreshStatus().catch(() => {});
    }
  };
  const register = async () => {
    setMsg(null);
    try {
      const r = await api['sync.register']({ session, ...reg });
      setMsg({ kind: 'ok', text: `${r.shopName} · ${r.serverUrl}` });
      reload();
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <div className="program" data-testid="sync-screen">
      <div className="card">
        <h2>{t('sync.title')}</h2>
        {st ? (
          <>
            <div className="row"><span>{t('sync.server')}</span><span data-testid="sync-state">{st.registered ? `${st.shopName ?? ''} · ${st.serverUrl}` : t('sync.notRegistered')}</span></div>
            <div className="row"><span>{t('sync.lastPush')}</span><span>{when(st.lastPushAt)}</span></div>
            <div className="row"><span>{t('sync.lastPull')}</span><span>{when(st.lastPullAt)}</span></div>
            <div className="row"><span>{t('sync.queued')}</span><span data-testid="sync-queued">{st.pending}</span></div>
            <div className="row"><span>{t('sync.acked')}</span><span>{st.ackedThroughSeq}</span></div>
            {st.lastError ? <div className="row error"><span>{t('sync.error')}</span><span>{errorText(st.lastError)}</span></div> : null}
            {st.clockDrift ? <p className="warn">{t('sync.clock', { s: Math.round((st.clockOffsetMs ?? 0) / 1000) })}</p> : null}
            <div className="actions"><button type="button" className="primary" disabled={busy || !st.registered} onClick={() => void syncNow()} data-testid="sync-now">{t('sync.now')}</button></div>
          </>
        ) : null}
        <p className={msg?.kind === 'error' ? 'error' : ''} role="status" data-testid="form-error">{msg?.text ?? ''}</p>
      </div>
      {st && !st.registered ? (
        <form className="card" noValidate onSubmit={(e) => { e.preventDefault(); void register(); }} data-testid="sync-register">
          <h3>{t('sync.register')}</h3>
          <Field label={t('sync.serverUrl')}><input value={reg.server} onChange={(e) => setReg({ ...reg, server: e.target.value })} placeholder="https://kopilka.example.com" data-testid="sync-server" /></Field>
          <Field label={t('sync.code')}><input value={reg.code} onChange={(e) => setReg({ ...reg, code: e.target.value })} data-testid="sync-code" autoComplete="off" /></Field>
          <Field label={t('sync.name')}><input value={reg.name} onChange={(e) => setReg({ ...reg, name: e.target.value })} /></Field>
          <div className="actions"><button type="submit" className="primary" data-testid="sync-register-submit">{t('sync.registerButton')}</button></div>
        </form>
      ) : null}
    </div>
  );
}
