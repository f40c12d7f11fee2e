import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { setLogSink } from '../../core/util/logger';
import { buildApp } from '../../server/http';
import { createTestServerDb, type TestServerDb } from '../../server/testing';
import type { FetchFn } from '../../backend/sync/client';
import type { TestStore } from '../../backend/testing/store';

/**
 * A chain server listening on 127.0.0.1 for one test file (PostgreSQL when TEST_DATABASE_URL is
 * set, else PGlite), rate limits lifted, plus the till stores the tests create; all torn down after.
 */
export type LoopbackChain = Readonly<{
  srv(): TestServerDb;
  url(): string;
  /** Remember a till store so it is cleaned up after the file's tests. */
  track(store: TestStore): TestStore;
}>;

export function useLoopbackChainServer(): LoopbackChain {
  let srv: TestServerDb;
  let app: FastifyInstance;
  let url = '';
  const stores: TestStore[] = [];
  before(async () => {
    setLogSink(() => {});
    srv = await createTestServerDb();
    app = await buildApp({ db: srv.db, terminalRate: { perSecond: 1e6, burst: 1e6 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => {
    for (const s of stores) s.cleanup();
    await app?.close();
    await srv?.cleanup();
  });
  return {
    srv: () => srv,
    url: () => url,
    track(store) {
      stores.push(store);
      return store;
    },
  };
}

/**
 * A till's fetch answered in-process by the server app (no socket): for tests that drive many
 * requests or inject faults around them. The loopback server above is the real-TCP variant.
 */
export function injectFetch(app: () => FastifyInstance): FetchFn {
  return async (url, init) => {
    const u = new URL(url);
    const res = await app().inject({ method: init.method as 'GET', url: u.pathname + u.search, headers: init.headers, ...(init.body ? { payload: init.body } : {}) });
    return { status: res.statusCode, headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string | undefined) ?? null }, text: async () => res.body };
  };
}
