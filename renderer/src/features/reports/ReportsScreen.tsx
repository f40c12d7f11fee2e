import { useCallback, useEffect, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, Pie, PieChart, Tooltip, XAxis, YAxis } from 'recharts';
import { CSV_TABLE_NAMES, type AnalyticsView } from '../../../../core/contract/channels/manager';
import { useErrorText, usePos } from '../../context';
import { money, points } from '../../format';
import { download, Kpi, Labelled, styles, useFeatureT } from './shared';

const COLORS = ['#0b6bcb', '#1a7f37', '#b35900', '#8e44ad', '#c62828', '#16a2b8'];

/** The dates typed in; an empty one is left for the backend to choose. */
const dates = (from: string, to: string) => ({ ...(from ? { from } : {}), ...(to ? { to } : {}) });

/** Loyalty analytics with charts (recharts) and CSV export per table. Money arrives in minor units; charts show roubles. */
export function ReportsScreen(props: Readonly<{ session: string }>) {
  const { t, lang } = useFeatureT();
  const errorText = useErrorText();
  const { api } = usePos();
  // Empty until the first report says which period it covers: the backend picks the last twelve
  // months in the shop's time zone (this screen's clock may be in another zone, or in UTC).
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filledFromReport = useRef(false);
  const [a, setA] = useState<AnalyticsView | null>(null);
  // The refusal itself is kept, not its text, so switching the language re-words it.
  const [error, setError] = useState<unknown>(null);
  const session = props.session;

  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await api['report.loyalty']({ session, ...dates(from, to) });
      setA(r);
      if (from === '' && to === '') {
        filledFromReport.current = true;
        setFrom(r.period.from);
        setTo(r.period.to);
      }
    } catch (e) {
      setError(e);
    }
  }, [api, session, from, to]);
  useEffect(() => {
    // The dates just filled in from a report describe that same report: no second request.
    if (filledFromReport.current) filledFromReport.current = false;
    else void load();
  }, [load]);

  const m = (n: number) => money(n, lang, a?.currency ?? 'RUB');
  const rub = (n: number) => Math.round(n / 100); // chart axis only: display, never stored
  return (
    <div data-testid="reports-screen">
      <h2>{t('reports.title')}</h2>
      <form style={styles.form} onSubmit={(e) => (e.preventDefault(), void load())}>
        <Labelled label={t('reports.from')}><input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="report-from" /></Labelled>
        <Labelled label={t('reports.to')}><input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="report-to" /></Labelled>
        <button type="submit" className="primary" data-testid="report-show">{t('reports.refresh')}</button>
        <span className="muted small" style={{ marginLeft: 12 }}>{t('reports.download')}</span>
        {CSV_TABLE_NAMES.map((table) => (
          <button
            type="button"
            key={table}
            data-testid={`csv-${table}`}
            onClick={() => void api['report.csv']({ session, ...dates(from, to), table }).then((r) => download(r.filename, r.csv, 'text/csv;charset=utf-8'), (e) => setError(e))}
          >
            {table}
          </button>
        ))}
      </form>
      <p className="error" role="alert">{error === null ? '' : errorText(error)}</p>
      {a ? (
        <>
          <div style={styles.kpis}>
            <Kpi label={t('reports.members')} value={a.members.total} sub={`${t('reports.active')}: ${a.members.active} · ${t('reports.newMembers')}: ${a.members.new}`} testId="kpi-members" />
            <Kpi label={t('reports.repeat')} value={`${(a.repeatRateBps / 100).toFixed(1)}%`} testId="kpi-repeat" />
            <Kpi label={t('reports.frequency')} value={(a.frequencyX100 / 100).toFixed(2)} testId="kpi-frequency" />
            <Kpi label={t('reports.avgMember')} value={m(a.averageCheck.members)} sub={`${a.averageCheck.memberSales}`} testId="kpi-avg-member" />
            <Kpi label={t('reports.avgOther')} value={m(a.averageCheck.nonMembers)} sub={`${a.averageCheck.nonMemberSales}`} testId="kpi-avg-other" />
            <Kpi label={t('reports.liability')} value={m(a.liability.value)} sub={`${points(a.liability.points, lang)} · ${t('reports.pending')} ${points(a.liability.pending, lang)}`} testId="kpi-liability" />
          </div>
          <div style={styles.charts}>
            <div className="card" data-testid="chart-revenue">
              <h3>{t('reports.revenue')}</h3>
              <BarChart width={420} height={220} data={a.monthly.map((r) => ({ month: r.month, members: rub(r.memberRevenue), others: rub(r.revenue - r.memberRevenue) }))}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" fontSize={11} />
                <YAxis fontSize={11} />
                <Tooltip />
                <Legend />
                <Bar dataKey="members" stackId="r" name={t('reports.memberRevenue')} fill={COLORS[0]} isAnimationActive={false} />
                <Bar dataKey="others" stackId="r" name={t('reports.otherRevenue')} fill={COLORS[2]} isAnimationActive={false} />
              </BarChart>
            </div>
            <div className="card" data-testid="chart-points">
              <h3>{t('reports.pointsFlow')}</h3>
              <LineChart width={420} height={220} data={a.monthly.map((r) => ({ month: r.month, issued: r.pointsIssued, redeemed: r.pointsRedeemed }))}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" fontSize={11} />
                <YAxis fontSize={11} />
                <Tooltip />
                <Legend />
                <Line dataKey="issued" name={t('reports.issued')} stroke={COLORS[1]} isAnimationActive={false} />
                <Line dataKey="redeemed" name={t('reports.redeemed')} stroke={COLORS[4]} isAnimationActive={false} />
              </LineChart>
            </div>
            <div className="card" data-testid="chart-expiry">
              <h3>{t('reports.expiry')}</h3>
              <BarChart width={420} height={220} data={[...a.liability.expiry.map((e) => ({ month: e.month, points: e.points })), { month: t('reports.never'), points: a.liability.neverExpires }]}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" fontSize={11} />
                <YAxis fontSize={11} />
                <Tooltip />
                <Bar dataKey="points" fill={COLORS[3]} isAnimationActive={false} />
              </BarChart>
            </div>
            <div className="card" data-testid="chart-tiers">
              <h3>{t('reports.tiers')}</h3>
              <PieChart width={420} height={220}>
                <Pie data={a.tiers.map((x) => ({ name: x.tier === 'none' ? t('reports.noTier') : x.tier, value: x.members }))} dataKey="value" nameKey="name" outerRadius={80} label isAnimationActive={false}>
                  {a.tiers.map((x, i) => <Cell key={x.tier} fill={COLORS[i % COLORS.length]} />)}
                </Pie>
                <Legend />
                <Tooltip />
              </PieChart>
            </div>
          </div>
          <div className="card" data-testid="cohorts">
            <h3>{t('reports.cohorts')}</h3>
            <table style={styles.table}>
              <thead>
                <tr>
                  <th style={styles.cell}>{t('reports.cohort')}</th>
                  <th style={styles.num}>{t('reports.size')}</th>
                  {a.cohorts[0]?.retained.map((_, i) => <th style={styles.num} key={i}>+{i}</th>)}
                </tr>
              </thead>
              <tbody>
                {a.cohorts.filter((c) => c.size > 0).map((c) => (
                  <tr key={c.cohort}>
                    <td style={styles.cell}>{c.cohort}</td>
                    <td style={styles.num}>{c.size}</td>
                    {c.retained.map((n, i) => {
                      const share = c.size ? n / c.size : 0;
                      return <td key={i} style={{ ...styles.num, background: `rgba(11,107,203,${(share * 0.6).toFixed(2)})` }}>{Math.round(share * 100)}%</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="card" data-testid="campaigns">
            <h3>{t('reports.campaigns')}</h3>
            <table style={styles.table}>
              <thead>
                <tr>
                  <th style={styles.cell}>{t('reports.campaign')}</th>
                  <th style={styles.num}>{t('reports.sales')}</th>
                  <th style={styles.num}>{t('reports.members')}</th>
                  <th style={styles.num}>{t('reports.revenueCol')}</th>
                  <th style={styles.num}>{t('reports.pointsCol')}</th>
                  <th style={styles.num}>{t('reports.discountCol')}</th>
                </tr>
              </thead>
              <tbody>
                {a.campaigns.map((c) => (
                  <tr key={c.id}>
                    <td style={styles.cell}>{c.name}</td>
                    <td style={styles.num}>{c.sales}</td>
                    <td style={styles.num}>{c.members}</td>
                    <td style={styles.num}>{m(c.revenue)}</td>
                    <td style={styles.num}>{c.points}</td>
                    <td style={styles.num}>{m(c.discount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}
