import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Field } from '../../components/Dialog';
import { useErrorText, usePos } from '../../context';

type Candidate = Readonly<{ id: string; name: string; phoneMasked: string }>;

/** Lookup by the last 4 digits (masked candidates to pick from) or by the full phone. */
export function FindDialog({ onClose }: Readonly<{ onClose(): void }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api, sale } = usePos();
  const [text, setText] = useState('');
  const [candidates, setCandidates] = useState<readonly Candidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pick = async (id: string) => {
    try {
      await sale.getState().setMember(await api['member.get']({ id }));
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const search = async () => {
    setError(null);
    const digits = text.replace(/\D/g, '');
    try {
      if (/^\d{4}$/.test(text.trim())) {
        const list = await api['member.findByLast4']({ last4: text.trim() });
        setCandidates(list);
        if (list.length === 0) setError(t('find.noResults'));
        else if (list.length === 1) await pick(list[0]!.id);
      } else if (digits.length >= 10) {
        const m = await api['member.findByPhone']({ phone: text });
        if (!m) return setError(t('find.notFound'));
        await sale.getState().setMember(m);
        onClose();
      } else {
        setError(t('find.last4') + ' / ' + t('find.phone'));
      }
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog
      title={t('find.title')}
      testId="find-dialog"
      onClose={onClose}
      onSubmit={search}
      error={error}
      actions={<button type="submit" className="primary">{t('find.search')}</button>}
    >
      <Field label={`${t('find.last4')} / ${t('find.phone')}`}>
        <input value={text} onChange={(e) => setText(e.target.value)} inputMode="tel" data-testid="find-input" autoComplete="off" />
      </Field>
      {candidates && candidates.length > 1 ? (
        <div className="candidates" role="listbox" aria-label={t('find.choose')} data-testid="candidates">
          {candidates.map((c) => (
            <button type="button" role="option" aria-selected="false" key={c.id} onClick={() => void pick(c.id)} data-testid="candidate">
              <strong>{c.name}</strong> <span className="muted">{c.phoneMasked}</span>
            </button>
          ))}
        </div>
      ) : null}
    </Dialog>
  );
}
