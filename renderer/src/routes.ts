import type { ComponentType } from 'react';

/**
 * Manager screens registry. To add a screen (e.g. renderer/src/features/shifts), create your
 * component and add ONE line to MANAGER_ROUTES in renderer/src/routes.extra.ts — nothing else
 * in the shell needs to change. `label` is shown as the tab title in both languages.
 */
export type ManagerRoute = Readonly<{
  id: string;
  label: Readonly<{ ru: string; en: string }>;
  /** Receives the manager session token to pass to manager-only channels. */
  component: ComponentType<{ session: string }>;
  /** Lower comes first; built-in tabs use 10–40. */
  order?: number;
}>;
