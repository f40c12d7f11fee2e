import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid, uuidv7 } from '../core/util/ids';
import { fail } from '../core/util/errors';
import type { RegisterResponse } from '../core/sync/protocol';
import type { ServerDb, Sql } from './db/database';

export function sha256hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Codes are read aloud and typed on a till: 12 characters from an alphabet without look-alikes. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newProvisioningCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (const b of bytes) s += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}
function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export async function ensureShop(sql: Sql, name: string): Promise<string> {
  const clean = name.trim();
  if (!clean) fail('VALIDATION', 'Give the shop a name');
  await sql.query('INSERT INTO shop (shop_id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [uuidv7(), clean]);
  const r = await sql.query<{ shop_id: string }>('SELECT shop_id FROM shop WHERE name = $1', [clean]);
  return r.rows[0]!.shop_id;
}

/** A manager's one-time code for registering a till in `shop` (created if new). Valid 24 h by default. */
export async function createProvisioningCode(db: ServerDb, shop: string, ttlHours = 24): Promise<{ code: string; shopId: string; expiresAt: string }> {
  const code = newProvisioningCode();
  return db.tx('provisioning code', async (sql) => {
    const shopId = await ensureShop(sql, shop);
    const r = await sql.query<{ expires_at: Date }>(
      `INSERT INTO provisioning_code (code_hash, shop_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3::int)) RETURNING expires_at`,
      [sha256hex(normaliseCode(code)), shopId, ttlHours],
    );
    return { code, shopId, expiresAt: new Date(r.rows[0]!.expires_at).toISOString() };
  });
}

/**
 * Exchange a one-time code for a terminal credential. The till keeps its own id (it is part of
 * every hashed event it already wrote); the server stores only the secret's SHA-256.
 */
export async function registerTerminal(db: ServerDb, req: Readonly<{ code: string; terminalId: string; name?: string }>): Promise<RegisterResponse> {
  if (!isUuid(req.terminalId)) fail('VALIDATION', 'The terminal id is not a UUID');
  const secret = randomBytes(32).toString('base64url');
  return db.tx('register terminal', async (sql) => {
    const r = await sql.query<{ shop_id: string; name: string }>(
      `UPDATE provisioning_code c SET used_at = now(), terminal_id = $2
        FROM shop s
       WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.expires_at > now() AND s.shop_id = c.shop_id
       RETURNING c.shop_id, s.name`,
      [sha256hex(normaliseCode(req.code)), req.terminalId],
    );
    const row = r.rows[0];
    if (!row) fail('UNAUTHENTICATED', 'This registration code is unknown, used or expired: ask the manager for a new one');
    const ins = await sql.query(
      `INSERT INTO terminal (terminal_id, shop_id, name, secret_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (terminal_id) DO NOTHING`,
      [req.terminalId, row.shop_id, (req.name ?? '').slice(0, 120), sha256hex(secret)],
    );
    if (ins.rowCount === 0) fail('CONFLICT', 'This till is already registered; a restored or cloned till needs a new identity');
    return { terminalId: req.terminalId, secret, shopId: row.shop_id, shopName: row.name };
  });
}

export type AuthedTerminal = Readonly<{ terminalId: string; shopId: string; status: string }>;

/** `Authorization: Bearer <terminalId>.<secret>` → the terminal, or UNAUTHENTICATED. */
export async function authenticate(db: Sql, header: string | undefined): Promise<AuthedTerminal> {
  const m = /^Bearer ([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,})$/.exec(header ?? '');
  if (!m) fail('UNAUTHENTICATED', 'This till is not registered with the server: run `kopilka terminal register`');
  const [, terminalId, secret] = m as unknown as [string, string, string];
  const r = await db.query<{ secret_hash: string; shop_id: string; status: string }>('SELECT secret_hash, shop_id, status FROM terminal WHERE terminal_id = $1', [terminalId]);
  const row = r.rows[0];
  const given = Buffer.from(sha256hex(secret));
  const ok = row !== undefined && timingSafeEqual(given, Buffer.from(row.secret_hash));
  if (!ok || !row) fail('UNAUTHENTICATED', 'The till credential was refused: register the till again');
  if (row.status === 'revoked') fail('UNAUTHENTICATED', 'This till has been revoked by the manager');
  return { terminalId, shopId: row.shop_id, status: row.status };
}

/** Admin calls (reports, codes) carry the server's admin token. */
export function checkAdmin(header: string | undefined, adminToken: string | null): void {
  if (!adminToken) fail('FORBIDDEN', 'Admin API is disabled: start the server with KOPILKA_ADMIN_TOKEN set');
  const m = /^Bearer (.+)$/.exec(header ?? '');
  const given = Buffer.from(sha256hex(m?.[1] ?? ''));
  if (!timingSafeEqual(given, Buffer.from(sha256hex(adminToken)))) fail('UNAUTHENTICATED', 'Wrong admin token');
}

export async function setTerminalStatus(db: ServerDb, terminalId: string, status: 'active' | 'quarantined' | 'revoked', reason: string | null): Promise<void> {
  await db.tx('terminal status', async (sql) => {
    const r = await sql.query('UPDATE terminal SET status = $2, status_reason = $3 WHERE terminal_id = $1', [terminalId, status, reason]);
    if (r.rowCount === 0) fail('NOT_FOUND', `No terminal ${terminalId}`);
  });
}
