import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../core/contract';
import type { managerChannels } from '../../../../core/contract/channels/manager';
import { useErrorText, usePos } from '../../context';
import { dateTime, money, parseMoneyInput } from '../../format';
import { Labelled, styles, useFeatureT, useScreenAction } from '../reports/shared';
import { ShiftReportPanel } from './ShiftReportView';

type Current = ChannelOutput<(typeof managerChannels)['shift.current']>;
type Closed = ChannelOutput<(typeof managerChannels)['shift.close']>;
type ShiftRow = ChannelOutput<(typeof managerChannels)['shift.list']>[number];

/** Open a shift with a float, pay cash in/out, watch the X report, close with the counted cash. */
export function ShiftsScreen(props: Readonly<{ session: string }>) {
  const { t, lang } = useFeatureT();
  const errorText = useErrorText();
  const { api } = usePos();
  const [cur, setCur] = useState<Current | null>(null);
  const [history, setHistory] = useState<readonly ShiftRow[]>([]);
  const [closed, setClosed] = useState<Closed | null>(null);
  const [float, setFloat] = useState('3000');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [counted, setCounted] = useState('');
  const [note, setNote] = useState('');
  const [syncFirst, setSyncFirst] = useState(true);
  const session = props.session;

  const load = useCallback(async () => {
    setCur(await api['shift.current']({ session }));
    setHistory(await api['shift.list']({ session }));
  }, [api, session]);
  useEffect(() => void load().catch((e) => setError(errorText(e))), [load]);

  const { error, setError, info, setInfo, run } = useScreenAction(load);
  const amountOf = (text: string) => {
    const v = parseMoneyInput(text);
    if (v === null) throw new Error(t('shifts.amount') + ': ' + text);
    return v;
  };

  if (!cur) return <p className="muted">…</p>;
  const shift = cur.shift;
  const currency = cur.report?.currency ?? 'RUB';
  return (
    <div data-testid="shifts-screen">
      <h2>{shift ? t('shifts.number', { n: shift.number }) : t('shifts.title')}</h2>
      <p className="error" role="alert" data-testid="shifts-error">{error ?? ''}</p>
      {info ? <p data-testid="shifts-info">{info}</p> : null}
      {closed ? (
        <div className="card" data-testid="shift-closed">
          <h3>{t('shifts.closed', { n: closed.shift.number })}</h3>
          <button type="button" onClick={() => void run(async () => setInfo((await api['report.print']({ session, kind: 'z', shift: closed.shift.number })).message))}>
            {t('shifts.printZ')}
          </button>
          {closed.notes.map((n) => <p className="muted small" key={n}>{n}</p>)}
          <ShiftReportPanel report={closed.z.report} testId="z-report" />
        </div>
      ) : null}
      {!shift ? (
        <form style={styles.form} data-testid="shift-open-form" onSubmit={(e) => (e.preventDefault(), void run(async () => { setClosed(null); await api['shift.open']({ session, openingFloat: amountOf(float) }); }))}>
          <p style={{ width: '100%' }}>{t('shifts.none')}</p>
          <Labelled label={t('shifts.float')}><input value={float} onChange={(e) => setFloat(e.target.value)} inputMode="decimal" data-testid="shift-float" /></Labelled>
          <button type="submit" className="primary" data-testid="shift-open">{t('shifts.open')}</button>
        </form>
      ) : (
        <>
          <p className="muted">{t('shifts.openedAt', { at: dateTime(shift.openedAt, lang) })}</p>
          <div style={styles.grid}>
            <form className="card" onSubmit={(e) => e.preventDefault()} data-testid="cash-form">
              <h3>{t('shifts.cashIn')} / {t('shifts.cashOut')}</h3>
              <Labelled label={t('shifts.amount')} width={260}><input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" data-testid="cash-amount" /></Labelled>
              <Labelled label={t('shifts.reason')} width={260}><input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="cash-reason" /></Labelled>
              <div style={styles.form}>
                {(['in', 'out'] as const).map((kind) => (
                  <button key={kind} type="button" data-testid={`cash-${kind}`} onClick={() => void run(async () => {
                    await api['shift.cash']({ session, kind, amount: amountOf(amount), reason });
                    setAmount('');
                    setReason('');
                  })}>{kind === 'in' ? t('shifts.cashIn') : t('shifts.cashOut')}</button>
                ))}
              </div>
            </form>
            <form
              className="card"
              data-testid="close-form"
              onSubmit={(e) => (e.preventDefault(), void run(async () => setClosed(await api['shift.close']({ session, countedCash: amountOf(counted), note, syncFirst }))))}
            >
              <h3>{t('shifts.close')}</h3>
              <div className="row"><span>{t('shifts.expected')}</span><strong data-testid="expected-cash">{money(cur.report?.cash.expected ?? 0, lang, currency)}</strong></div>
              {cur.unsyncedEvents > 0 ? (
                <div className="warn" data-testid="unsynced-warning">
                  {t('shifts.unsynced', { n: cur.unsyncedEvents })}{' '}
                  <button type="button" className="link" data-testid="sync-now" onClick={() => void run(async () => setInfo(t('shifts.synced', { n: (await api['sync.now']({})).acknowledged })))}>
                    {t('shifts.syncNow')}
                  </button>
                </div>
              ) : null}
              <Labelled label={t('shifts.counted')} width={260}><input value={counted} onChange={(e) => setCounted(e.target.value)} inputMode="decimal" data-testid="close-counted" /></Labelled>
              <Labelled label={t('shifts.note')} width={260}><input value={note} onChange={(e) => setNote(e.target.value)} data-testid="close-note" /></Labelled>
              <label className="row" style={{ justifyContent: 'flex-start', alignItems: 'center' }}>
                <input type="checkbox" checked={syncFirst} onChange={(e) => setSyncFirst(e.target.checked)} style={{ width: 24 }} /> {t('shifts.syncFirst')}
              </label>
              <div style={styles.form}>
                <button type="button" onClick={() => void run(async () => setInfo((await api['report.print']({ session, kind: 'x' })).message))}>{t('shifts.printX')}</button>
                <button type="submit" className="primary" data-testid="shift-close">{t('shifts.close')}</button>
              </div>
            </form>
          </div>
          <h3>{t('shifts.x')}</h3>
          {cur.report ? <ShiftReportPanel report={cur.report} testId="x-report" /> : null}
        </>
      )}
      <h3>{t('shifts.history')}</h3>
      <table style={styles.table} data-testid="shift-history">
        <tbody>
          {history.filter((s) => s.status === 'closed').map((s) => (
            <tr key={s.id}>
              <td style={styles.cell}>№{s.number}</td>
              <td style={styles.cell}>{dateTime(s.openedAt, lang)} — {s.closedAt ? dateTime(s.closedAt, lang) : ''}</td>
              <td style={styles.num}>{s.overShort === null ? '' : (s.overShort > 0 ? '+' : '') + money(s.overShort, lang, currency)}</td>
              <td style={styles.cell}>
                <button type="button" className="link" onClick={() => void run(async () => setClosed({ shift: s, z: await api['report.z']({ session, shift: s.number }), notes: [] }))}>{t('shifts.show')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
