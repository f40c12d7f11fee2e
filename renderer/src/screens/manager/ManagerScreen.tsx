import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Dialog';
import { useErrorText, useApp, usePos } from '../../context';
import type { ManagerRoute } from '../../routes';
import { EXTRA_MANAGER_ROUTES } from '../../routes.extra';
import { DevicesScreen } from './DevicesScreen';
import { MembersScreen } from './MembersScreen';
import { ProgramEditor } from './ProgramEditor';
import { SyncScreen } from './SyncScreen';

export const BUILTIN_ROUTES: readonly ManagerRoute[] = [
  { id: 'program', label: { ru: 'Программа лояльности', en: 'Loyalty program' }, component: ProgramEditor, order: 10 },
  { id: 'members', label: { ru: 'Клиенты', en: 'Members' }, component: MembersScreen, order: 20 },
  { id: 'devices', label: { ru: 'Устройства', en: 'Devices' }, component: DevicesScreen, order: 30 },
  { id: 'sync', label: { ru: 'Синхронизация', en: 'Sync' }, component: SyncScreen, order: 40 },
];

export function managerRoutes(): readonly ManagerRoute[] {
  return [...BUILTIN_ROUTES, ...EXTRA_MANAGER_ROUTES].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

export function ManagerScreen() {
  const { t } = useTranslation();
  const { app } = usePos();
  const session = useApp((s) => s.session);
  const tab = useApp((s) => s.managerTab);
  const lang = useApp((s) => s.lang);
  if (!session) return <PinLogin />;
  const routes = managerRoutes();
  const current = routes.find((r) => r.id === tab) ?? routes[0]!;
  const Screen = current.component;
  return (
    <main className="manager" data-testid="manager">
      <nav className="tabs" role="tablist">
        {routes.map((r) => (
          <button type="button" role="tab" key={r.id} aria-selected={r.id === current.id} data-testid={`tab-${r.id}`} onClick={() => app.getState().go('manager', r.id)}>{r.label[lang]}</button>
        ))}
        <span className="spacer" />
        <span className="muted">{session.name}</span>
        <button type="button" onClick={() => void app.getState().logout()} data-testid="manager-logout">{t('manager.logout')}</button>
      </nav>
      <section className="panel" data-testid={`screen-${current.id}`}>
        <Screen session={session.session} />
      </section>
    </main>
  );
}

function PinLogin() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { app } = usePos();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="login">
      <form
        className="card"
        data-testid="pin-login"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await app.getState().login(pin);
          } catch (err) {
            setError(errorText(err));
            setPin('');
          }
        }}
      >
        <h2>{t('manager.login')}</h2>
        <Field label={t('manager.pin')}>
          <input type="password" inputMode="numeric" autoFocus value={pin} onChange={(e) => setPin(e.target.value)} data-testid="pin-input" autoComplete="off" />
        </Field>
        <p className="error" role="alert" data-testid="form-error">{error ?? ''}</p>
        <div className="actions">
          <button type="button" onClick={() => app.getState().go('cashier')}>{t('manager.back')}</button>
          <button type="submit" className="primary" data-testid="pin-submit">{t('manager.enter')}</button>
        </div>
      </form>
    </main>
  );
}
