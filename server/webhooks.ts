import { createHmac } from 'node:crypto';
import { createLogger } from '../core/util/logger';
import { num, type ServerDb } from './db/database';
import { loadSettings } from './settings';

const log = createLogger('webhooks');

/**
 * Delivers the webhook outbox to the CRM: at-least-once, oldest first, exponential backoff per
 * delivery (30 s · 2^attempts, capped at 6 h). Receivers dedupe on `X-Kopilka-Delivery`.
 * Body: {id, type, createdAt, data}; signed with HMAC-SHA256 of the body in
 * `X-Kopilka-Signature` when KOPILKA_WEBHOOK_SECRET is set (see server/README.md).
 */
export type DeliverOptions = Readonly<{ now?: () => number; secret?: string | null; fetchFn?: typeof fetch; limit?: number; baseDelayMs?: number }>;

export async function deliverWebhooks(db: ServerDb, opts: DeliverOptions = {}): Promise<{ delivered: number; failed: number }> {
  const now = opts.now ?? Date.now;
  const settings = await db.tx('webhook settings', (sql) => loadSettings(sql));
  if (!settings.webhookUrl) return { delivered: 0, failed: 0 };
  const due = await db.query<{ member_id: string; delivery_id: string; event_type: string; payload: unknown; created_at: Date; attempts: number }>(
    `SELECT member_id, delivery_id, event_type, payload, created_at, attempts FROM webhook_outbox
      WHERE delivered_at IS NULL AND next_attempt_at <= to_timestamp($1::bigint / 1000.0) ORDER BY created_at, delivery_id LIMIT $2`,
    [now(), opts.limit ?? 100],
  );
  let delivered = 0;
  let failed = 0;
  const f = opts.fetchFn ?? fetch;
  for (const d of due.rows) {
    const body = JSON.stringify({ id: d.delivery_id, type: d.event_type, createdAt: new Date(d.created_at).toISOString(), data: d.payload });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-kopilka-delivery': d.delivery_id, 'x-kopilka-event': d.event_type };
    if (opts.secret) headers['x-kopilka-signature'] = 'sha256=' + createHmac('sha256', opts.secret).update(body).digest('hex');
    let error: string | null = null;
    try {
      const res = await f(settings.webhookUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const attempts = num(d.attempts) + 1;
    if (error === null) {
      delivered++;
      await db.query('UPDATE webhook_outbox SET delivered_at = now(), attempts = $3, last_error = NULL WHERE member_id = $1 AND delivery_id = $2', [d.member_id, d.delivery_id, attempts]);
    } else {
      failed++;
      const delay = Math.min(6 * 3600_000, (opts.baseDelayMs ?? 30_000) * 2 ** (attempts - 1));
      log.warn(`delivery ${d.delivery_id} failed (${error}); retry in ${Math.round(delay / 1000)} s`);
      await db.query(
        'UPDATE webhook_outbox SET attempts = $3, last_error = $4, next_attempt_at = to_timestamp($5::bigint / 1000.0) WHERE member_id = $1 AND delivery_id = $2',
        [d.member_id, d.delivery_id, attempts, error, now() + delay],
      );
    }
  }
  return { delivered, failed };
}
