import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosApi } from '../../../../core/contract';
import { Field } from '../../components/Dialog';
import { useErrorText, useApp, usePos } from '../../context';
import { points } from '../../format';

type Row = Awaited<ReturnType<PosApi['member.search']>>[number];
type Detail = Awaited<ReturnType<PosApi['member.detail']>>;

export function MembersScreen({ session }: Readonly<{ session: string }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api, app } = usePos();
  const lang = useApp((s) => s.lang);
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<readonly Row[]>([]);
  const [edit, setEdit] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api['member.search']({ session, query }).then((r) => live && setRows(r), (e) => live && setError(errorText(e)));
    return () => { live = false; };
  }, [api, session, query]);
  const save = async () => {
    if (!edit) return;
    setError(null);
    try {
      await api['member.update']({ session, id: edit.id, name: edit.name, phone: edit.phone, birthday: edit.birthday, consent: edit.consent, marketingConsent: edit.marketingConsent });
      app.getState().notify('ok', t('members.saved'));
      setEdit(null);
      setRows(await api['member.search']({ session, query }));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="members" data-testid="members-screen">
      <div className="card">
        <Field label={t('members.search')}><input value={query} onChange={(e) => setQuery(e.target.value)} data-testid="members-search" /></Field>
        <table>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="members-row">
                <td>{r.name}</td><td className="muted">{r.phoneMasked}</td><td>{points(r.balance, lang)}</td><td>{r.consent ? '✓' : '—'}</td>
                <td><button type="button" onClick={() => api['member.detail']({ session, id: r.id }).then(setEdit, (e) => setError(errorText(e)))}>{t('members.edit')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {edit ? (
        <form className="card" data-testid="member-edit" noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <Field label={t('enrol.name')}><input value={edit.name} onChange={(e) => setEdit({ ...edit, name: e.target.value })} data-testid="member-edit-name" /></Field>
          <Field label={t('enrol.phone')}><input value={edit.phone} onChange={(e) => setEdit({ ...edit, phone: e.target.value })} data-testid="member-edit-phone" /></Field>
          <Field label={t('enrol.birthday')}><input type="date" value={edit.birthday ?? ''} onChange={(e) => setEdit({ ...edit, birthday: e.target.value || null })} /></Field>
          <label className="check"><input type="checkbox" checked={edit.consent} onChange={(e) => setEdit({ ...edit, consent: e.target.checked })} /> {t('members.consent')}</label>
          <label className="check"><input type="checkbox" checked={edit.marketingConsent} onChange={(e) => setEdit({ ...edit, marketingConsent: e.target.checked })} /> {t('members.marketing')}</label>
          <p className="error" role="alert" data-testid="form-error">{error ?? ''}</p>
          <div className="actions"><button type="button" onClick={() => setEdit(null)}>{t('pay.cancel')}</button><button type="submit" className="primary" data-testid="member-edit-save">{t('members.save')}</button></div>
        </form>
      ) : error ? <p className="error" role="alert">{error}</p> : null}
    </div>
  );
}
