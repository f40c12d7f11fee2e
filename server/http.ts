import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { KopilkaError, toErrorData, type ErrorCode } from '../core/util/errors';
import { createLogger } from '../core/util/logger';
import { PROTOCOL_VERSION } from '../core/sync/protocol';
import { authenticate, checkAdmin, createProvisioningCode, registerTerminal, setTerminalStatus, type AuthedTerminal } from './auth';
import type { ServerDb } from './db/database';
import { runExpiry } from './expiry';
import { placeHold, voidHold } from './holds';
import { ingestBatch } from './ingest';
import { memberSnapshot, pullChanges } from './pull';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { chainReport, toCsv } from './reports';
import { publishProgram } from './programs';
import { setMemberFlags } from './members';

const log = createLogger('server-http');

export type AppOptions = Readonly<{
  db: ServerDb;
  adminToken?: string | null;
  now?: () => number;
  /** Requests per second (and burst) a till may make; registration attempts per minute per address. */
  terminalRate?: Readonly<{ perSecond: number; burst: number }>;
  registerPerMinute?: number;
}>;

const STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 422, NOT_FOUND: 404, CONFLICT: 409, INSUFFICIENT_POINTS: 409, LIMIT_EXCEEDED: 413, FORBIDDEN: 403,
  UNAUTHENTICATED: 401, LOCKED: 423, DEVICE: 500, OFFLINE: 503, INTERNAL: 500,
};

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { db } = opts;
  const now = opts.now ?? Date.now;
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024, trustProxy: true });
  const tillLimiter: RateLimiter = createRateLimiter(opts.terminalRate?.perSecond ?? 50, opts.terminalRate?.burst ?? 100, now);
  const registerLimiter: RateLimiter = createRateLimiter((opts.registerPerMinute ?? 10) / 60, opts.registerPerMinute ?? 10, now);

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof KopilkaError) return reply.code(STATUS[err.code]).send({ error: toErrorData(err) });
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode && e.statusCode < 500) return reply.code(e.statusCode).send({ error: { code: 'VALIDATION', message: e.message ?? 'Bad request' } });
    log.error('request failed', err instanceof Error ? err.stack : err);
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'The server failed; the till will retry' } });
  });

  const limited = (reply: FastifyReply, r: ReturnType<RateLimiter['take']>): boolean => {
    if (r.ok) return false;
    void reply.code(429).header('retry-after', String(r.retryAfterSeconds)).send({ error: { code: 'LIMIT_EXCEEDED', message: 'Too many requests: slow down' } });
    return true;
  };
  /**
   * Authenticates the till and checks the path names the same till (a till acts only as itself).
   * Limits are taken after authentication so nobody can throttle a till by spamming its id;
   * secrets are 256-bit, so guessing them is not a rate question.
   */
  const till = async (req: FastifyRequest<{ Params: { id: string } }>): Promise<AuthedTerminal> => {
    const t = await authenticate(db, req.headers.authorization);
    if (t.terminalId !== req.params.id) throw new KopilkaError('FORBIDDEN', 'A till may only act as itself');
    return t;
  };
  const admin = (req: FastifyRequest) => checkAdmin(req.headers.authorization, opts.adminToken ?? null);

  app.get('/v1/health', async () => ({ ok: true, protocol: PROTOCOL_VERSION, database: db.kind, serverTime: new Date(now()).toISOString() }));

  app.post<{ Body: { code: string; terminalId: string; name?: string } }>('/v1/terminals/register', async (req, reply) => {
    if (limited(reply, registerLimiter.take(`reg:${req.ip}`))) return reply;
    const b = req.body ?? ({} as never);
    if (typeof b.code !== 'string' || typeof b.terminalId !== 'string') throw new KopilkaError('VALIDATION', 'code and terminalId are required');
    return reply.code(201).send(await registerTerminal(db, { code: b.code, terminalId: b.terminalId, name: typeof b.name === 'string' ? b.name : '' }));
  });

  // `events:batch` — the colon is literal (fastify escapes it as `::`).
  app.post<{ Params: { id: string } }>('/v1/terminals/:id/events::batch', async (req, reply) => {
    const t = await till(req);
    if (limited(reply, tillLimiter.take(`t:${t.terminalId}`))) return reply;
    const body = req.body as Record<string, unknown> | null;
    const key = req.headers['idempotency-key'];
    if (!body || typeof body !== 'object') throw new KopilkaError('VALIDATION', 'The batch is not a JSON object');
    if (key !== undefined && key !== body.batchId) throw new KopilkaError('VALIDATION', 'Idempotency-Key must equal the batch id');
    const out = await ingestBatch(db, t.terminalId, t.shopId, body, { now });
    if (out.replayed) void reply.header('idempotent-replayed', 'true');
    // The response is already serialised (and stored under the batch id): send those bytes.
    if (out.text !== undefined) return reply.code(out.statusCode).type('application/json; charset=utf-8').send(out.text);
    return reply.code(out.statusCode).send(out.body);
  });

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit?: string } }>('/v1/terminals/:id/changes', async (req, reply) => {
    const t = await till(req);
    if (limited(reply, tillLimiter.take(`t:${t.terminalId}`))) return reply;
    return pullChanges(db, t.terminalId, req.query.cursor, Number(req.query.limit ?? 500) || 500, now);
  });

  app.post<{ Params: { id: string }; Body: { holdId: string; memberId: string; points: number; ttlSeconds?: number } }>('/v1/terminals/:id/holds', async (req, reply) => {
    const t = await till(req);
    if (limited(reply, tillLimiter.take(`t:${t.terminalId}`))) return reply;
    return placeHold(db, t.terminalId, req.body, now);
  });
  app.post<{ Params: { id: string; holdId: string }; Body: { memberId: string } }>('/v1/terminals/:id/holds/:holdId/void', async (req, reply) => {
    const t = await till(req);
    if (limited(reply, tillLimiter.take(`t:${t.terminalId}`))) return reply;
    return voidHold(db, t.terminalId, String(req.body?.memberId ?? ''), req.params.holdId);
  });
  app.get<{ Params: { id: string; memberId: string } }>('/v1/terminals/:id/members/:memberId', async (req, reply) => {
    const t = await till(req);
    if (limited(reply, tillLimiter.take(`t:${t.terminalId}`))) return reply;
    return memberSnapshot(db, req.params.memberId);
  });

  // Manager / back-office API (admin token).
  app.post<{ Body: { shop: string; ttlHours?: number } }>('/v1/admin/provisioning-codes', async (req, reply) => {
    admin(req);
    return reply.code(201).send(await createProvisioningCode(db, String(req.body?.shop ?? ''), req.body?.ttlHours ?? 24));
  });
  app.post<{ Params: { id: string }; Body: { status: 'active' | 'quarantined' | 'revoked'; reason?: string } }>('/v1/admin/terminals/:id/status', async (req) => {
    admin(req);
    await setTerminalStatus(db, req.params.id, req.body.status, req.body.reason ?? null);
    return { ok: true };
  });
  app.get<{ Querystring: { from: string; to: string; format?: string } }>('/v1/admin/reports/chain', async (req, reply) => {
    admin(req);
    const rows = await chainReport(db, req.query.from, req.query.to);
    if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').send(toCsv(rows));
    return { rows };
  });
  app.post<{ Body: { asOf?: string } }>('/v1/admin/expire', async (req) => {
    admin(req);
    return runExpiry(db, new Date(req.body?.asOf ?? now()));
  });
  app.post<{ Params: { memberId: string }; Body: { blocked?: boolean; offlineRedeemAllowed?: boolean } }>('/v1/admin/members/:memberId/flags', async (req) => {
    admin(req);
    const b = req.body ?? {};
    if ((b.blocked !== undefined && typeof b.blocked !== 'boolean') || (b.offlineRedeemAllowed !== undefined && typeof b.offlineRedeemAllowed !== 'boolean')) {
      throw new KopilkaError('VALIDATION', 'blocked and offlineRedeemAllowed must be true or false');
    }
    return setMemberFlags(db, req.params.memberId, b);
  });
  app.post<{ Body: { program: unknown } }>('/v1/admin/program', async (req) => {
    admin(req);
    return publishProgram(db, req.body?.program);
  });
  return app;
}
