import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Field } from '../../components/Dialog';
import { useErrorText, usePos } from '../../context';

/** Enrolment at the counter: phone, name, birthday, consent. Four fields, Enter to save. */
export function EnrolDialog({ onClose }: Readonly<{ onClose(): void }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api, sale, app } = usePos();
  const [f, setF] = useState({ phone: '', name: '', birthday: '', consent: false, marketing: false });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: { target: HTMLInputElement }) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const submit = async () => {
    setError(null);
    try {
      const m = await api['member.enrol']({ phone: f.phone, name: f.name, birthday: f.birthday || null, consent: f.consent, marketingConsent: f.marketing });
      await sale.getState().setMember(m);
      app.getState().notify('ok', t('enrol.done'));
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog
      title={t('enrol.title')}
      testId="enrol-dialog"
      onClose={onClose}
      onSubmit={submit}
      error={error}
      actions={<button type="submit" className="primary" data-testid="enrol-save">{t('enrol.save')}</button>}
    >
      <Field label={t('enrol.phone')}><input value={f.phone} onChange={set('phone')} inputMode="tel" data-testid="enrol-phone" autoComplete="off" /></Field>
      <Field label={t('enrol.name')}><input value={f.name} onChange={set('name')} data-testid="enrol-name" autoComplete="off" /></Field>
      <Field label={t('enrol.birthday')}><input type="date" value={f.birthday} onChange={set('birthday')} data-testid="enrol-birthday" /></Field>
      <label className="check"><input type="checkbox" checked={f.consent} onChange={set('consent')} data-testid="enrol-consent" /> {t('enrol.consent')}</label>
      <label className="check"><input type="checkbox" checked={f.marketing} onChange={set('marketing')} data-testid="enrol-marketing" /> {t('enrol.marketing')}</label>
    </Dialog>
  );
}
