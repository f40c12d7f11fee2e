import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeZodError, type QuoteView } from '../../../../core/contract';
import { ProgramSchema } from '../../../../core/loyalty/program';
import { Field } from '../../components/Dialog';
import { useErrorText, useApp, usePos } from '../../context';
import { money, parseMoneyInput, points } from '../../format';

type Json = Record<string, unknown>;
type Base = { mode: 'percent'; bps: number } | { mode: 'per_amount'; points: number; per: number };
type Form = {
  name: string; base: Base; rounding: string; minCheck: string; redeemEnabled: boolean; pointValue: string; maxShare: string; minBalance: string; rest: string;
};

const pct = (bps: number) => String(bps / 100);
const bpsOf = (text: string): number | null => {
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) && n >= 0 && n <= 100 && Math.round(n * 100) === n * 100 ? Math.round(n * 100) : null;
};

function toForm(p: Json): Form {
  const earn = (p.earn ?? {}) as Json;
  const redeem = (p.redeem ?? {}) as Json;
  const { name: _n, earn: _e, redeem: _r, ...rest } = p;
  const restEarn = Object.fromEntries(Object.entries(earn).filter(([k]) => !['base', 'rounding', 'minCheck'].includes(k)));
  const restRedeem = Object.fromEntries(Object.entries(redeem).filter(([k]) => !['enabled', 'pointValue', 'maxShareBps', 'minBalance'].includes(k)));
  return {
    name: String(p.name ?? ''),
    base: (earn.base as Base) ?? { mode: 'percent', bps: 500 },
    rounding: String(earn.rounding ?? 'down'),
    minCheck: String(Number(earn.minCheck ?? 0) / 100),
    redeemEnabled: redeem.enabled !== false,
    pointValue: String(Number(redeem.pointValue ?? 100) / 100),
    maxShare: pct(Number(redeem.maxShareBps ?? 5000)),
    minBalance: String(redeem.minBalance ?? 0),
    rest: JSON.stringify({ ...rest, earn: restEarn, redeem: restRedeem }, null, 2),
  };
}

/** Form → program JSON, or the first problem in words. Validation is the rules schema itself. */
function fromForm(f: Form, t: (k: string) => string): { program: Json } | { error: string } {
  let rest: Json;
  try {
    rest = JSON.parse(f.rest || '{}') as Json;
  } catch {
    return { error: `${t('program.json')}: JSON` };
  }
  const minCheck = parseMoneyInput(f.minCheck);
  const pointValue = parseMoneyInput(f.pointValue);
  const maxShare = bpsOf(f.maxShare);
  const minBalance = Number(f.minBalance);
  if (minCheck === null) return { error: `${t('program.minCheck')}: ${t('errors.amount')}` };
  if (pointValue === null || pointValue < 1) return { error: `${t('program.pointValue')}: ${t('errors.amount')}` };
  if (maxShare === null) return { error: `${t('program.maxShare')}: 0–100` };
  if (!Number.isInteger(minBalance) || minBalance < 0) return { error: `${t('program.minBalance')}: ≥ 0` };
  const restEarn = (rest.earn ?? {}) as Json;
  const restRedeem = (rest.redeem ?? {}) as Json;
  const program = {
    ...rest,
    name: f.name,
    earn: { ...restEarn, base: f.base, rounding: f.rounding, minCheck },
    redeem: { ...restRedeem, enabled: f.redeemEnabled, pointValue, maxShareBps: maxShare, minBalance },
  };
  const parsed = ProgramSchema.safeParse(program);
  if (!parsed.success) return { error: describeZodError(parsed.error) };
  return { program };
}

