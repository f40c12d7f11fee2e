import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, useApp, usePos } from '../../context';
import { dateTime } from '../../format';

/**
 * Printer and scanner state, a test print and the live scan log. Printer/scanner settings
 * channels come from the hardware area (`devices.*`); when present they are offered here.
 */
export function DevicesScreen(_props: Readonly<{ session: string }>) {
  const { t } = useTranslation();
  const { api, app } = usePos();
  const status = useApp((s) => s.status);
  const scans = useApp((s) => s.scans);
  const lang = useApp((s) => s.lang);
  const [msg, setMsg] = useState<string | null>(null);
  const testPrint = (api as unknown as Record<string, ((i: unknown) => Promise<unknown>) | undefined>)['devices.testPrint'];
  return (
    <div className="devices" data-testid="devices-screen">
      <div className="card">
        <h2>{t('devices.printer')}</h2>
        <p data-testid="printer-state">{status ? `${t(`status.${status.printer.state}`)} · ${status.printer.detail}` : '—'}</p>
        {testPrint ? (
          <button type="button" data-testid="test-print" onClick={() => testPrint({}).then(() => setMsg('OK'), (e) => setMsg(errorText(e))).finally(() => void app.getState().refreshStatus())}>{t('devices.testPrint')}</button>
        ) : null}
        {msg ? <p role="status">{msg}</p> : null}
        <h2>{t('devices.scanner')}</h2>
        <p>{status ? `${t(`status.${status.scanner.state}`)} · ${status.scanner.detail}` : '—'}</p>
      </div>
      <div className="card">
        <h2>{t('devices.scanLog')}</h2>
        {scans.length === 0 ? <p className="muted">{t('devices.noScans')}</p> : null}
        <ul className="scanlog" data-testid="scan-log">
          {scans.map((s, i) => (
            <li key={i}><code>{s.code}</code> <span className="muted">{s.source} · {dateTime(s.at, lang)}</span> <span>{s.result}</span></li>
          ))}
        </ul>
      </div>
    </div>
  );
}
