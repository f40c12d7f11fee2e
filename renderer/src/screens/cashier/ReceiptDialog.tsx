import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { ReceiptPreview } from '../../components/Receipt';
import { useApp, usePos, useSale } from '../../context';
import { money } from '../../format';

export function ReceiptDialog({ onClose }: Readonly<{ onClose(): void }>) {
  const { t } = useTranslation();
  const { sale } = usePos();
  const last = useSale((s) => s.lastSale);
  const lang = useApp((s) => s.lang);
  if (!last) return null;
  const close = () => {
    sale.getState().closeReceipt();
    onClose();
  };
  return (
    <Dialog
      title={t('receipt.title', { number: last.number })}
      testId="receipt-dialog"
      onClose={close}
      onSubmit={close}
      actions={<button type="submit" className="primary" data-testid="receipt-close">{t('receipt.close')}</button>}
    >
      {last.change > 0 ? <div className="big" data-testid="sale-change">{t('pay.change')}: {money(last.change, lang)}</div> : null}
      <ReceiptPreview receipt={last.receipt} lang={lang} />
    </Dialog>
  );
}