export function ProgramEditor({ session }: Readonly<{ session: string }>) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { api, app } = usePos();
  const lang = useApp((s) => s.lang);
  const [version, setVersion] = useState<number | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sample, setSample] = useState({ check: '1000', balance: '500' });
  const [preview, setPreview] = useState<Omit<QuoteView, 'lines'> | null>(null);
  useEffect(() => {
    api['program.get']({}).then((p) => { setVersion(p.version); setForm(toForm(p.program)); }, (e) => setError(errorText(e)));
  }, [api]);
  const built = useMemo(() => (form ? fromForm(form, t) : null), [form, t]);
  useEffect(() => {
    if (!built || 'error' in built) return setPreview(null);
    const unitPrice = parseMoneyInput(sample.check);
    const balance = Number(sample.balance);
    if (unitPrice === null || !Number.isInteger(balance) || balance < 0) return setPreview(null);
    let live = true;
    api['program.simulate']({ session, program: built.program, lines: [{ name: 'Sample', qty: 1, unitPrice }], balance, redeem: 'max' })
      .then((q) => live && setPreview(q), (e) => live && setError(errorText(e)));
    return () => { live = false; };
  }, [api, session, built, sample]);
  if (!form) return <p className="error">{error ?? t('app.loading')}</p>;
  const up = (patch: Partial<Form>) => { setError(null); setForm({ ...form, ...patch }); };
  const save = async () => {
    if (!built || 'error' in built) return setError(built && 'error' in built ? built.error : null);
    try {
      const r = await api['program.save']({ session, program: built.program });
      setVersion(r.version);
      app.getState().notify('ok', t('program.saved', { v: r.version }));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const shownError = error ?? (built && 'error' in built ? built.error : null);
  return (
    <div className="program" data-testid="program-editor">
      <form className="card" noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <h2>{t('program.title')} <small className="muted">{version !== null ? t('program.version', { v: version }) : ''}</small></h2>
        <Field label={t('program.name')}><input value={form.name} onChange={(e) => up({ name: e.target.value })} data-testid="program-name" /></Field>
        <Field label={t('program.earnMode')}>
          <select value={form.base.mode} onChange={(e) => up({ base: e.target.value === 'percent' ? { mode: 'percent', bps: 500 } : { mode: 'per_amount', points: 1, per: 10000 } })} data-testid="program-mode">
            <option value="percent">{t('program.percent')}</option>
            <option value="per_amount">{t('program.perAmount')}</option>
          </select>
        </Field>
        {form.base.mode === 'percent' ? (
          <Field label={t('program.bps')}>
            <input inputMode="decimal" defaultValue={pct(form.base.bps)} data-testid="program-percent" onChange={(e) => { const b = bpsOf(e.target.value); up({ base: { mode: 'percent', bps: b ?? -1 } }); }} />
          </Field>
        ) : (
          <div className="pair">
            <Field label={t('program.pointsPer')}><input inputMode="numeric" value={form.base.points} onChange={(e) => up({ base: { ...(form.base as Extract<Base, { mode: 'per_amount' }>), points: Number(e.target.value) } })} /></Field>
            <Field label={t('program.per')}><input inputMode="decimal" defaultValue={String(form.base.per / 100)} onChange={(e) => up({ base: { ...(form.base as Extract<Base, { mode: 'per_amount' }>), per: parseMoneyInput(e.target.value) ?? -1 } })} /></Field>
          </div>
        )}
        <Field label={t('program.rounding')}>
          <select value={form.rounding} onChange={(e) => up({ rounding: e.target.value })}>
            <option value="down">↓</option><option value="half_up">½↑</option><option value="up">↑</option>
          </select>
        </Field>
        <Field label={t('program.minCheck')}><input inputMode="decimal" value={form.minCheck} onChange={(e) => up({ minCheck: e.target.value })} data-testid="program-mincheck" /></Field>
        <label className="check"><input type="checkbox" checked={form.redeemEnabled} onChange={(e) => up({ redeemEnabled: e.target.checked })} /> {t('program.redeemEnabled')}</label>
        <div className="pair">
          <Field label={t('program.pointValue')}><input inputMode="decimal" value={form.pointValue} onChange={(e) => up({ pointValue: e.target.value })} /></Field>
          <Field label={t('program.maxShare')}><input inputMode="decimal" value={form.maxShare} onChange={(e) => up({ maxShare: e.target.value })} data-testid="program-maxshare" /></Field>
          <Field label={t('program.minBalance')}><input inputMode="numeric" value={form.minBalance} onChange={(e) => up({ minBalance: e.target.value })} /></Field>
        </div>
        <details>
          <summary>{t('program.json')}</summary>
          <textarea rows={10} value={form.rest} onChange={(e) => up({ rest: e.target.value })} data-testid="program-json" spellCheck={false} />
        </details>
        <p className="error" role="alert" data-testid="form-error">{shownError ?? ''}</p>
        <div className="actions"><button type="submit" className="primary" data-testid="program-save" disabled={Boolean(shownError)}>{t('program.save')}</button></div>
      </form>
      <div className="card" data-testid="program-preview">
        <h3>{t('program.simulate')}</h3>
        <div className="pair">
          <Field label={t('program.sampleCheck')}><input inputMode="decimal" value={sample.check} onChange={(e) => setSample({ ...sample, check: e.target.value })} /></Field>
          <Field label={t('program.sampleBalance')}><input inputMode="numeric" value={sample.balance} onChange={(e) => setSample({ ...sample, balance: e.target.value })} /></Field>
        </div>
        {preview ? (
          <div>
            <div className="row"><span>{t('cart.toPay')}</span><span>{money(preview.toPay, lang)}</span></div>
            <div className="row"><span>{t('cart.paidByPoints')}</span><span>{points(preview.redeemPoints, lang)}</span></div>
            <div className="row strong"><span>{t('why.earn')}</span><span data-testid="preview-earn">+{points(preview.earnPoints + preview.bonusPoints, lang)}</span></div>
            <ul className="why">{preview.effects.map((e, i) => <li key={i}>{e.label}</li>)}</ul>
          </div>
        ) : <p className="muted">—</p>}
      </div>
    </div>
  );
}
