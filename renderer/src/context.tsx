import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PosApi } from '../../core/contract';
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

/** Error text for people: backend messages are already written for the cashier. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
