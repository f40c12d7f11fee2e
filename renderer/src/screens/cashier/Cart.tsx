import { useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { markShown } from '../../perf';
import { useErrorText, useApp, usePos, useSale } from '../../context';
import { money, points } from '../../format';

export function Cart() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { sale, app } = usePos();
  const items = useSale((s) => s.items);
  const quote = useSale((s) => s.quote);
  const quoteError = useSale((s) => s.quoteError);
  const lang = useApp((s) => s.lang);
  const rev = items.reduce((a, i) => a + i.qty, 0);
  useLayoutEffect(() => {
    if (rev > 0) markShown('cart', String(rev));
  }, [rev]);
  const fail = (e: unknown) => app.getState().notify('error', errorText(e) === 'qty' ? t('errors.qty') : errorText(e));
  return (
    <section className="cart" aria-label={t('cart.title')} data-testid="cart">
      <h2>{t('cart.title')}</h2>
      {items.length === 0 ? <p className="muted" data-testid="cart-empty">{t('cart.empty')}</p> : null}
      <ul>
        {items.map((i) => (
          <li key={i.productId} data-testid="cart-line">
            <span className="lname">{i.name}</span>
            <span className="qty">
              <button type="button" aria-label={t('cart.dec')} onClick={() => (i.qty > 1 ? sale.getState().setQty(i.productId, i.qty - 1) : sale.getState().remove(i.productId)).catch(fail)}>−</button>
              <input
                aria-label={t('cart.qty')}
                data-testid="cart-qty"
                inputMode="numeric"
                value={i.qty}
                onChange={(e) => {
                  const n = Number(e.target.value);
                  sale.getState().setQty(i.productId, n).catch(fail);
                }}
              />
              <button type="button" aria-label={t('cart.inc')} onClick={() => sale.getState().setQty(i.productId, i.qty + 1).catch(fail)}>+</button>
            </span>
            <span className="amount">{money(i.price * i.qty, lang)}</span>
            <button type="button" className="remove" aria-label={t('cart.remove')} data-testid="cart-remove" onClick={() => sale.getState().remove(i.productId).catch(fail)}>✕</button>
          </li>
        ))}
      </ul>
      {quote ? (
        <div className="totals" data-testid="totals">
          <div className="row"><span>{t('cart.subtotal')}</span><span>{money(quote.subtotal, lang)}</span></div>
          {quote.discount > 0 ? <div className="row"><span>{t('cart.discount')}</span><span>−{money(quote.discount, lang)}</span></div> : null}
          {quote.redeemValue > 0 ? (
            <div className="row" data-testid="totals-redeemed"><span>{t('cart.paidByPoints')} ({points(quote.redeemPoints, lang)})</span><span>−{money(quote.redeemValue, lang)}</span></div>
          ) : null}
          <div className="row strong"><span>{t('cart.toPay')}</span><span data-testid="to-pay">{money(quote.toPay, lang)}</span></div>
        </div>
      ) : null}
      {quoteError ? <p className="error" role="alert" data-testid="quote-error">{errorText(quoteError)}</p> : null}
    </section>
  );
}
