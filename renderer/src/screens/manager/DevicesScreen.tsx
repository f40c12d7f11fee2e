import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosApi } from '../../../../core/contract';
import { Field } from '../../components/Dialog';
import { useErrorText, useApp, usePos } from '../../context';
import { dateTime } from '../../format';

type PrinterInfo = Awaited<ReturnType<PosApi['printer.settings.get']>>;
type Queue = Awaited<ReturnType<PosApi['printer.queue']>>;
type Sources = Awaited<ReturnType<PosApi['scanner.sources']>>;
type Preview = Awaited<ReturnType<PosApi['printer.preview']>>;

/**
 * Printer transport and profile, test print with a preview of what the printer got, the print
 * queue, device scanners and a live scan log. Calls go through the hardware area's channels.
 */
export function DevicesScreen({ session }: Readonly<{ session: string }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api, app } = usePos();
  const scans = useApp((s) => s.scans);
  const lang = useApp((s) => s.lang);
  const [info, setInfo] = useState<PrinterInfo | null>(null);
  const [form, setForm] = useState<PrinterInfo['settings'] | null>(null);
  const [queue, setQueue] = useState<Queue | null>(null);
  const [sources, setSources] = useState<Sources>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const reload = () => {
    api['printer.settings.get']({}).then((i) => { setInfo(i); setForm(i.settings); }, (e) => setMsg({ kind: 'error', text: errorText(e) }));
    api['printer.queue']({}).then(setQueue, () => {});
    api['scanner.sources']({}).then(setSources, () => {});
  };
  useEffect(reload, [api]);
  useEffect(() => api.on('printer.queue', (q) => setQueue(q)), [api]);

  const save = async () => {
    if (!form) return;
    setMsg(null);
    try {
      const r = await api['printer.settings.set']({ session, ...form });
      setInfo(info ? { ...info, settings: r.settings, effectiveUri: r.effectiveUri } : info);
      setMsg({ kind: 'ok', text: t('devices.saved') });
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  const testPrint = async () => {
    setMsg(null);
    try {
      const r = await api['printer.test']({});
      setMsg({ kind: r.printed ? 'ok' : 'error', text: r.printed ? t('devices.printed') : (r.message ?? t('devices.notPrinted')) });
      setPreview(await api['printer.preview']({ jobId: r.job.id }).catch(() => null));
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    } finally {
      api['printer.queue']({}).then(setQueue, () => {});
      void app.getState().refreshStatus().catch(() => {});
    }
  };

  return (
    <div className="devices" data-testid="devices-screen">
      <div className="card">
        <h2>{t('devices.printer')}</h2>
        {form && info ? (
          <form noValidate onSubmit={(e) => { e.preventDefault(); void save(); }} data-testid="printer-form">
            <Field label={t('devices.uri')} hint={`${t('devices.effective')}: ${info.effectiveUri}`}>
              <input value={form.uri} onChange={(e) => setForm({ ...form, uri: e.target.value })} placeholder="tcp://192.168.1.50:9100 · serial:/dev/ttyUSB0 · usb:… · virtual:…" data-testid="printer-uri" />
            </Field>
            <Field label={t('devices.profile')}>
              <select value={form.profile} onChange={(e) => setForm({ ...form, profile: e.target.value })} data-testid="printer-profile">
                {info.profiles.map((p) => <option key={p.name} value={p.name}>{p.name} — {p.paper} mm, {p.columns} cols</option>)}
              </select>
            </Field>
            <label className="check"><input type="checkbox" checked={form.autoPrint} onChange={(e) => setForm({ ...form, autoPrint: e.target.checked })} /> {t('devices.autoPrint')}</label>
            <label className="check"><input type="checkbox" checked={form.drawer === 'auto'} onChange={(e) => setForm({ ...form, drawer: e.target.checked ? 'auto' : 'never' })} /> {t('devices.drawer')}</label>
            <label className="check"><input type="checkbox" checked={form.checkStatus} onChange={(e) => setForm({ ...form, checkStatus: e.target.checked })} /> {t('devices.checkStatus')}</label>
            <div className="actions">
              <button type="button" onClick={() => void testPrint()} data-testid="test-print">{t('devices.testPrint')}</button>
              <button type="submit" className="primary" data-testid="printer-save">{t('members.save')}</button>
            </div>
          </form>
        ) : null}
        <p className={msg?.kind === 'error' ? 'error' : ''} role="status" data-testid="devices-message">{msg?.text ?? ''}</p>
        {queue ? (
          <div data-testid="print-queue">
            <h3>{t('devices.queue')}: {queue.pending.length}</h3>
            {queue.blockedBy ? <p className="warn">{errorText(queue.blockedBy.message)}</p> : null}
            {queue.pending.length > 0 ? <button type="button" onClick={() => api['printer.retry']({}).then(reload, (e) => setMsg({ kind: 'error', text: errorText(e) }))}>{t('devices.retry')}</button> : null}
          </div>
        ) : null}
        {preview ? <img className="print-preview" alt={preview.text.join('\n')} src={`data:image/png;base64,${preview.png}`} width={preview.width} data-testid="print-preview" /> : null}
      </div>
      <div className="card">
        <h2>{t('devices.scanner')}</h2>
        <ul className="scanlog" data-testid="scanner-sources">
          <li>wedge · {t('status.ready')}</li>
          {sources.map((s) => <li key={s.uri}><code>{s.uri}</code> · {t(`status.${s.state}`)} · {s.detail}</li>)}
        </ul>
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
