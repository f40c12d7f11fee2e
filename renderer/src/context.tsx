import { createContext, useCallback, useContext } from 'react';
import { useStore } from 'zustand';
import type { PosApi } from '../../core/contract';
import { KopilkaError } from '../../core/util/errors';
import { localizeError, type Lang } from './errors-ru';
import type { AppState, AppStore } from './stores/app';
import type { SaleState, SaleStore } from './stores/sale';

export type Pos = Readonly<{ api: PosApi; app: AppStore; sale: SaleStore }>;
export const PosContext = createContext<Pos | null>(null);

export function usePos(): Pos {
  const p = useContext(PosContext);
  if (!p) throw new Error('usePos outside <PosContext.Provider>');
  return p;
}
export function useApp<T>(sel: (s: AppState & ReturnType<AppStore['getState']>) => T): T {
  return useStore(usePos().app, sel);
}
export function useSale<T>(sel: (s: SaleState & ReturnType<SaleStore['getState']>) => T): T {
  return useStore(usePos().sale, sel);
}

/**
 * Error text for people in the UI language: the backend writes for the cashier in English,
 * the Russian catalog (errors-ru.ts) carries the same facts and advice; unknown messages stay English.
 */
export function errorText(e: unknown, lang: Lang): string {
  const message = e instanceof Error ? e.message : String(e);
  return localizeError(message, e instanceof KopilkaError ? e.code : undefined, lang);
}

/** `errorText` bound to the app's current language, for components. */
export function useErrorText(): (e: unknown) => string {
  const lang = useApp((s) => s.lang);
  return useCallback((e: unknown) => errorText(e, lang), [lang]);
}
