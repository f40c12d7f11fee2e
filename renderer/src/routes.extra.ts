import type { ManagerRoute } from './routes';
import { ShiftsScreen } from './features/shifts/ShiftsScreen';
import { ReportsScreen } from './features/reports/ReportsScreen';
import { StaffScreen } from './features/staff/StaffScreen';
import { PrivacyScreen } from './features/privacy/PrivacyScreen';

/**
 * Screens other areas plug into the manager navigation: one line each, e.g.
 *   { id: 'shifts', label: { ru: 'Смены', en: 'Shifts' }, component: ShiftsScreen, order: 50 },
 * (import the component from ./features/<area>/...).
 */
export const EXTRA_MANAGER_ROUTES: readonly ManagerRoute[] = [
  { id: 'shifts', label: { ru: 'Смена', en: 'Shift' }, component: ShiftsScreen, order: 45 },
  { id: 'reports', label: { ru: 'Аналитика', en: 'Analytics' }, component: ReportsScreen, order: 50 },
  { id: 'staff', label: { ru: 'Сотрудники и журнал', en: 'Staff & audit' }, component: StaffScreen, order: 60 },
  { id: 'privacy', label: { ru: 'Персональные данные', en: 'Personal data' }, component: PrivacyScreen, order: 70 },
];
