/**
 * `createApi(deps)`: the contract's handlers over the backend services. One spread per area;
 * the `Handlers` type makes the compiler list any channel without a handler.
 */
import type { Handlers } from '../../core/contract';
import type { ApiDeps } from './deps';
import { appHandlers } from './handlers/app';
import { authHandlers } from './handlers/auth';
import { catalogHandlers } from './handlers/catalog';
import { memberHandlers } from './handlers/members';
import { programHandlers } from './handlers/program';
import { salesHandlers } from './handlers/sales';
import { syncHandlers } from './handlers/sync';
import { managerHandlers } from './handlers/manager';
import { devicesHandlers } from './handlers/devices';

export type { ApiDeps } from './deps';
export { createSessionRegistry, type SessionRegistry } from './sessions';
export { currentStatus } from './handlers/app';

export function createApi(deps: ApiDeps): Handlers {
  return {
    ...appHandlers(deps),
    ...authHandlers(deps),
    ...catalogHandlers(deps),
    ...memberHandlers(deps),
    ...salesHandlers(deps),
    ...programHandlers(deps),
    ...syncHandlers(deps),
    ...managerHandlers(deps),
    ...devicesHandlers(deps),
  };
}
