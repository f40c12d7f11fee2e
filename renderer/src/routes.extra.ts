import type { ManagerRoute } from './routes';

/**
 * Screens other areas plug into the manager navigation: one line each, e.g.
 *   { id: 'shifts', label: { ru: 'Смены', en: 'Shifts' }, component: ShiftsScreen, order: 50 },
 * (import the component from ./features/<area>/...).
 */
export const EXTRA_MANAGER_ROUTES: readonly ManagerRoute[] = [];
