import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../core/contract';
import type { managerChannels } from '../../../../core/contract/channels/manager';
import { useErrorText, usePos } from '../../context';
import { dateTime, points } from '../../format';
import { download, Labelled, styles, useFeatureT, useScreenAction } from '../reports/shared';

type Candidate = Awaited<ReturnType<ReturnType<typeof usePos>['api']['member.search']>>[number];
type Consent = ChannelOutput<(typeof managerChannels)['privacy.consents']>[number];

/** Consents (versioned, timed), export of one member's data, erasure, and manual point adjustments. */
export function PrivacyScreen(props: Readonly<{ session: string }>) {
  const { t, lang } = useFeatureT();
  const errorText = useErrorText();
  const { api } = usePos();
  const session = props.session;
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<readonly Candidate[] | null>(null);
  const [member, setMember] = useState<Candidate | null>(null);
  const [consents, setConsents] = useState<readonly Consent[]>([]);
  const [reason, setReason] = useState('');
  const [delta, setDelta] = useState('');
  const [adjReason, setAdjReason] = useState('');

  const loadConsents = useCallback(async (id: string) => setConsents(await api['privacy.consents']({ session, memberId: id })), [api, session]);
  useEffect(() => {
    if (member) void loadConsents(member.id).catch((e) => setError(errorText(e)));
  }, [member, loadConsents]);
  const { error, setError, info, setInfo, run } = useScreenAction();
  const latest = (kind: 'processing' | 'marketing') => [...consents].reverse().find((c) => c.kind === kind) ?? null;

  return (
    <div data-testid="privacy-screen">
      <h2>{t('privacy.title')}</h2>
      <form style={styles.form} onSubmit={(e) => (e.preventDefault(), void run(async () => setFound(await api['member.search']({ session, query }))))}>
        <Labelled label={t('privacy.search')} width={280}><input value={query} onChange={(e) => setQuery(e.target.value)} data-testid="privacy-query" /></Labelled>
        <button type="submit" className="primary" data-testid="privacy-find">{t('privacy.find')}</button>
      </form>
      <p className="error" role="alert" data-testid="privacy-error">{error ?? ''}</p>
      {info ? <p data-testid="privacy-info">{info}</p> : null}
      {found && !member ? (
        found.length === 0 ? <p className="muted">{t('privacy.none')}</p> : (
          <ul data-testid="privacy-results">
            {found.map((c) => (
              <li key={c.id}><button type="button" className="link" onClick={() => setMember(c)}>{c.name || '—'} · {c.phoneMasked}</button></li>
            ))}
          </ul>
        )
      ) : null}
      {member ? (
        <div style={styles.charts}>
          <div className="card" data-testid="privacy-member">
            <h3>{member.name || '—'}</h3>
            <p className="muted">{member.phoneMasked} · {t('privacy.balance', { points: points(member.balance, lang) })}</p>
            <h4>{t('privacy.consents')}</h4>
            {(['processing', 'marketing'] as const).map((kind) => {
              const c = latest(kind);
              return (
                <div className="row" key={kind}>
                  <span>{t(`privacy.${kind}`)}: <strong data-testid={`consent-${kind}`}>{c?.granted ? t('privacy.given') : t('privacy.withdrawn')}</strong>{c ? <span className="muted small"> · {dateTime(c.at, lang)} · {t('privacy.version', { v: c.textVersion })}</span> : null}</span>
                  <button type="button" data-testid={`consent-${kind}-toggle`} onClick={() => void run(async () => setConsents(await api['privacy.setConsent']({ session, memberId: member.id, kind, granted: !c?.granted })))}>
                    {c?.granted ? t('privacy.withdraw') : t('privacy.give')}
                  </button>
                </div>
              );
            })}
            <table style={styles.table} data-testid="consent-history">
              <tbody>
                {consents.map((c, i) => (
                  <tr key={i}><td style={styles.cell}>{dateTime(c.at, lang)}</td><td style={styles.cell}>{t(`privacy.${c.kind}`)}</td><td style={styles.cell}>{c.granted ? t('privacy.given') : t('privacy.withdrawn')}</td><td style={styles.cell}>v{c.textVersion}</td></tr>
                ))}
              </tbody>
            </table>
            <div style={styles.form}>
              <button type="button" data-testid="privacy-export" onClick={() => void run(async () => {
                const r = await api['privacy.export']({ session, memberId: member.id });
                download(r.filename, r.json, 'application/json');
              })}>{t('privacy.export')}</button>
            </div>
          </div>
          <form className="card" data-testid="adjust-form" onSubmit={(e) => (e.preventDefault(), void run(async () => {
            const d = Number(delta);
            if (!/^-?\d{1,7}$/.test(delta.trim())) throw new Error(t('privacy.delta'));
            const r = await api['points.adjust']({ session, memberId: member.id, delta: d, reason: adjReason });
            setMember({ ...member, balance: r.balance });
            setDelta('');
            setAdjReason('');
          }))}>
            <h3>{t('privacy.adjust')}</h3>
            <Labelled label={t('privacy.delta')}><input value={delta} onChange={(e) => setDelta(e.target.value)} inputMode="numeric" data-testid="adjust-delta" /></Labelled>
            <Labelled label={t('privacy.adjustReason')} width={280}><input value={adjReason} onChange={(e) => setAdjReason(e.target.value)} data-testid="adjust-reason" /></Labelled>
            <div style={styles.form}><button type="submit" className="primary" data-testid="adjust-apply">{t('privacy.apply')}</button></div>
          </form>
          <form className="card" data-testid="erase-form" onSubmit={(e) => (e.preventDefault(), void run(async () => {
            const r = await api['privacy.erase']({ session, memberId: member.id, reason });
            setInfo(t('privacy.erased', { points: points(r.balanceKept, lang) }));
            setMember({ ...member, name: '', phoneMasked: '' });
            await loadConsents(member.id);
          }))}>
            <h3>{t('privacy.erase')}</h3>
            <Labelled label={t('privacy.eraseReason')} width={280}><input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="erase-reason" /></Labelled>
            <div style={styles.form}><button type="submit" className="primary" style={{ background: '#c62828', borderColor: '#c62828' }} data-testid="erase-confirm">{t('privacy.eraseConfirm')}</button></div>
          </form>
        </div>
      ) : null}
    </div>
  );
}
