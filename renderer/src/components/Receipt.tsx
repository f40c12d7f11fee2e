import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { ReceiptSchema } from '../../../core/contract';
import { money, points, type Lang } from '../format';

type Receipt = z.output<typeof ReceiptSchema>;

/** On-screen preview of the paper receipt, from the same model the printer lays out. */
export function ReceiptPreview({ receipt, lang }: Readonly<{ receipt: Receipt; lang: Lang }>) {
  const { t } = useTranslation();
  const m = (n: number) => money(n, lang, receipt.currency);
  return (
    <div className="receipt" data-testid="receipt">
      <div className="center strong">{receipt.shop.name}</div>
      {receipt.shop.address.map((a) => <div className="center" key={a}>{a}</div>)}
      <div className="center">{receipt.kind === 'refund' ? t('receipt.refund', { number: receipt.number }) : t('receipt.title', { number: receipt.number })}</div>
      <div className="center small">{[receipt.time, receipt.cashier, receipt.terminal].filter(Boolean).join(' · ')}</div>
      <hr />
      {receipt.lines.map((l, i) => (
        <div key={i} className="rline">
          <span>{l.name}</span>
          <span>{l.qtyMilli / 1000} × {m(l.unitPrice)}</span>
          <span>{m(l.amount)}</span>
        </div>
      ))}
      <hr />
      {receipt.totals.discount > 0 ? <Row label={t('cart.discount')} value={'−' + m(receipt.totals.discount)} /> : null}
      {receipt.totals.paidByPoints > 0 ? <Row label={t('cart.paidByPoints')} value={'−' + m(receipt.totals.paidByPoints)} /> : null}
      <Row label={t('cart.toPay')} value={m(receipt.totals.toPay)} strong />
      {receipt.payments.filter((p) => p.type !== 'points').map((p, i) => (
        <div key={i}>
          <Row label={t(`pay.${p.type === 'cash' ? 'cash' : 'card'}`)} value={m(p.type === 'cash' && p.tendered ? p.tendered : p.amount)} />
          {p.change ? <Row label={t('receipt.change')} value={m(p.change)} testId="receipt-change" /> : null}
        </div>
      ))}
      {receipt.loyalty ? (
        <>
          <hr />
          <div>{receipt.loyalty.memberName} · {receipt.loyalty.maskedPhone}</div>
          {receipt.loyalty.earned.map((e, i) => <Row key={i} label={e.label} value={'+' + points(e.points, lang)} />)}
          <Row label={t('receipt.earned')} value={'+' + points(receipt.loyalty.earnedTotal, lang)} />
          {receipt.loyalty.redeemed > 0 ? <Row label={t('receipt.redeemed')} value={'−' + points(receipt.loyalty.redeemed, lang)} /> : null}
          <Row label={t('receipt.balanceAfter')} value={points(receipt.loyalty.balanceAfter, lang)} strong testId="receipt-balance" />
        </>
      ) : null}
      <hr />
      {receipt.footer.map((f) => <div className="center" key={f}>{f}</div>)}
    </div>
  );
}

function Row({ label, value, strong, testId }: Readonly<{ label: string; value: string; strong?: boolean; testId?: string }>) {
  return (
    <div className={'row' + (strong ? ' strong' : '')}>
      <span>{label}</span>
      <span data-testid={testId}>{value}</span>
    </div>
  );
}
