import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../core/contract';
import type { managerChannels } from '../../../../core/contract/channels/manager';
import { useErrorText, usePos } from '../../context';
import { dateTime } from '../../format';
import { Labelled, styles, useFeatureT, useScreenAction } from '../reports/shared';

type StaffRow = ChannelOutput<(typeof managerChannels)['staff.list']>[number];
type Audit = ChannelOutput<(typeof managerChannels)['audit.list']>;
const ROLES = ['cashier', 'manager', 'owner'] as const;
const ACTIONS = ['refund', 'void', 'points.adjust', 'redeem.large', 'shift.open', 'shift.cash_in', 'shift.cash_out', 'shift.close', 'program.change', 'member.export', 'member.erase', 'consent.change', 'staff.add', 'staff.deactivate', 'auth.failed', 'auth.locked', 'auth.denied'];

/** Staff and roles (owners add and switch off PINs) and the audit log of sensitive actions. */
export function StaffScreen(props: Readonly<{ session: string }>) {
  const { t, lang } = useFeatureT();
  const errorText = useErrorText();
  const { api } = usePos();
  const session = props.session;
  const [staff, setStaff] = useState<readonly StaffRow[]>([]);
  const [audit, setAudit] = useState<Audit | null>(null);
  const [action, setAction] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('cashier');
  const [pin, setPin] = useState('');

  const load = useCallback(async () => {
    setStaff(await api['staff.list']({ session }));
    setAudit(await api['audit.list']({ session, ...(action ? { action } : {}), limit: 200 }));
  }, [api, session, action]);
  useEffect(() => void load().catch((e) => setError(errorText(e))), [load]);
  const { error, setError, info, setInfo, run } = useScreenAction(load);

  return (
    <div data-testid="staff-screen">
      <h2>{t('staff.title')}</h2>
      <p className="error" role="alert" data-testid="staff-error">{error ?? ''}</p>
      {info ? <p data-testid="staff-info">{info}</p> : null}
      <table style={styles.table} data-testid="staff-list">
        <thead>
          <tr>
            <th style={styles.cell}>{t('staff.name')}</th>
            <th style={styles.cell}>{t('staff.role')}</th>
            <th style={styles.cell} />
            <th style={styles.cell} />
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <td style={styles.cell}>{s.name}</td>
              <td style={styles.cell}>{t(`staff.${s.role}`)}</td>
              <td style={styles.cell}>{s.active ? t('staff.active') : t('staff.inactive')}</td>
              <td style={styles.cell}>
                {s.active ? (
                  <button type="button" className="link" onClick={() => {
                    const reason = window.prompt(t('staff.reason')) ?? '';
                    if (reason.trim()) void run(() => api['staff.deactivate']({ session, id: s.id, reason }));
                  }}>{t('staff.deactivate')}</button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form style={styles.form} data-testid="staff-add-form" onSubmit={(e) => (e.preventDefault(), void run(async () => {
        const s = await api['staff.add']({ session, name, role, pin });
        setInfo(t('staff.added', { name: s.name }));
        setName('');
        setPin('');
      }))}>
        <Labelled label={t('staff.name')}><input value={name} onChange={(e) => setName(e.target.value)} data-testid="staff-name" /></Labelled>
        <Labelled label={t('staff.role')} width={150}>
          <select value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])} data-testid="staff-role">
            {ROLES.map((r) => <option key={r} value={r}>{t(`staff.${r}`)}</option>)}
          </select>
        </Labelled>
        <Labelled label={t('staff.pin')} width={150}><input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} data-testid="staff-pin" /></Labelled>
        <button type="submit" className="primary" data-testid="staff-add">{t('staff.add')}</button>
      </form>

      <h2>{t('staff.audit')}</h2>
      <div style={styles.form}>
        <Labelled label={t('staff.action')} width={220}>
          <select value={action} onChange={(e) => setAction(e.target.value)} data-testid="audit-action">
            <option value="">{t('staff.all')}</option>
            {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </Labelled>
        {audit ? <strong data-testid="audit-chain" style={{ color: audit.chainIntact ? '#1a7f37' : '#c62828' }}>{audit.chainIntact ? t('staff.chainOk') : t('staff.chainBroken')}</strong> : null}
      </div>
      <table style={styles.table} data-testid="audit-log">
        <thead>
          <tr>
            <th style={styles.cell}>#</th>
            <th style={styles.cell}>{t('staff.when')}</th>
            <th style={styles.cell}>{t('staff.who')}</th>
            <th style={styles.cell}>{t('staff.what')}</th>
            <th style={styles.cell}>{t('staff.why')}</th>
          </tr>
        </thead>
        <tbody>
          {audit?.entries.map((e) => (
            <tr key={e.seq}>
              <td style={styles.cell}>{e.seq}</td>
              <td style={styles.cell}>{dateTime(e.at, lang)}</td>
              <td style={styles.cell}>{e.staffName ?? '—'}{e.staffRole ? ` (${t(`staff.${e.staffRole}`)})` : ''}</td>
              <td style={styles.cell}>{e.action}{'delta' in e.details ? ` ${Number(e.details.delta) > 0 ? '+' : ''}${String(e.details.delta)}` : ''}{'amount' in e.details ? ` ${String(e.details.amount)}` : ''}</td>
              <td style={styles.cell}>{e.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
