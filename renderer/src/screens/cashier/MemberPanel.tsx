import { useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText, useApp, usePos, useSale } from '../../context';
import { date, money, points } from '../../format';
import { markShown } from '../../perf';

export function MemberPanel({ onFind }: Readonly<{ onFind(): void }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { sale, app } = usePos();
  const member = useSale((s) => s.member);
  const quote = useSale((s) => s.quote);
  const redeem = useSale((s) => s.redeem);
  const lang = useApp((s) => s.lang);
  useLayoutEffect(() => {
    if (member) markShown('member', member.id);
  }, [member?.id]);
  if (!member) {
    return (
      <section className="member empty" data-testid="member-panel-empty">
        <p>{t('member.none')}</p>
        <p className="muted">{t('member.scanHint')}</p>
        <button type="button" onClick={onFind}>{t('keys.find')}</button>
      </section>
    );
  }
  const fail = (e: unknown) => app.getState().notify('error', errorText(e));
  const tier = quote?.tier ?? (member.tier ? { name: member.tier.name, next: member.tier.nextName && member.tier.target !== null ? { name: member.tier.nextName, remaining: member.tier.target - member.tier.progress } : null } : null);
  const stamps = quote && quote.stamps.length > 0 ? quote.stamps.map((s) => ({ label: s.name, have: s.count, need: s.goal })) : member.stamps;
  return (
    <section className="member" data-testid="member-panel" data-member-id={member.id}>
      <div className="mhead">
        <strong data-testid="member-name">{member.name}</strong>
        <span className="muted" data-testid="member-phone">{member.phoneMasked}</span>
        <button type="button" className="link" onClick={() => sale.getState().setMember(null).catch(fail)}>{t('member.detach')}</button>
      </div>
      <div className="balance">
        <span>{t('member.balance')}</span>
        <strong data-testid="member-balance">{points(member.balance, lang)}</strong>
        <span>{t('member.points')}</span>
      </div>
      {member.pending > 0 ? <div className="muted" data-testid="member-pending">{t('member.pending')}: {points(member.pending, lang)}</div> : null}
      {member.expiring ? <div className="warn" data-testid="member-expiring">{points(member.expiring.points, lang)} · {t('member.expiring', { date: date(member.expiring.at, lang) })}</div> : null}
      {tier ? (
        <div className="tier" data-testid="member-tier">
          {t('member.tier')}: <strong>{tier.name}</strong>
          {tier.next ? <div className="muted">{t('member.toNext', { name: tier.next.name, amount: money(tier.next.remaining, lang) })}</div> : null}
        </div>
      ) : null}
      {stamps.length > 0 ? (
        <div className="stamps" data-testid="member-stamps">
          {stamps.map((s) => (
            <div key={s.label}>{s.label}: {'●'.repeat(Math.min(s.have, s.need))}{'○'.repeat(Math.max(0, s.need - s.have))} {s.have}/{s.need}</div>
          ))}
        </div>
      ) : null}
      {!member.consent ? <div className="warn">{t('member.consentMissing')}</div> : null}
      {quote ? (
        <div className="redeem" data-testid="redeem">
          <div className="muted" data-testid="redeem-cap">{t('redeem.cap', { max: points(quote.maxRedeemPoints, lang) })}</div>
          <div className="buttons">
            <button type="button" data-testid="redeem-max" aria-pressed={redeem.mode === 'max'} disabled={quote.maxRedeemPoints === 0} onClick={() => sale.getState().setRedeem({ mode: 'max' }).catch(fail)}>{t('keys.redeem')}</button>
            <button type="button" data-testid="redeem-none" aria-pressed={redeem.mode === 'none'} onClick={() => sale.getState().setRedeem({ mode: 'none' }).catch(fail)}>{t('redeem.none')}</button>
          </div>
          <RedeemPoints max={quote.maxRedeemPoints} />
        </div>
      ) : null}
      {quote ? <Why /> : null}
    </section>
  );
}

function RedeemPoints({ max }: Readonly<{ max: number }>) {
  const { t } = useTranslation();
  const { sale } = usePos();
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number((e.currentTarget.elements.namedItem('pts') as HTMLInputElement).value);
        void sale.getState().setRedeem({ mode: 'points', points: Number.isInteger(n) ? n : -1 });
      }}
    >
      <input name="pts" inputMode="numeric" aria-label={t('redeem.points')} placeholder={`≤ ${max}`} data-testid="redeem-points" />
      <button type="submit">{t('redeem.apply')}</button>
    </form>
  );
}

/** The quote's own reasons, as the engine wrote them: what earns, what is capped, what is excluded. */
function Why() {
  const { t } = useTranslation();
  const quote = useSale((s) => s.quote);
  const lang = useApp((s) => s.lang);
  if (!quote) return null;
  return (
    <div className="why" data-testid="why">
      <h3>{t('why.title')}</h3>
      <ul>
        {quote.effects.map((e, i) => (
          <li key={i} className={e.kind}>
            <span>{e.label}</span>
            {e.points !== 0 ? <span>{e.points > 0 ? '+' : ''}{points(e.points, lang)}</span> : null}
          </li>
        ))}
      </ul>
      <div className="row strong"><span>{t('why.earn')}</span><span data-testid="earn-points">+{points(quote.earnPoints + quote.bonusPoints, lang)}</span></div>
    </div>
  );
}
