import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText, usePos, useSale } from '../../context';
import { CameraDialog } from './CameraDialog';
import { Cart } from './Cart';
import { EnrolDialog } from './EnrolDialog';
import { FindDialog } from './FindDialog';
import { MemberPanel } from './MemberPanel';
import { PayDialog } from './PayDialog';
import { ProductGrid } from './ProductGrid';
import { ReceiptDialog } from './ReceiptDialog';
import { RefundDialog } from './RefundDialog';

export type CashierDialog = 'none' | 'find' | 'enrol' | 'pay' | 'receipt' | 'refund' | 'camera';

/**
 * The till: products left, check in the middle, member and payment right. Every action has a
 * function key; Esc closes the open dialog; touch targets are ≥ 44 px (styles.css).
 */
export function CashierScreen() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { sale, app } = usePos();
  const [dialog, setDialog] = useState<CashierDialog>('none');
  const items = useSale((s) => s.items);
  const quote = useSale((s) => s.quote);
  const member = useSale((s) => s.member);
  const canPay = items.length > 0 && quote !== null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (app.getState().screen !== 'cashier') return;
      const open = (d: CashierDialog) => {
        e.preventDefault();
        setDialog(d);
      };
      switch (e.key) {
        case 'F2': return open('find');
        case 'F3': return open('enrol');
        case 'F4':
          e.preventDefault();
          if (member && quote) void sale.getState().setRedeem(sale.getState().redeem.mode === 'max' ? { mode: 'none' } : { mode: 'max' }).catch((x) => app.getState().notify('error', errorText(x)));
          return;
        case 'F6': return open('camera');
        case 'F8': return open('refund');
        case 'F9':
          if (canPay && dialog === 'none') open('pay');
          else e.preventDefault();
          return;
        case 'Escape':
          if (dialog === 'none' && items.length > 0 && !(e.target as HTMLElement)?.closest?.('input')) {
            e.preventDefault();
            sale.getState().clear();
          }
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app, sale, dialog, canPay, items.length, member, quote]);

  const close = () => setDialog('none');
  return (
    <main className="cashier" data-testid="cashier">
      <ProductGrid />
      <Cart />
      <aside className="side">
        <MemberPanel onFind={() => setDialog('find')} />
        <div className="keys">
          <button type="button" onClick={() => setDialog('find')} data-testid="key-find">{t('keys.find')}</button>
          <button type="button" onClick={() => setDialog('enrol')} data-testid="key-enrol">{t('keys.enrol')}</button>
          <button type="button" onClick={() => setDialog('camera')} data-testid="key-camera">{t('keys.camera')}</button>
          <button type="button" onClick={() => setDialog('refund')} data-testid="key-refund">{t('keys.refund')}</button>
          <button type="button" onClick={() => sale.getState().clear()} disabled={items.length === 0}>{t('keys.clear')}</button>
        </div>
        <button type="button" className="pay primary" disabled={!canPay} onClick={() => setDialog('pay')} data-testid="key-pay">{t('keys.pay')}</button>
      </aside>
      {dialog === 'find' ? <FindDialog onClose={close} /> : null}
      {dialog === 'enrol' ? <EnrolDialog onClose={close} /> : null}
      {dialog === 'pay' ? <PayDialog onClose={() => setDialog(sale.getState().lastSale ? 'receipt' : 'none')} /> : null}
      {dialog === 'receipt' ? <ReceiptDialog onClose={close} /> : null}
      {dialog === 'refund' ? <RefundDialog onClose={close} /> : null}
      {dialog === 'camera' ? <CameraDialog onClose={close} /> : null}
    </main>
  );
}
