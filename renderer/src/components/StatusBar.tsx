import { useTranslation } from 'react-i18next';
import { errorText, useApp } from '../context';
import { dateTime } from '../format';

export function StatusBar() {
  const { t } = useTranslation();
  const status = useApp((s) => s.status);
  const lang = useApp((s) => s.lang);
  if (!status) return <footer className="statusbar" data-testid="statusbar" />;
  const dot = (state: string) => <i className={'dot ' + state} aria-hidden="true" />;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="status-printer" title={status.printer.detail && errorText(status.printer.detail, lang)}>{dot(status.printer.state)}{t('status.printer')}: {t(`status.${status.printer.state}`)}</span>
      <span data-testid="status-scanner" title={status.scanner.detail && errorText(status.scanner.detail, lang)}>{dot(status.scanner.state)}{t('status.scanner')}: {t(`status.${status.scanner.state}`)}</span>
      <span data-testid="status-sync" title={status.sync.error ?? ''}>
        {dot(status.sync.state)}{t('status.sync')}: {t(`status.${status.sync.state}`)}
        {status.sync.lastSyncAt ? ` · ${dateTime(status.sync.lastSyncAt, lang)}` : ''}
      </span>
      <span data-testid="status-online" className={status.online ? 'online' : 'offline'}>{status.online ? t('status.online') : t('status.offline')}</span>
      <span data-testid="status-queued">{t('status.queued', { n: status.queuedReceipts })}</span>
    </footer>
  );
}
