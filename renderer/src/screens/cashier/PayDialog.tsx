import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Field } from '../../components/Dialog';
import { useErrorText, useApp, usePos, useSale } from '../../context';
import { money, parseMoneyInput } from '../../format';

type Method = 'cash' | 'card' | 'mixed';

/** Cash with change, card, or both. Amounts typed in roubles, handled as minor units. */
export function PayDialog({ onClose }: Readonly<{ onClose(): void }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { sale } = usePos();
  const quote = useSale((s) => s.quote);
  const busy = useSale((s) => s.busy);
  const lang = useApp((s) => s.lang);
  const [method, setMethod] = useState<Method>('cash');
  const [tendered, setTendered] = useState('');
  const [cardPart, setCardPart] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!quote) return null;
  const toPay = quote.toPay;
  const card = method === 'card' ? toPay : method === 'mixed' ? parseMoneyInput(cardPart) : 0;
  const cashDue = card === null ? null : toPay - card;
  const given = tendered.trim() === '' ? cashDue : parseMoneyInput(tendered);
  const change = given !== null && cashDue !== null && method !== 'card' ? given - cashDue : null;

  const submit = async () => {
    if (card === null || (method === 'mixed' && (card <= 0 || card > toPay))) return setError(t('errors.amount'));
    if (method !== 'card' && given === null) return setError(t('errors.amount'));
    if (change !== null && change < 0) return setError(t('pay.short', { amount: money(-change, lang) }));
    setError(null);
    try {
      await sale.getState().commit({ cash: cashDue ?? 0, card: card, tendered: method === 'card' ? null : given });
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog
      title={t('pay.title')}
      testId="pay-dialog"
      onClose={onClose}
      onSubmit={submit}
      error={error}
      actions={
        <>
          <button type="button" onClick={onClose}>{t('pay.cancel')}</button>
          <button type="submit" className="primary" disabled={busy} data-testid="pay-confirm">{t('pay.confirm')}</button>
        </>
      }
    >
      <div className="big" data-testid="pay-total">{t('cart.toPay')}: {money(toPay, lang)}</div>
      <div className="segmented" role="radiogroup">
        {(['cash', 'card', 'mixed'] as const).map((m) => (
          <button type="button" key={m} role="radio" aria-checked={method === m} data-testid={`pay-${m}`} onClick={() => setMethod(m)}>{t(`pay.${m}`)}</button>
        ))}
      </div>
      {method === 'mixed' ? (
        <Field label={t('pay.cardPart')}>
          <input inputMode="decimal" value={cardPart} onChange={(e) => setCardPart(e.target.value)} data-testid="pay-card-part" />
        </Field>
      ) : null}
      {method !== 'card' ? (
        <>
          <Field label={t('pay.tendered')} hint={cashDue !== null ? `${t('pay.cashPart')}: ${money(cashDue, lang)}` : undefined}>
            <input inputMode="decimal" value={tendered} placeholder={cashDue !== null ? String(cashDue / 100) : ''} onChange={(e) => setTendered(e.target.value)} data-testid="pay-tendered" />
          </Field>
          <div className="big" data-testid="pay-change">{t('pay.change')}: {change !== null && change >= 0 ? money(change, lang) : '—'}</div>
        </>
      ) : null}
    </Dialog>
  );
}
