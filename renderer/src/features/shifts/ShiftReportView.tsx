import type { ShiftReportView } from '../../../../core/contract/channels/manager';
import { money, points } from '../../format';
import { styles, useFeatureT } from '../reports/shared';

/** An X or Z report on screen: the same sections as the printout. */
export function ShiftReportPanel(props: Readonly<{ report: ShiftReportView; testId: string }>) {
  const { t, lang } = useFeatureT();
  const r = props.report;
  const m = (n: number) => money(n, lang, r.currency);
  const row = (label: string, value: string, id?: string) => (
    <div className="row" key={label}>
      <span>{label}</span>
      <span data-testid={id}>{value}</span>
    </div>
  );
  const l = r.loyalty;
  return (
    <div style={styles.grid} data-testid={props.testId}>
      <div className="card">
        <h3>{t('shifts.sales')}</h3>
        {row(t('shifts.checks'), String(r.sales.count), 'z-sales-count')}
        {row(t('shifts.total'), m(r.sales.total), 'z-sales-total')}
        {row(t('shifts.discount'), m(r.sales.discount))}
        {row(t('shifts.cash'), m(r.sales.byMethod.cash))}
        {row(t('shifts.card'), m(r.sales.byMethod.card))}
        {row(t('shifts.gift'), m(r.sales.byMethod.gift))}
        {row(t('shifts.points'), m(r.sales.paidByPoints))}
        {row(t('shifts.refunds'), `${r.refunds.count} · ${m(r.refunds.amount)}`)}
        {row(t('shifts.voids'), `${r.voids.count} · ${m(r.voids.amount)}`)}
        {row(t('shifts.net'), m(r.netTakings), 'z-net')}
      </div>
      <div className="card">
        <h3>{t('shifts.drawer')}</h3>
        {row(t('shifts.floatStart'), m(r.cash.openingFloat))}
        {row(t('shifts.cash'), m(r.cash.sales))}
        {row(t('shifts.refunds'), m(r.cash.refunds))}
        {row(t('shifts.paidIn'), m(r.cash.paidIn))}
        {row(t('shifts.paidOut'), m(r.cash.paidOut))}
        {row(t('shifts.expected'), m(r.cash.expected), 'z-expected')}
        {r.cash.counted !== null ? row(t('shifts.counted'), m(r.cash.counted)) : null}
        {r.cash.overShort !== null
          ? row(r.cash.overShort === 0 ? t('shifts.exact') : r.cash.overShort > 0 ? t('shifts.over') : t('shifts.short'), m(Math.abs(r.cash.overShort)), 'z-over-short')
          : null}
      </div>
      <div className="card">
        <h3>{t('shifts.loyalty')}</h3>
        {row(t('shifts.issued'), `${points(l.pointsIssued, lang)} · ${m(l.pointsIssuedValue)}`, 'z-issued')}
        {row(t('shifts.redeemed'), `${points(l.pointsRedeemed, lang)} · ${m(l.pointsRedeemedValue)}`, 'z-redeemed')}
        {row(t('shifts.stamps'), String(l.stampsGiven))}
        {row(t('shifts.free'), String(l.freeItems))}
        {row(t('shifts.newMembers'), String(l.newMembers))}
        {row(t('shifts.adjustments'), `${l.adjustments.count} (+${l.adjustments.added} / −${l.adjustments.removed})`)}
        {row(t('shifts.clawed'), points(l.pointsClawedBack, lang))}
        {row(t('shifts.restored'), points(l.pointsRestored, lang))}
      </div>
      <div className="card" style={{ gridColumn: '1 / -1' }}>
        <h3>{t('shifts.perCashier')}</h3>
        <table style={styles.table}>
          <thead>
            <tr>
              <th style={styles.cell}>{t('shifts.cashier')}</th>
              <th style={styles.num}>{t('shifts.checks')}</th>
              <th style={styles.num}>{t('shifts.total')}</th>
              <th style={styles.num}>{t('shifts.issued')}</th>
              <th style={styles.num}>{t('shifts.redeemed')}</th>
            </tr>
          </thead>
          <tbody>
            {r.perCashier.map((c) => (
              <tr key={c.staffId ?? '-'}>
                <td style={styles.cell}>{c.staffId ? c.name : t('shifts.nobody')}</td>
                <td style={styles.num}>{c.sales}</td>
                <td style={styles.num}>{m(c.salesTotal)}</td>
                <td style={styles.num}>{c.pointsIssued}</td>
                <td style={styles.num}>{c.pointsRedeemed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
