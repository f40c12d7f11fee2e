import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Field } from '../../components/Dialog';
import { ReceiptPreview } from '../../components/Receipt';
import { useErrorText, useApp, usePos } from '../../context';
import { dateTime, money } from '../../format';
import { uuidv7 } from '../../../../core/util/ids';
import type { PosApi } from '../../../../core/contract';

type SaleDetail = Awaited<ReturnType<PosApi['sale.get']>>;
type Summary = Awaited<ReturnType<PosApi['sale.recent']>>[number];
type Done = Awaited<ReturnType<PosApi['sale.refund']>>;

/** Find a receipt, choose lines (or all), give a reason, and a manager types their PIN. */
export function RefundDialog({ onClose }: Readonly<{ onClose(): void }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api, app } = usePos();
  const lang = useApp((s) => s.lang);
  const [recent, setRecent] = useState<readonly Summary[]>([]);
  const [number, setNumber] = useState('');
  const [detail, setDetail] = useState<SaleDetail | null>(null);
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [key] = useState(() => uuidv7());
  useEffect(() => {
    api['sale.recent']({ limit: 8 }).then(setRecent, () => {});
  }, [api]);
  const load = async (id: string) => {
    setError(null);
    try {
      const d = await api['sale.get']({ id });
      setDetail(d);
      setQty(Object.fromEntries(d.lines.map((l) => [l.lineNo, l.refundableQty])));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const submit = async () => {
    if (done) return onClose();
    if (!detail) return load(number);
    setError(null);
    const lines = detail.lines.filter((l) => (qty[l.lineNo] ?? 0) > 0).map((l) => ({ lineNo: l.lineNo, qty: qty[l.lineNo]! }));
    const all = detail.lines.every((l) => (qty[l.lineNo] ?? 0) === l.refundableQty);
    try {
      const r = await api['sale.refund']({ saleId: detail.id, lines: all ? null : lines.length ? lines : [], managerPin: pin, reason, idempotencyKey: key });
      setDone(r);
      app.getState().notify('ok', t('refund.done', { amount: money(r.amount, lang) }));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Dialog
      title={t('refund.title')}
      testId="refund-dialog"
      onClose={onClose}
      onSubmit={submit}
      error={error}
      wide
      actions={
        <>
          <button type="button" onClick={onClose}>{t('pay.cancel')}</button>
          <button type="submit" className="primary" data-testid="refund-submit">{done ? t('receipt.close') : detail ? t('refund.confirm') : t('refund.load')}</button>
        </>
      }
    >
      {done ? (
        <>
          <div className="big" data-testid="refund-done">{t('refund.done', { amount: money(done.amount, lang) })}</div>
          <ReceiptPreview receipt={done.receipt} lang={lang} />
        </>
      ) : !detail ? (
        <>
          <Field label={t('refund.receiptNo')}><input value={number} onChange={(e) => setNumber(e.target.value)} data-testid="refund-number" autoComplete="off" /></Field>
          <div className="muted">{t('refund.recent')}</div>
          <div className="candidates">
            {recent.map((s) => (
              <button type="button" key={s.id} onClick={() => void load(s.id)} data-testid="refund-recent">
                №{s.number} · {dateTime(s.at, lang)} · {money(s.total, lang)} {s.memberName ? '· ' + s.memberName : ''}{s.status !== 'completed' ? ` · ${t(`refund.${s.status}`)}` : ''}
              </button>
            ))}
          </div>
        </>
      ) : (
        <>
          <div className="strong">№{detail.number} · {dateTime(detail.at, lang)} · {money(detail.total, lang)}</div>
          <ul className="refund-lines">
            {detail.lines.map((l) => (
              <li key={l.lineNo}>
                <span>{l.name}</span>
                <input
                  inputMode="numeric"
                  aria-label={l.name}
                  value={qty[l.lineNo] ?? 0}
                  disabled={l.refundableQty === 0}
                  onChange={(e) => setQty({ ...qty, [l.lineNo]: Math.max(0, Math.min(l.refundableQty, Math.trunc(Number(e.target.value)) || 0)) })}
                />
                <span className="muted">{t('refund.refundable', { n: l.refundableQty })}</span>
              </li>
            ))}
          </ul>
          <Field label={t('refund.reason')}><input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="refund-reason" /></Field>
          <Field label={t('refund.pin')}><input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} data-testid="refund-pin" autoComplete="off" /></Field>
        </>
      )}
    </Dialog>
  );
}
