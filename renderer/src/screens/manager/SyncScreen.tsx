import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, usePos } from '../../context';
import { dateTime } from '../../format';

export function SyncScreen(_props: Readonly<{ session: string }>) {
  const { t } = useTranslation();
  const { app } = usePos();
  const status = useApp((s) => s.status);
  const lang = useApp((s) => s.lang);
  useEffect(() => void app.getState().refreshStatus().catch(() => {}), [app]);
  if (!status) return null;
  const s = status.sync;
  return (
    <div className="card" data-testid="sync-screen">
      <h2>{t('sync.title')}</h2>
      <div className="row"><span>{t('sync.state')}</span><span data-testid="sync-state">{t(`status.${s.state}`)}</span></div>
      <div className="row"><span>{t('sync.last')}</span><span>{s.lastSyncAt ? dateTime(s.lastSyncAt, lang) : t('sync.never')}</span></div>
      <div className="row"><span>{t('sync.queued')}</span><span data-testid="sync-queued">{s.queuedEvents}</span></div>
      {s.error ? <div className="row error"><span>{t('sync.error')}</span><span>{s.error}</span></div> : null}
      <div className="row"><span>{status.online ? t('status.online') : t('status.offline')}</span><span /></div>
    </div>
  );
}
